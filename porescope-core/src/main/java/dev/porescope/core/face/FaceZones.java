package dev.porescope.core.face;

import dev.porescope.core.image.Mask;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where in a photo pores are counted: the face zones (forehead, nose, cheeks, chin) on skin, or the
 * skin alone when no face is in view. The same code runs on the server and the phone, from packed
 * ARGB pixels ({@code BufferedImage.getRGB}, {@code Bitmap.getPixels}).
 *
 * <p>The label map has one byte per photo pixel: 0 = not analysed (background, hair, eyes, brows,
 * lashes, nostrils, lips, dark features), else the {@link Zone#label()} of the pixel's zone.
 */
public final class FaceZones {
    /**
     * Least eye distance, px, at which pores are resolved: with an adult's 63 mm between the eyes,
     * 400 px is about 6 px per mm, where a 0.3 mm pore covers about 4 px, the default model's smallest pore.
     */
    public static final int MIN_EYE_DISTANCE_PX = 400;

    /** What was found in the photo. */
    public enum Status {
        /** A frontal face: pores counted per face zone. */
        FACE,
        /** No face in view (a close-up, a profile): pores counted on the skin mask, one zone "skin". */
        SKIN_ONLY,
        /** No skin in view: nothing to count. */
        NO_SKIN,
        /** More than one face: refused (crop the photo to one face). */
        SEVERAL_FACES,
        /** A face whose pores are too small to resolve. */
        FACE_TOO_SMALL
    }

    private final int width;
    private final int height;
    private final byte[] labels;
    private final Status status;
    private final FaceLandmarks landmarks;
    private final String note;
    private final String finder;

    private FaceZones(int width, int height, byte[] labels, Status status, FaceLandmarks landmarks, String note) {
        this(width, height, labels, status, landmarks, note, HEURISTIC);
    }

    private FaceZones(int width, int height, byte[] labels, Status status, FaceLandmarks landmarks, String note, String finder) {
        this.width = width;
        this.height = height;
        this.labels = labels;
        this.status = status;
        this.landmarks = landmarks;
        this.note = note;
        this.finder = finder;
    }

    /** {@link #finder()} of the zones {@link #find} found: this package's colour and dark-feature heuristic. */
    public static final String HEURISTIC = "heuristic";

    /** Finds skin, a frontal face and its zones in a photo. */
    public static FaceZones find(int[] argb, int width, int height) {
        return find(argb, width, height, true);
    }

    /**
     * As {@link #find}, for a photo in which a trained face detector found no face: a face too small
     * to resolve pores, or several faces, is then taken for what it most likely is (brows, lashes or
     * nostrils paired up on a close-up; the detector does see small faces) and the photo is counted on
     * the skin alone. A large frontal face is kept: the detector misses some (closed eyes, a face
     * cut off below the eyes).
     */
    public static FaceZones findLargeFace(int[] argb, int width, int height) {
        return find(argb, width, height, false);
    }

    private static FaceZones find(int[] argb, int width, int height, boolean refuseSmallOrSeveral) {
        SkinMask skin = SkinMask.of(argb, width, height);
        if (skin.skinPixels() == 0) {
            return new FaceZones(width, height, new byte[width * height], Status.NO_SKIN, null,
                    "no skin found (no large patch of skin colour)");
        }
        FaceFinder.Found found = FaceFinder.find(skin);
        if (found.eyes() == null) {
            return skinOnly(skin, width, height);
        }
        FaceLandmarks landmarks = FaceFinder.landmarks(found.eyes(), skin.scale);
        if (!refuseSmallOrSeveral && (found.faces() > 1 || landmarks.eyeDistance() < MIN_EYE_DISTANCE_PX)) {
            return skinOnly(skin, width, height);
        }
        if (found.faces() > 1) {
            return new FaceZones(width, height, new byte[width * height], Status.SEVERAL_FACES, landmarks,
                    found.faces() + " faces found; pores are counted on one face: crop the photo to one face");
        }
        return ofLandmarks(skin, landmarks, width, height);
    }

    /** The zones of a face whose landmarks are known (from any face model), on the photo's skin. */
    public static FaceZones of(int[] argb, int width, int height, FaceLandmarks landmarks) {
        return ofLandmarks(SkinMask.of(argb, width, height), landmarks, width, height);
    }

    /**
     * The zones of a face whose landmarks a face model found, on the photo's skin.
     *
     * @param finder the model's name, for the report ({@link #finder()})
     */
    public static FaceZones of(int[] argb, int width, int height, FaceLandmarks landmarks, String finder) {
        return of(argb, width, height, landmarks).withFinder(finder);
    }

    /** The same zones, reported as found by {@code finder}. */
    public FaceZones withFinder(String finder) {
        return new FaceZones(width, height, labels, status, landmarks, note, finder);
    }

    /** A face model found {@code faces} faces (more than one): refused, as {@link #find} refuses them. */
    public static FaceZones severalFaces(int width, int height, int faces, FaceLandmarks best, String finder) {
        return new FaceZones(width, height, new byte[width * height], Status.SEVERAL_FACES, best,
                faces + " faces found; pores are counted on one face: crop the photo to one face", finder);
    }

    private static FaceZones ofLandmarks(SkinMask skin, FaceLandmarks landmarks, int width, int height) {
        double d = landmarks.eyeDistance();
        if (d < MIN_EYE_DISTANCE_PX) {
            return new FaceZones(width, height, new byte[width * height], Status.FACE_TOO_SMALL, landmarks,
                    String.format(Locale.ROOT, "the face is too small to resolve pores (eyes %.0f px apart; at least %d px,"
                            + " about 6 px per mm, are needed)", d, MIN_EYE_DISTANCE_PX));
        }
        byte[] reduced = new ZoneGeometry(landmarks).rasterize(skin.width, skin.height, skin.scale);
        for (int i = 0; i < reduced.length; i++) {
            if (!skin.skin[i]) reduced[i] = 0;
        }
        byte[] labels = enlarge(reduced, skin, width, height);
        return new FaceZones(width, height, labels, Status.FACE, landmarks,
                String.format(Locale.ROOT, "frontal face found (eyes %.0f px apart): pores counted in the face zones", d));
    }

    private static FaceZones skinOnly(SkinMask skin, int width, int height) {
        byte[] reduced = new byte[skin.width * skin.height];
        for (int i = 0; i < reduced.length; i++) {
            if (skin.skin[i]) reduced[i] = (byte) Zone.SKIN.label();
        }
        return new FaceZones(width, height, enlarge(reduced, skin, width, height), Status.SKIN_ONLY, null,
                "no face found (a close-up, a profile, or eyes out of view): pores counted on the skin mask, no face zones");
    }

    /** Nearest-neighbour enlargement of the reduced label map to the photo. */
    private static byte[] enlarge(byte[] reduced, SkinMask skin, int width, int height) {
        byte[] labels = new byte[width * height];
        int s = skin.scale;
        for (int y = 0; y < height; y++) {
            int row = (y / s) * skin.width;
            for (int x = 0; x < width; x++) labels[y * width + x] = reduced[row + x / s];
        }
        return labels;
    }

    public int width() { return width; }
    public int height() { return height; }
    public Status status() { return status; }

    /** The landmarks the zones were built from; null without a face. */
    public FaceLandmarks landmarks() { return landmarks; }

    /** One line saying what was found and what is counted. */
    public String note() { return note; }

    /** What found the face or decided there is none: {@link #HEURISTIC}, or a face model's name. */
    public String finder() { return finder; }

    /** True when pores can be counted (a face, or skin without a face). */
    public boolean usable() { return status == Status.FACE || status == Status.SKIN_ONLY; }

    /** The zone label of every pixel (0 = not analysed), row-major; a copy. */
    public byte[] labels() { return labels.clone(); }

    /** The zone label of one pixel (0 = not analysed). */
    public int label(int x, int y) { return labels[y * width + x] & 0xFF; }

    /** Every analysed pixel: the union of the zones. */
    public Mask analysed() {
        boolean[] b = new boolean[labels.length];
        for (int i = 0; i < b.length; i++) b[i] = labels[i] != 0;
        return new Mask(width, height, b);
    }

    /** The pixels of one zone. */
    public Mask mask(Zone zone) {
        byte v = (byte) zone.label();
        boolean[] b = new boolean[labels.length];
        for (int i = 0; i < b.length; i++) b[i] = labels[i] == v;
        return new Mask(width, height, b);
    }

    /** The zones present (at least one pixel), in {@link Zone} order. */
    public List<Zone> zones() {
        boolean[] seen = new boolean[256];
        for (byte l : labels) seen[l & 0xFF] = true;
        List<Zone> out = new ArrayList<>();
        for (Zone z : Zone.values()) {
            if (seen[z.label()]) out.add(z);
        }
        return out;
    }

    /** Where to write each present zone's name: the centre of its pixels, in photo pixels. */
    public java.util.Map<Zone, FaceLandmarks.Point> anchors() {
        double[] sx = new double[256];
        double[] sy = new double[256];
        long[] n = new long[256];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int l = labels[y * width + x] & 0xFF;
                if (l == 0) continue;
                sx[l] += x + 0.5;
                sy[l] += y + 0.5;
                n[l]++;
            }
        }
        java.util.Map<Zone, FaceLandmarks.Point> out = new java.util.EnumMap<>(Zone.class);
        for (Zone z : Zone.values()) {
            if (n[z.label()] > 0) out.put(z, new FaceLandmarks.Point(sx[z.label()] / n[z.label()], sy[z.label()] / n[z.label()]));
        }
        return out;
    }
}
