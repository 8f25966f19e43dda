package dev.porescope.core.synth;

import dev.porescope.core.image.Mask;
import dev.porescope.core.image.Plane;
import dev.porescope.core.pores.Components;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class SkinSynthesizerTest {

    private static final int SIZE = 256;

    @Test
    void sameSeedGivesIdenticalPixelsAndLabel() {
        SynthConfig config = SynthConfig.defaults(SIZE, SIZE);
        SyntheticPhoto a = new SkinSynthesizer(config).generate(42);
        SyntheticPhoto b = new SkinSynthesizer(config).generate(42);
        assertArrayEquals(a.argb(), b.argb());
        assertEquals(a.pores(), b.pores());
        assertEquals("synth-42", a.name());
    }

    @Test
    void differentSeedsGiveDifferentPhotos() {
        SkinSynthesizer synth = new SkinSynthesizer(SynthConfig.defaults(SIZE, SIZE));
        SyntheticPhoto a = synth.generate(1);
        SyntheticPhoto b = synth.generate(2);
        int differing = 0;
        for (int i = 0; i < a.argb().length; i++) {
            if (a.argb()[i] != b.argb()[i]) differing++;
        }
        assertTrue(differing > a.argb().length / 2, "only " + differing + " pixels differ");
        assertNotEquals(a.pores(), b.pores());
    }

    @Test
    void pixelsAreOpaqueArgb() {
        SyntheticPhoto photo = new SkinSynthesizer(SynthConfig.hard(64, 48)).generate(3);
        assertEquals(64 * 48, photo.argb().length);
        for (int p : photo.argb()) assertEquals(0xFF, p >>> 24);
    }

    @Test
    void defaultPhotosLookLikeRealSkin() {
        SkinSynthesizer synth = new SkinSynthesizer(SynthConfig.defaults(384, 384));
        for (long seed = 0; seed < 3; seed++) {
            assertRealistic(SkinStatistics.of(synth.generate(seed)), "defaults, seed " + seed);
        }
    }

    @Test
    void randomizedAndHardPhotosStayInRealRanges() {
        SplittableRandom rng = new SplittableRandom(2024);
        for (int k = 0; k < 4; k++) {
            SynthConfig config = SynthConfig.randomized(rng, 384, 384);
            assertRealistic(SkinStatistics.of(new SkinSynthesizer(config).generate(k)), "randomized " + k + ": " + config);
        }
        assertRealistic(SkinStatistics.of(new SkinSynthesizer(SynthConfig.hard(384, 384)).generate(9)), "hard");
    }

    private static void assertRealistic(SkinStatistics s, String what) {
        assertTrue(s.poresPer100x100() >= 20 && s.poresPer100x100() <= 50, what + ": density " + s);
        assertTrue(s.medianEquivalentDiameter() >= 3.5 && s.medianEquivalentDiameter() <= 7, what + ": diameter " + s);
        assertTrue(s.medianRelativeContrast() >= 0.015 && s.medianRelativeContrast() <= 0.06, what + ": contrast " + s);
    }

    @Test
    void distractorsAloneLeaveTheLabelEmpty() {
        SynthConfig config = SynthConfig.defaults(SIZE, SIZE)
                .withPores(new SynthConfig.Pores(0, 0, 2.5, 0.3, 1.5, 0, 0.05, 0.3))
                .withDistractors(new SynthConfig.Distractors(3, 0.5, 1, 2));
        SyntheticPhoto photo = new SkinSynthesizer(config).generate(5);
        assertEquals(0, photo.pores().count());
        // and there really are strong dark things in the photo: pixels far darker than the median
        float[] luma = photo.luma().values().clone();
        java.util.Arrays.sort(luma);
        float median = luma[luma.length / 2];
        assertTrue(luma[luma.length / 200] < 0.85f * median, "no dark distractors drawn");
    }

    @Test
    void distractorsDoNotChangeThePoresOnlyHideSome() {
        SynthConfig clean = SynthConfig.defaults(SIZE, SIZE).withDistractors(SynthConfig.Distractors.none());
        SynthConfig busy = clean.withDistractors(new SynthConfig.Distractors(2, 0.4, 1, 2));
        SyntheticPhoto without = new SkinSynthesizer(clean).generate(11);
        SyntheticPhoto with = new SkinSynthesizer(busy).generate(11);
        boolean[] a = without.pores().bits();
        boolean[] b = with.pores().bits();
        int hidden = 0;
        for (int i = 0; i < a.length; i++) {
            assertFalse(b[i] && !a[i], "a distractor pixel entered the label at " + i);
            if (a[i] && !b[i]) hidden++;
        }
        assertTrue(hidden < 0.1 * without.pores().count(), hidden + " label pixels hidden");
        assertFalse(java.util.Arrays.equals(without.argb(), with.argb()));
    }

    /**
     * On a photo without texture, light, blur, noise or distractors, every labelled pixel is darkened
     * by at least half of its pore's deepest darkening (the half-depth rule), measured from pixels.
     */
    @Test
    void labelIsTheHalfDepthRegionOfEachPore() {
        SynthConfig config = new SynthConfig(SIZE, SIZE,
                new SynthConfig.Pores(10, 0, 2.8, 0.25, 1.8, 0, 0.12, 0.3),
                new SynthConfig.Skin(0.1, 0.1, 0, 0),
                SynthConfig.Distractors.none(), 0, 0, 0);
        SyntheticPhoto photo = new SkinSynthesizer(config).generate(21);
        Plane luma = photo.luma();
        float[] v = luma.values().clone();
        java.util.Arrays.sort(v);
        float background = v[v.length - 1];
        Components c = Components.of(photo.pores());
        assertTrue(c.count() > 40, "too few pores: " + c.count());
        double[] peak = new double[c.count() + 1];
        int[] labels = c.labels();
        float[] lv = luma.values();
        for (int i = 0; i < labels.length; i++) {
            peak[labels[i]] = Math.max(peak[labels[i]], 1 - lv[i] / background);
        }
        double quantum = 1.5 / 255 / background;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == 0) continue;
            double darkening = 1 - lv[i] / background;
            assertTrue(darkening >= 0.5 * peak[labels[i]] - quantum,
                    "pixel " + i + " darkened " + darkening + " of pore peak " + peak[labels[i]]);
        }
        // and pixels outside every pore and away from them are plain skin
        Mask label = photo.pores();
        int far = 0;
        for (int y = 12; y < SIZE - 12; y += 3) {
            for (int x = 12; x < SIZE - 12; x += 3) {
                boolean near = false;
                for (int dy = -12; dy <= 12 && !near; dy++) {
                    for (int dx = -12; dx <= 12 && !near; dx++) near = label.get(x + dx, y + dy);
                }
                if (!near) {
                    far++;
                    assertTrue(1 - luma.get(x, y) / background <= quantum, "dark pixel far from every pore at " + x + "," + y);
                }
            }
        }
        assertTrue(far > 100);
    }

    @Test
    void aLargerPhotoHasMorePoresAtTheSameDensity() {
        // the synthesizer places pores per area: four times the pixels, about four times the pores
        // (its speed, seconds per megapixel at two sizes, is a figure of 'porescope bench analyze')
        SkinStatistics small = SkinStatistics.of(new SkinSynthesizer(SynthConfig.defaults(256, 256)).generate(1));
        SkinStatistics large = SkinStatistics.of(new SkinSynthesizer(SynthConfig.defaults(512, 512)).generate(1));
        assertEquals(small.poresPer100x100(), large.poresPer100x100(), 0.2 * small.poresPer100x100(),
                "density 256x256 " + small + " vs 512x512 " + large);
        assertRealistic(large, "defaults, 512x512");
    }
}
