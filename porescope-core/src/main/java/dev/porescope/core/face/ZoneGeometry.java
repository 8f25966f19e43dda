package dev.porescope.core.face;

import dev.porescope.core.face.FaceLandmarks.Point;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Landmarks to zone polygons to a label map. The geometry lives in a face frame: origin midway
 * between the eyes, one unit = the eye distance, u along the eye line towards the subject's left eye
 * (image right), v perpendicular to it, down the face. The polygons follow average adult face
 * proportions (brows about 0.35 eye distances above the eyes, nose tip about 0.6 below, mouth about
 * 1.05 below); when the landmarks give the nose tip or the mouth, the nose and the chin follow them.
 * The features that are not skin (eyes, brows, nostrils, lips) are ellipses in the same frame.
 */
public final class ZoneGeometry {
    /** Nose tip and mouth below the eye line when the landmarks do not give them, in eye distances. */
    static final double NOSE_TIP_V = 0.6;
    static final double MOUTH_V = 1.05;

    private final FaceLandmarks landmarks;
    private final double ox;
    private final double oy;
    private final double ux;
    private final double uy;
    private final double d;
    private final double noseV;
    private final double mouthV;

    public ZoneGeometry(FaceLandmarks landmarks) {
        this.landmarks = landmarks;
        Point r = landmarks.rightEye();
        Point l = landmarks.leftEye();
        this.ox = (r.x() + l.x()) / 2;
        this.oy = (r.y() + l.y()) / 2;
        this.d = landmarks.eyeDistance();
        this.ux = (l.x() - r.x()) / d;
        this.uy = (l.y() - r.y()) / d;
        this.noseV = landmarks.noseTip() == null ? NOSE_TIP_V : Math.max(0.3, faceV(landmarks.noseTip()));
        this.mouthV = landmarks.mouth() == null ? MOUTH_V : Math.max(noseV + 0.2, faceV(landmarks.mouth()));
    }

    public FaceLandmarks landmarks() { return landmarks; }

    /** Image point of face coordinates (u, v). */
    public Point image(double u, double v) {
        // v axis = u axis turned 90 degrees clockwise in image coordinates (y down)
        return new Point(ox + d * (u * ux - v * uy), oy + d * (u * uy + v * ux));
    }

    /** Face coordinate u of an image point. */
    double faceU(Point p) {
        return ((p.x() - ox) * ux + (p.y() - oy) * uy) / d;
    }

    /** Face coordinate v of an image point. */
    double faceV(Point p) {
        return (-(p.x() - ox) * uy + (p.y() - oy) * ux) / d;
    }

    /** Each face zone's outline in image pixels (closed polygon, last point joins the first). */
    public Map<Zone, List<Point>> polygons() {
        double s = noseV / NOSE_TIP_V; // nose length relative to the average face
        Map<Zone, List<Point>> out = new EnumMap<>(Zone.class);
        // zones reach the features; the features (brows, eyes) are cut out of them afterwards
        out.put(Zone.FOREHEAD, face(-0.85, -1.35, 0.85, -1.35, 0.85, -0.45, 0.16, -0.45, 0.12, -0.12,
                -0.12, -0.12, -0.16, -0.45, -0.85, -0.45));
        out.put(Zone.NOSE, face(-0.1, -0.1, 0.1, -0.1, 0.2, 0.72 * noseV, 0.28, 0.95 * noseV, 0.2, noseV + 0.02,
                -0.2, noseV + 0.02, -0.28, 0.95 * noseV, -0.2, 0.72 * noseV));
        double cheekBottom = Math.min(mouthV, noseV + 0.45 * s);
        out.put(Zone.RIGHT_CHEEK, cheek(-1, cheekBottom));
        out.put(Zone.LEFT_CHEEK, cheek(1, cheekBottom));
        out.put(Zone.CHIN, face(-0.32, mouthV + 0.25, 0.32, mouthV + 0.25, 0.26, mouthV + 0.6, -0.26, mouthV + 0.6));
        return out;
    }

    private List<Point> cheek(int side, double bottom) {
        double[] uv = {0.3, 0.12, 0.88, 0.12, 1.0, 0.5, 0.9, bottom, 0.45, bottom, 0.34, 0.5};
        for (int i = 0; i < uv.length; i += 2) uv[i] *= side;
        return face(uv);
    }

    private List<Point> face(double... uv) {
        List<Point> p = new ArrayList<>();
        for (int i = 0; i < uv.length; i += 2) p.add(image(uv[i], uv[i + 1]));
        return p;
    }

    /** True where the face point (u, v) is an eye, a brow, a nostril or the lips (never skin to count). */
    boolean feature(double u, double v) {
        double au = Math.abs(u);
        return inEllipse(au, v, 0.5, 0, 0.3, 0.17)             // eyes and lashes
                || inEllipse(au, v, 0.47, -0.38, 0.42, 0.15)   // brows
                || inEllipse(au, v, 0.13, noseV + 0.08, 0.1, 0.07) // nostrils
                || inEllipse(u, v, 0, mouthV, 0.45, 0.17);      // lips
    }

    private static boolean inEllipse(double u, double v, double cu, double cv, double ru, double rv) {
        double a = (u - cu) / ru;
        double b = (v - cv) / rv;
        return a * a + b * b <= 1;
    }

    /**
     * Zone label ({@link Zone#label()}, 0 = none) of every pixel of a {@code width x height} grid whose
     * pixel (i, j) covers image pixels {@code [i*scale, (i+1)*scale)}; features are left at 0.
     */
    public byte[] rasterize(int width, int height, int scale) {
        byte[] labels = new byte[width * height];
        for (Map.Entry<Zone, List<Point>> e : polygons().entrySet()) {
            fill(e.getValue(), (byte) e.getKey().label(), labels, width, height, scale);
        }
        for (int j = 0; j < height; j++) {
            for (int i = 0; i < width; i++) {
                if (labels[j * width + i] == 0) continue;
                Point p = new Point((i + 0.5) * scale, (j + 0.5) * scale);
                if (feature(faceU(p), faceV(p))) labels[j * width + i] = 0;
            }
        }
        return labels;
    }

    /** Even-odd scanline fill of a polygon at pixel centres; later zones do not overwrite earlier ones. */
    private static void fill(List<Point> polygon, byte label, byte[] labels, int width, int height, int scale) {
        int n = polygon.size();
        double[] xs = new double[n];
        for (int j = 0; j < height; j++) {
            double y = (j + 0.5) * scale;
            int k = 0;
            for (int a = 0; a < n; a++) {
                Point p = polygon.get(a);
                Point q = polygon.get((a + 1) % n);
                if ((p.y() <= y) != (q.y() <= y)) {
                    xs[k++] = p.x() + (y - p.y()) / (q.y() - p.y()) * (q.x() - p.x());
                }
            }
            java.util.Arrays.sort(xs, 0, k);
            for (int c = 0; c + 1 < k; c += 2) {
                int i0 = Math.max(0, (int) Math.ceil(xs[c] / scale - 0.5));
                int i1 = Math.min(width - 1, (int) Math.floor(xs[c + 1] / scale - 0.5));
                for (int i = i0; i <= i1; i++) {
                    if (labels[j * width + i] == 0) labels[j * width + i] = label;
                }
            }
        }
    }
}
