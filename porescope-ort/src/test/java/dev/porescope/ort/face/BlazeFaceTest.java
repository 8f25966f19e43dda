package dev.porescope.ort.face;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Anchors, decoding and weighted NMS against values worked out by hand from MediaPipe's graph options. */
class BlazeFaceTest {

    @Test
    void anchorsAreCellCentresOfTheTwoGrids() {
        double[] a = BlazeFace.anchors();
        assertEquals(2 * 896, a.length);
        // 16x16 grid, 2 anchors per cell, row-major
        assertArrayEquals(new double[]{1 / 32.0, 1 / 32.0}, Arrays.copyOfRange(a, 0, 2));
        assertArrayEquals(new double[]{1 / 32.0, 1 / 32.0}, Arrays.copyOfRange(a, 2, 4));
        assertArrayEquals(new double[]{3 / 32.0, 1 / 32.0}, Arrays.copyOfRange(a, 4, 6));
        assertArrayEquals(new double[]{1 / 32.0, 3 / 32.0}, Arrays.copyOfRange(a, 2 * 32, 2 * 32 + 2));
        // then 8x8, 6 per cell, from anchor 512
        assertArrayEquals(new double[]{1 / 16.0, 1 / 16.0}, Arrays.copyOfRange(a, 2 * 512, 2 * 512 + 2));
        assertArrayEquals(new double[]{1 / 16.0, 1 / 16.0}, Arrays.copyOfRange(a, 2 * 517, 2 * 517 + 2));
        assertArrayEquals(new double[]{3 / 16.0, 1 / 16.0}, Arrays.copyOfRange(a, 2 * 518, 2 * 518 + 2));
        assertArrayEquals(new double[]{15 / 16.0, 15 / 16.0}, Arrays.copyOfRange(a, 2 * 895, 2 * 896));
    }

    @Test
    void decodesOffsetsInInputPixelsFromTheAnchor() {
        float[] reg = new float[896 * 16];
        float[] scores = new float[896];
        Arrays.fill(scores, -1000f); // clipped to -100: score ~ 0
        int i = 512;
        scores[i] = (float) Math.log(4); // sigmoid = 0.8
        float[] raw = {12.8f, -6.4f, 32f, 64f, 6.4f, 12.8f};
        System.arraycopy(raw, 0, reg, i * 16, raw.length);
        List<BlazeFace.Detection> d = BlazeFace.decode(reg, scores, BlazeFace.anchors(), 0.5);
        assertEquals(1, d.size());
        BlazeFace.Detection x = d.get(0);
        assertEquals(0.8, x.score(), 1e-6);
        // centre 0.0625 + 0.1 = 0.1625, 0.0625 - 0.05 = 0.0125; size 0.25 x 0.5
        assertEquals(0.0375, x.xMin(), 1e-6);
        assertEquals(0.2875, x.xMax(), 1e-6);
        assertEquals(-0.2375, x.yMin(), 1e-6);
        assertEquals(0.2625, x.yMax(), 1e-6);
        assertEquals(0.1125, x.keypoints()[0], 1e-6);
        assertEquals(0.1625, x.keypoints()[1], 1e-6);
        assertEquals(0.0625, x.keypoints()[2], 1e-6); // raw 0 = the anchor centre
    }

    private static BlazeFace.Detection box(double score, double x0, double y0, double x1, double y1, double k) {
        double[] kp = new double[12];
        Arrays.fill(kp, k);
        return new BlazeFace.Detection(score, x0, y0, x1, y1, kp);
    }

    @Test
    void weightedNmsAveragesOverlappingBoxesByScore() {
        BlazeFace.Detection a = box(0.9, 0, 0, 1, 1, 0.2);
        BlazeFace.Detection b = box(0.6, 0.1, 0, 1.1, 1, 0.7);   // IoU with a = 0.9 / 1.1
        BlazeFace.Detection c = box(0.7, 5, 5, 6, 6, 5.5);       // apart
        BlazeFace.Detection d = box(0.5, 0.75, 0, 1.75, 1, 1.0); // IoU with a = 0.25 / 1.75, under 0.3
        List<BlazeFace.Detection> out = BlazeFace.weightedNms(List.of(d, b, c, a), 0.3);
        assertEquals(3, out.size());
        BlazeFace.Detection m = out.get(0);
        assertEquals(0.9, m.score(), 1e-12);
        assertEquals(0.06 / 1.5, m.xMin(), 1e-9);
        assertEquals(1.56 / 1.5, m.xMax(), 1e-9);
        assertEquals(0.0, m.yMin(), 1e-9);
        assertEquals(1.0, m.yMax(), 1e-9);
        assertEquals((0.9 * 0.2 + 0.6 * 0.7) / 1.5, m.keypoints()[5], 1e-9);
        assertEquals(0.7, out.get(1).score(), 1e-12);
        assertEquals(5.0, out.get(1).xMin(), 1e-12);
        assertEquals(0.5, out.get(2).score(), 1e-12);
        assertEquals(0.75, out.get(2).xMin(), 1e-12);
    }

    @Test
    void cropWindowRotatesClockwiseOnScreenAndPadsBlack() {
        FaceCrop turned = new FaceCrop(100, 50, 20, Math.PI / 2);
        double[] p = turned.toPhoto(1, 0.5); // the window's right edge
        assertEquals(100, p[0], 1e-9);
        assertEquals(60, p[1], 1e-9);
        // a white 4x2 photo letterboxed into a 4x4 window: top and bottom rows black
        int[] white = new int[8];
        Arrays.fill(white, 0xFFFFFFFF);
        float[] v = new FaceCrop(2, 1, 4, 0).sample(white, 4, 2, 4, -1f, 1f);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                for (int c = 0; c < 3; c++) {
                    assertEquals(y == 0 || y == 3 ? -1f : 1f, v[(y * 4 + x) * 3 + c], 1e-6, "pixel " + x + "," + y);
                }
            }
        }
    }
}
