package dev.porescope.core.face;

import dev.porescope.core.image.Mask;
import dev.porescope.core.synth.SkinSynthesizer;
import dev.porescope.core.synth.SynthConfig;
import dev.porescope.core.synth.SyntheticPhoto;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class FaceZonesTest {
    private static final double D = 440;
    private static final double CX = 600;
    private static final double CY = 560;

    @Test
    void findsTheEyesOfADrawnFaceAndItsZones() {
        DrawnFace drawn = new DrawnFace(1200, 1300).face(CX, CY, D).noise(1);
        FaceZones zones = FaceZones.find(drawn.argb, drawn.width, drawn.height);

        assertEquals(FaceZones.Status.FACE, zones.status(), zones.note());
        FaceLandmarks eyes = zones.landmarks();
        // subject's right eye is on the image's left; eye centres within 4 % of the eye distance
        assertEquals(CX - D / 2, eyes.rightEye().x(), 0.04 * D);
        assertEquals(CY, eyes.rightEye().y(), 0.04 * D);
        assertEquals(CX + D / 2, eyes.leftEye().x(), 0.04 * D);
        assertEquals(CY, eyes.leftEye().y(), 0.04 * D);

        // points placed by average face proportions (brows 0.38, nose tip 0.6, mouth 1.05 eye distances from the eye line)
        assertEquals(Zone.FOREHEAD.label(), zones.label((int) CX, (int) (CY - 1.0 * D)));
        assertEquals(Zone.NOSE.label(), zones.label((int) CX, (int) (CY + 0.3 * D)));
        assertEquals(Zone.RIGHT_CHEEK.label(), zones.label((int) (CX - 0.65 * D), (int) (CY + 0.55 * D)));
        assertEquals(Zone.LEFT_CHEEK.label(), zones.label((int) (CX + 0.65 * D), (int) (CY + 0.55 * D)));
        assertEquals(Zone.CHIN.label(), zones.label((int) CX, (int) (CY + 1.45 * D)));
        // not skin to count: eyes, brows, nostrils, lips, background
        assertEquals(0, zones.label((int) (CX - D / 2), (int) CY), "eye");
        assertEquals(0, zones.label((int) (CX + 0.47 * D), (int) (CY - 0.38 * D)), "brow");
        assertEquals(0, zones.label((int) (CX + 0.12 * D), (int) (CY + 0.66 * D)), "nostril");
        assertEquals(0, zones.label((int) CX, (int) (CY + 1.05 * D)), "lips");
        assertEquals(0, zones.label(5, 5), "background");
        assertEquals(List.of(Zone.FOREHEAD, Zone.NOSE, Zone.RIGHT_CHEEK, Zone.LEFT_CHEEK, Zone.CHIN), zones.zones());
    }

    @Test
    void findsFacesOfLightAndDarkSkin() {
        // Fitzpatrick-like tones from very light to very dark; brows and lashes stay darker than each
        for (int skin : new int[]{0xFFF6DCCB, 0xFFC68642, 0xFF8D5524, 0xFF5C3A21}) {
            DrawnFace drawn = new DrawnFace(1200, 1300).face(CX, CY, D, skin).noise(5);
            FaceZones zones = FaceZones.find(drawn.argb, drawn.width, drawn.height);
            String tone = Integer.toHexString(skin);
            assertEquals(FaceZones.Status.FACE, zones.status(), tone + ": " + zones.note());
            assertEquals(CX - D / 2, zones.landmarks().rightEye().x(), 0.04 * D, tone);
            assertEquals(Zone.NOSE.label(), zones.label((int) CX, (int) (CY + 0.3 * D)), tone);
            assertEquals(Zone.LEFT_CHEEK.label(), zones.label((int) (CX + 0.65 * D), (int) (CY + 0.55 * D)), tone);
        }
    }

    @Test
    void theMirroredFaceHasTheMirroredZones() {
        DrawnFace drawn = new DrawnFace(1200, 1300).face(CX - 40, CY, D).noise(2);
        int w = drawn.width;
        int h = drawn.height;
        int[] mirrored = new int[w * h];
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) mirrored[y * w + (w - 1 - x)] = drawn.argb[y * w + x];
        FaceZones zones = FaceZones.find(drawn.argb, w, h);
        FaceZones flipped = FaceZones.find(mirrored, w, h);
        assertEquals(FaceZones.Status.FACE, flipped.status(), flipped.note());
        // the subject's right cheek of the photo is the subject's left cheek of its mirror image
        Mask right = zones.mask(Zone.RIGHT_CHEEK);
        Mask leftOfMirror = flipped.mask(Zone.LEFT_CHEEK);
        long same = 0;
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) if (right.get(x, y) && leftOfMirror.get(w - 1 - x, y)) same++;
        assertTrue(same > 0.9 * right.count(), same + " of " + right.count() + " right-cheek pixels mirrored");
    }

    @Test
    void aCloseUpOfSkinHasNoFaceAndIsCountedOnTheSkin() {
        SyntheticPhoto skin = new SkinSynthesizer(SynthConfig.defaults(384, 384)).generate(3);
        FaceZones zones = FaceZones.find(skin.argb(), 384, 384);
        assertEquals(FaceZones.Status.SKIN_ONLY, zones.status(), zones.note());
        assertTrue(zones.usable());
        assertEquals(List.of(Zone.SKIN), zones.zones());
        assertTrue(zones.analysed().count() > 0.8 * 384 * 384, "most of a skin close-up is skin: " + zones.analysed());
    }

    @Test
    void noSkinSeveralFacesAndSmallFacesAreSaidAndNotCounted() {
        int[] blue = new int[300 * 200];
        Arrays.fill(blue, 0xFF2050C0);
        FaceZones none = FaceZones.find(blue, 300, 200);
        assertEquals(FaceZones.Status.NO_SKIN, none.status());
        assertFalse(none.usable());
        assertEquals(0, none.analysed().count());

        DrawnFace two = new DrawnFace(2400, 1300).face(600, CY, D).face(1800, CY, D).noise(3);
        FaceZones both = FaceZones.find(two.argb, two.width, two.height);
        assertEquals(FaceZones.Status.SEVERAL_FACES, both.status(), both.note());
        assertFalse(both.usable());

        DrawnFace small = new DrawnFace(1200, 1300).face(CX, CY, 250).noise(4);
        FaceZones tooSmall = FaceZones.find(small.argb, small.width, small.height);
        assertEquals(FaceZones.Status.FACE_TOO_SMALL, tooSmall.status(), tooSmall.note());
        assertTrue(tooSmall.note().contains("400 px"), tooSmall.note());

        // where a face detector saw no face: the small face and the two faces count as skin, a large face stays
        assertEquals(FaceZones.Status.SKIN_ONLY, FaceZones.findLargeFace(small.argb, small.width, small.height).status());
        assertEquals(FaceZones.Status.SKIN_ONLY, FaceZones.findLargeFace(two.argb, two.width, two.height).status());
        DrawnFace large = new DrawnFace(1200, 1300).face(CX, CY, D).noise(4);
        assertEquals(FaceZones.Status.FACE, FaceZones.findLargeFace(large.argb, large.width, large.height).status());
    }
}
