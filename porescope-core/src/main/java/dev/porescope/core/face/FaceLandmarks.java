package dev.porescope.core.face;

/**
 * The few face points the zones are built from, in image pixels. Left and right are the subject's:
 * on a frontal photo the subject's right eye is on the image's left.
 *
 * @param rightEye centre of the subject's right eye
 * @param leftEye  centre of the subject's left eye
 * @param noseTip  tip of the nose; null = estimated from the eyes (0.6 eye distances below them)
 * @param mouth    centre of the mouth; null = estimated (1.05 eye distances below the eyes)
 */
public record FaceLandmarks(Point rightEye, Point leftEye, Point noseTip, Point mouth) {

    /** A point in image pixels. */
    public record Point(double x, double y) { }

    public FaceLandmarks {
        if (rightEye == null || leftEye == null) {
            throw new IllegalArgumentException("both eye centres are needed");
        }
        if (eyeDistance(rightEye, leftEye) < 1) {
            throw new IllegalArgumentException("the eye centres " + rightEye + " and " + leftEye + " coincide");
        }
    }

    /** Only the eyes; nose and mouth from average face proportions. */
    public static FaceLandmarks ofEyes(Point rightEye, Point leftEye) {
        return new FaceLandmarks(rightEye, leftEye, null, null);
    }

    /** Distance between the eye centres, px: the unit of every zone's geometry. */
    public double eyeDistance() {
        return eyeDistance(rightEye, leftEye);
    }

    private static double eyeDistance(Point a, Point b) {
        return Math.hypot(b.x() - a.x(), b.y() - a.y());
    }
}
