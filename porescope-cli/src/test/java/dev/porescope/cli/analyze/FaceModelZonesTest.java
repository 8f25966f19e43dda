package dev.porescope.cli.analyze;

import dev.porescope.core.face.FaceLandmarks.Point;
import dev.porescope.core.face.FaceZones;
import dev.porescope.ort.face.FaceLandmarker;
import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Point2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embedded MediaPipe models (converted by {@code porescope face-models}) on faces drawn with
 * java.awt: the landmarks must land where the eyes, nose and mouth were drawn, also on a tilted head;
 * skin without a face gives no face.
 */
class FaceModelZonesTest {
    // where the face below draws them, before any tilt
    static final Point RIGHT_EYE = new Point(180, 250), LEFT_EYE = new Point(300, 250);
    static final Point NOSE = new Point(240, 327), MOUTH = new Point(240, 390);

    /** A cartoon face: hair, skin oval, brows, open eyes with irises, nose with nostrils, lips. */
    static int[] face(double tiltDegrees) {
        BufferedImage im = new BufferedImage(480, 600, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = im.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(new Color(200, 210, 220));
        g.fillRect(0, 0, 480, 600);
        g.rotate(Math.toRadians(tiltDegrees), 240, 300);
        g.setColor(new Color(60, 40, 30));
        g.fillOval(70, 40, 340, 300);
        g.setColor(new Color(224, 172, 140));
        g.fillOval(100, 90, 280, 380);
        g.fillRect(190, 440, 100, 200);
        for (Point e : List.of(RIGHT_EYE, LEFT_EYE)) {
            int x = (int) e.x(), y = (int) e.y();
            g.setColor(new Color(80, 50, 35));
            g.fillRoundRect(x - 40, y - 45, 80, 12, 10, 10);
            g.setColor(Color.WHITE);
            g.fillOval(x - 28, y - 12, 56, 24);
            g.setColor(new Color(60, 40, 30));
            g.fillOval(x - 12, y - 12, 24, 24);
            g.setColor(Color.BLACK);
            g.fillOval(x - 5, y - 5, 10, 10);
        }
        g.setColor(new Color(190, 135, 105));
        g.fillOval(215, 310, 50, 35);
        g.setColor(new Color(120, 70, 60));
        g.fillOval(222, 330, 12, 8);
        g.fillOval(246, 330, 12, 8);
        g.setColor(new Color(170, 60, 60));
        g.fill(new Ellipse2D.Double(195, 375, 90, 30));
        g.setColor(new Color(100, 30, 30));
        g.fillRect(200, 388, 80, 4);
        g.dispose();
        return im.getRGB(0, 0, 480, 600, null, 0, 480);
    }

    private static Point tilted(Point p, double degrees) {
        Point2D q = AffineTransform.getRotateInstance(Math.toRadians(degrees), 240, 300).transform(new Point2D.Double(p.x(), p.y()), null);
        return new Point(q.getX(), q.getY());
    }

    private static void near(Point expected, Point got, double px, String what) {
        double d = Math.hypot(expected.x() - got.x(), expected.y() - got.y());
        assertTrue(d <= px, what + " found at " + got + ", drawn at " + expected + " (" + Math.round(d) + " px off, at most " + px + ")");
    }

    @Test
    void landmarksLandWhereTheFaceWasDrawnAlsoTilted() throws Exception {
        FaceLandmarker models = FaceModelZones.landmarker();
        for (double tilt : new double[]{0, 20}) {
            List<FaceLandmarker.Face> faces = models.find(face(tilt), 480, 600);
            assertEquals(1, faces.size(), "one face at tilt " + tilt);
            FaceLandmarker.Face f = faces.get(0);
            assertNotNull(f.mesh(), "the face mesh ran and scored the face: " + f.meshScore());
            // eyes 120 px apart: within 5 % of that; nose and mouth within 10 %
            near(tilted(RIGHT_EYE, tilt), f.landmarks().rightEye(), 6, "subject's right eye (image left), tilt " + tilt);
            near(tilted(LEFT_EYE, tilt), f.landmarks().leftEye(), 6, "subject's left eye, tilt " + tilt);
            near(tilted(NOSE, tilt), f.landmarks().noseTip(), 12, "nose tip, tilt " + tilt);
            near(tilted(MOUTH, tilt), f.landmarks().mouth(), 12, "mouth, tilt " + tilt);
        }
    }

    @Test
    void skinWithoutAFaceHasNoFace() throws Exception {
        int w = 600, h = 600;
        int[] skin = new int[w * h];
        Random r = new Random(3);
        for (int i = 0; i < skin.length; i++) {
            int v = (int) (r.nextGaussian() * 6);
            skin[i] = 0xFF000000 | (clamp(214 + v) << 16) | (clamp(166 + v) << 8) | clamp(140 + v);
        }
        for (int k = 0; k < 900; k++) { // pores: 3x3 dots about 12 % darker
            int x = 1 + r.nextInt(w - 2), y = 1 + r.nextInt(h - 2);
            for (int dy = -1; dy <= 1; dy++) for (int dx = -1; dx <= 1; dx++) skin[(y + dy) * w + x + dx] = 0xFFBC927B;
        }
        assertEquals(List.of(), FaceModelZones.landmarker().find(skin, w, h));
        FaceZones zones = FaceModelZones.find(skin, w, h);
        assertEquals(FaceZones.Status.SKIN_ONLY, zones.status(), zones.note());
        assertEquals(FaceModelZones.FALLBACK, zones.finder());
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
