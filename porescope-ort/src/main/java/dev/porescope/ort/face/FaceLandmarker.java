package dev.porescope.ort.face;

import ai.onnxruntime.OrtException;
import dev.porescope.core.face.FaceLandmarks;
import dev.porescope.core.face.FaceLandmarks.Point;
import dev.porescope.ort.OrtRunner;

import java.util.ArrayList;
import java.util.List;

/**
 * Faces and their landmarks from MediaPipe's short-range face detector (BlazeFace) and, when given,
 * its 468-point face mesh, both converted to ONNX and run on ONNX Runtime.
 *
 * <p>Steps, as MediaPipe's face mesh graph does them: the whole photo letterboxed into 128x128
 * (values -1..1); anchors decoded and weighted NMS ({@link BlazeFace}); for the face, a square window
 * 1.5 times the detection box's longer side, rotated so the eyes are level, resampled to 192x192
 * (values 0..1) for the mesh; eye centres = mean of each eye's two corners (mesh points 33 and 133,
 * 362 and 263), nose tip = point 1, mouth = mean of the inner lip centres 13 and 14. Without the
 * mesh, or when the mesh's face score is under 0.5, the detector's own keypoints are used.
 */
public final class FaceLandmarker implements AutoCloseable {
    static final int MESH_INPUT = 192;
    static final double MESH_WINDOW = 1.5;
    static final double MIN_MESH_SCORE = 0.5;

    /**
     * One face.
     *
     * @param score      the detector's score, 0..1
     * @param box        detection box in photo px: x0, y0, x1, y1
     * @param landmarks  eyes, nose tip and mouth in photo px (subject's left and right)
     * @param mesh       the 468 mesh points x, y (photo px), or null when the mesh was not run or failed
     * @param meshScore  the mesh's face score, 0..1, or NaN without mesh
     */
    public record Face(double score, double[] box, FaceLandmarks landmarks, double[] mesh, double meshScore) {
        /** Which model placed the landmarks. */
        public String source() {
            return mesh != null ? "MediaPipe face detection + face mesh" : "MediaPipe face detection";
        }
    }

    private final OrtRunner detector;
    private final OrtRunner mesh;
    private final double[] anchors = BlazeFace.anchors();

    /**
     * @param detectorOnnx the short-range detector (input [1,128,128,3], outputs regressors [1,896,16]
     *                     and classificators [1,896,1])
     * @param meshOnnx     the face mesh (input [1,192,192,3], outputs [1,1,1,1404] and [1,1,1,1]), or null
     */
    public FaceLandmarker(byte[] detectorOnnx, byte[] meshOnnx, int threads) throws OrtException {
        detector = new OrtRunner(detectorOnnx, threads);
        try {
            mesh = meshOnnx == null ? null : new OrtRunner(meshOnnx, threads);
        } catch (OrtException | RuntimeException e) {
            detector.close();
            throw e;
        }
    }

    /** Every face the detector finds, best first, with its landmarks. */
    public List<Face> find(int[] argb, int width, int height) throws OrtException {
        double side = Math.max(width, height);
        FaceCrop letterbox = new FaceCrop(width / 2.0, height / 2.0, side, 0);
        float[] input = letterbox.sample(argb, width, height, BlazeFace.INPUT, -1f, 1f);
        List<OrtRunner.Output> out = detector.run(input, 1, BlazeFace.INPUT, BlazeFace.INPUT, 3);
        float[] regressors = output(out, "regressors", BlazeFace.ANCHORS * BlazeFace.COORDS);
        float[] scores = output(out, "classificators", BlazeFace.ANCHORS);
        List<BlazeFace.Detection> found = BlazeFace.weightedNms(
                BlazeFace.decode(regressors, scores, anchors, BlazeFace.MIN_SCORE), BlazeFace.NMS_IOU);
        List<Face> faces = new ArrayList<>();
        for (BlazeFace.Detection d : found) {
            double[] box = new double[4];
            double[] p0 = letterbox.toPhoto(d.xMin(), d.yMin());
            double[] p1 = letterbox.toPhoto(d.xMax(), d.yMax());
            box[0] = p0[0];
            box[1] = p0[1];
            box[2] = p1[0];
            box[3] = p1[1];
            double[] k = new double[d.keypoints().length];
            for (int j = 0; j < k.length; j += 2) {
                double[] p = letterbox.toPhoto(d.keypoints()[j], d.keypoints()[j + 1]);
                k[j] = p[0];
                k[j + 1] = p[1];
            }
            // eye keypoints on one pixel: no face frame to build zones in
            if (Math.hypot(k[2] - k[0], k[3] - k[1]) < 1) continue;
            faces.add(face(argb, width, height, d.score(), box, k));
        }
        return faces;
    }

    private Face face(int[] argb, int width, int height, double score, double[] box, double[] k) throws OrtException {
        // the detector's keypoints: the eye on the photo's left is the subject's right (upright face)
        Point a = new Point(k[0], k[1]), b = new Point(k[2], k[3]);
        Point right = a.x() <= b.x() ? a : b, left = a.x() <= b.x() ? b : a;
        FaceLandmarks fromDetector = new FaceLandmarks(right, left, new Point(k[4], k[5]), new Point(k[6], k[7]));
        if (mesh == null) {
            return new Face(score, box, fromDetector, null, Double.NaN);
        }
        double angle = Math.atan2(left.y() - right.y(), left.x() - right.x());
        double size = MESH_WINDOW * Math.max(box[2] - box[0], box[3] - box[1]);
        FaceCrop window = new FaceCrop((box[0] + box[2]) / 2, (box[1] + box[3]) / 2, size, angle);
        float[] input = window.sample(argb, width, height, MESH_INPUT, 0f, 1f);
        List<OrtRunner.Output> out = mesh.run(input, 1, MESH_INPUT, MESH_INPUT, 3);
        if (out.size() != 2) throw new IllegalStateException("the face mesh has " + out.size() + " outputs, expected 2");
        boolean firstIsMesh = out.get(0).values().length >= out.get(1).values().length;
        float[] points = out.get(firstIsMesh ? 0 : 1).values();
        float flag = out.get(firstIsMesh ? 1 : 0).values()[0];
        if (points.length != 468 * 3) throw new IllegalStateException("face mesh returned " + points.length + " values, expected 1404");
        double meshScore = 1 / (1 + Math.exp(-flag));
        if (meshScore < MIN_MESH_SCORE) return new Face(score, box, fromDetector, null, meshScore);
        double[] xy = new double[2 * 468];
        for (int i = 0; i < 468; i++) {
            double[] p = window.toPhoto(points[3 * i] / MESH_INPUT, points[3 * i + 1] / MESH_INPUT);
            xy[2 * i] = p[0];
            xy[2 * i + 1] = p[1];
        }
        // in the window the eyes are level and the subject's right eye is on the left (smaller window x)
        Point e1 = mean(xy, 33, 133), e2 = mean(xy, 362, 263);
        boolean e1Right = points[3 * 33] + points[3 * 133] <= points[3 * 362] + points[3 * 263];
        FaceLandmarks landmarks = new FaceLandmarks(e1Right ? e1 : e2, e1Right ? e2 : e1,
                new Point(xy[2], xy[3]), mean(xy, 13, 14));
        return new Face(score, box, landmarks, xy, meshScore);
    }

    private static Point mean(double[] xy, int i, int j) {
        return new Point((xy[2 * i] + xy[2 * j]) / 2, (xy[2 * i + 1] + xy[2 * j + 1]) / 2);
    }

    private static float[] output(List<OrtRunner.Output> outputs, String name, int expected) {
        for (OrtRunner.Output o : outputs) {
            if (!o.name().equals(name)) continue;
            if (o.values().length != expected) {
                throw new IllegalStateException("the detector's " + name + " holds " + o.values().length + " values, expected " + expected);
            }
            return o.values();
        }
        throw new IllegalStateException("the detector has no output " + name);
    }

    @Override
    public void close() {
        try {
            detector.close();
        } finally {
            if (mesh != null) mesh.close();
        }
    }
}
