package dev.porescope.core.preprocess;

import dev.porescope.core.image.Plane;
import dev.porescope.core.json.Json;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class PreprocessingTest {

    private static Plane noise(int w, int h, long seed) {
        Random r = new Random(seed);
        Plane p = new Plane(w, h);
        for (int i = 0; i < p.values().length; i++) p.values()[i] = 0.3f + 0.4f * r.nextFloat();
        return p;
    }

    @Test
    void standardizeGivesZeroMeanUnitStd() {
        Plane out = Preprocessing.standard().apply(noise(50, 40, 1));
        double sum = 0, ss = 0;
        for (float v : out.values()) sum += v;
        double mean = sum / out.values().length;
        for (float v : out.values()) ss += (v - mean) * (v - mean);
        assertEquals(0, mean, 1e-5);
        assertEquals(1, Math.sqrt(ss / out.values().length), 1e-4);
    }

    @Test
    void identityCopiesAndDoesNotTouchInput() {
        Plane in = noise(10, 10, 2);
        Plane before = in.copy();
        Plane out = Preprocessing.identity().apply(in);
        assertEquals(before, out);
        assertNotSame(in, out);
        new Preprocessing(20, 1, 1, 1, Preprocessing.STANDARDIZE).apply(in);
        assertEquals(before, in);
    }

    @Test
    void flatteningRemovesAMultiplicativeLightGradient() {
        int w = 200, h = 150;
        Plane texture = noise(w, h, 3);
        Plane lit = new Plane(w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) lit.set(x, y, texture.get(x, y) * (0.4f + 0.6f * x / w));
        }
        Preprocessing flat = new Preprocessing(16, 0, 1, 0, Preprocessing.NONE);
        Plane out = flat.apply(lit);
        // left and right thirds: brightness ratio 0.4+ vs 1.0 before, about equal after
        assertTrue(columnMean(lit, 0, 60) / columnMean(lit, 140, 200) < 0.7);
        assertEquals(1, columnMean(out, 0, 60) / columnMean(out, 140, 200), 0.05);
    }

    private static double columnMean(Plane p, int x0, int x1) {
        double s = 0;
        int n = 0;
        for (int y = 0; y < p.height(); y++) for (int x = x0; x < x1; x++) { s += p.get(x, y); n++; }
        return s / n;
    }

    @Test
    void blurFastIsCloseToTheExactBlur() {
        Plane smooth = new Plane(300, 200);
        for (int y = 0; y < 200; y++) {
            for (int x = 0; x < 300; x++) smooth.set(x, y, (float) (0.5 + 0.3 * Math.sin(x / 23.0) * Math.cos(y / 17.0)));
        }
        Plane exact = Gaussian.blur(smooth, 20);
        Plane fast = Gaussian.blurFast(smooth, 20);
        double worst = 0;
        for (int i = 0; i < exact.values().length; i++) worst = Math.max(worst, Math.abs(exact.values()[i] - fast.values()[i]));
        assertTrue(worst < 0.005, "max difference " + worst);
    }

    @Test
    void blurFastWithoutAPaddedCopyIsTheDocumentedPadAverageBlurInterpolateBitForBit() {
        // the recipe of blurFast's documentation, built here from the public pieces: mirror-pad by the
        // kernel radius rounded up to whole blocks, average f x f blocks, blur the small copy by the
        // rest of the spread, interpolate back bilinearly at the block centres
        Plane in = noise(203, 151, 9);
        double sigma = 32;
        int f = 8;
        int pad = ((int) Math.ceil(3 * sigma) + f - 1) / f * f;
        Plane padded = new Plane(203 + 2 * pad, 151 + 2 * pad);
        for (int y = 0; y < padded.height(); y++) {
            for (int x = 0; x < padded.width(); x++) {
                padded.set(x, y, in.get(dev.porescope.core.image.Mirror.index(x - pad, 203),
                        dev.porescope.core.image.Mirror.index(y - pad, 151)));
            }
        }
        Plane small = dev.porescope.core.image.Resize.area(padded, f);
        Plane blurred = Gaussian.blur(small, Math.sqrt(sigma * sigma - (f * f - 1) / 12.0) / f);
        Plane expected = dev.porescope.core.image.Resize.bilinear(blurred, 203, 151,
                x -> (x + pad + 0.5) / f - 0.5, y -> (y + pad + 0.5) / f - 0.5);

        assertArrayEquals(expected.values(), Gaussian.blurFast(in, sigma).values());
        Plane before = in.copy();
        Plane inPlace = Gaussian.blurFast(in, sigma, in);
        assertSame(in, inPlace);
        assertArrayEquals(expected.values(), inPlace.values());
        assertNotEquals(before, in);
    }

    @Test
    void unsharpMaskFollowsItsFormula() {
        Plane in = noise(30, 30, 4);
        Plane out = new Preprocessing(0, 0, 2, 0.5, Preprocessing.NONE).apply(in);
        Plane blurred = Gaussian.blur(in, 2);
        for (int i = 0; i < in.values().length; i++) {
            float expected = in.values()[i] + 0.5f * (in.values()[i] - blurred.values()[i]);
            assertEquals(expected, out.values()[i], 1e-6);
        }
    }

    @Test
    void stepsRunInTheDocumentedOrder() {
        Plane in = noise(64, 48, 5);
        Preprocessing all = new Preprocessing(10, 1, 2, 0.7, Preprocessing.STANDARDIZE);
        Plane expected = Preprocessing.standardize(Preprocessing.sharpen(
                Gaussian.blur(Preprocessing.flatten(in, 10), 1), 2, 0.7f));
        assertEquals(expected, all.apply(in));
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Preprocessing(-1, 0, 1, 0, "none"));
        assertThrows(IllegalArgumentException.class, () -> new Preprocessing(0, 0, 1, 0, "zscore"));
        assertThrows(IllegalArgumentException.class, () -> new Preprocessing(0, 0, 0, 1, "none"));
    }

    @Test
    void jsonRoundTrip() {
        Preprocessing p = new Preprocessing(25, 0.8, 1.5, 0.6, Preprocessing.STANDARDIZE);
        String json = Json.write(p);
        assertTrue(json.contains("\"flattenSigma\":25.0"), json);
        assertEquals(p, Json.read(json, Preprocessing.class));
    }

    @Test
    void cardsWrittenBeforeLocalNormalisationReadAndWriteAsBefore() {
        String old = "{\"flattenSigma\":16.0,\"blurSigma\":0.0,\"sharpenSigma\":1.0,\"sharpenAmount\":0.0,\"normalize\":\"standardize\"}";
        Preprocessing p = Json.read(old, Preprocessing.class);
        assertEquals(new Preprocessing(16, 0, 1, 0, Preprocessing.STANDARDIZE), p);
        assertEquals(old, Json.write(p));
        Preprocessing local = Preprocessing.local(16, 32);
        assertTrue(Json.write(local).contains("\"normalizeSigma\":32.0"), Json.write(local));
        assertEquals(local, Json.read(Json.write(local), Preprocessing.class));
        assertThrows(IllegalArgumentException.class, () -> new Preprocessing(0, 0, 1, 0, Preprocessing.LOCAL, 0));
        assertThrows(IllegalArgumentException.class, () -> new Preprocessing(0, 0, 1, 0, Preprocessing.STANDARDIZE, 8));
    }

    /** Skin texture with a dark rectangle (a brow, hair) in rows {@code [y0, y1)}, or none when y0 == y1. */
    private static Plane skinWithDarkBand(int w, int h, int y0, int y1) {
        Plane p = noise(w, h, 7);
        for (int y = y0; y < y1; y++) {
            for (int x = 0; x < w; x++) p.set(x, y, 0.05f + 0.1f * p.get(x, y));
        }
        return p;
    }

    @Test
    void localNormalisationDoesNotDependOnFarAwayContentButWholePhotoStandardisationDoes() {
        int w = 160, h = 400;
        Plane plain = skinWithDarkBand(w, h, 0, 0);
        Plane withBrow = skinWithDarkBand(w, h, 0, 120); // the top 120 rows are dark
        Preprocessing local = Preprocessing.local(16, 16);
        Preprocessing global = new Preprocessing(16, 0, 1, 0, Preprocessing.STANDARDIZE);
        // rows from 300 on lie beyond the reach of both blurs (3 sigma each plus the fast blur's blocks)
        double localDiff = maxDiff(local.apply(plain), local.apply(withBrow), 300, h);
        double globalDiff = maxDiff(global.apply(plain), global.apply(withBrow), 300, h);
        assertTrue(localDiff < 1e-4, "local input changed by " + localDiff);
        assertTrue(globalDiff > 0.1, "whole-photo standardisation changed by only " + globalDiff);
    }

    private static double maxDiff(Plane a, Plane b, int y0, int y1) {
        double m = 0;
        for (int y = y0; y < y1; y++) for (int x = 0; x < a.width(); x++) m = Math.max(m, Math.abs(a.get(x, y) - b.get(x, y)));
        return m;
    }

    @Test
    void localNormalisationIsTheGaussianWeightedZScore() {
        int w = 120, h = 100;
        Plane in = noise(w, h, 9);
        // a slow light gradient and a contrast change across the image: removed by the local z-score
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) in.set(x, y, 0.2f + in.get(x, y) * (0.3f + 0.7f * x / w));
        double sigma = 8;
        Plane out = new Preprocessing(0, 0, 1, 0, Preprocessing.LOCAL, sigma).apply(in);
        int[][] pixels = {{60, 50}, {30, 40}, {90, 60}, {45, 70}};
        for (int[] px : pixels) {
            // by definition, with direct sums over 4-sigma neighbourhoods (all inside the image):
            // z = (in - m) / sqrt(v), m(p) = weighted mean of in around p, v(p) = weighted mean of (in(q) - m(q))^2
            double m = weightedMean(in, px[0], px[1], sigma, (x, y) -> in.get(x, y));
            double v = weightedMean(in, px[0], px[1], sigma, (x, y) -> {
                double d = in.get(x, y) - weightedMean(in, x, y, sigma, (a, b) -> in.get(a, b));
                return d * d;
            });
            double z = (in.get(px[0], px[1]) - m) / Math.sqrt(v);
            assertEquals(z, out.get(px[0], px[1]), 0.03 + 0.02 * Math.abs(z), "pixel " + px[0] + "," + px[1]);
        }
    }

    private interface PixelValue { double at(int x, int y); }

    private static double weightedMean(Plane in, int cx, int cy, double sigma, PixelValue f) {
        int r = (int) Math.ceil(4 * sigma);
        double sw = 0, s = 0;
        for (int y = Math.max(0, cy - r); y <= Math.min(in.height() - 1, cy + r); y++) {
            for (int x = Math.max(0, cx - r); x <= Math.min(in.width() - 1, cx + r); x++) {
                double g = Math.exp(-((x - cx) * (x - cx) + (y - cy) * (y - cy)) / (2 * sigma * sigma));
                sw += g;
                s += g * f.at(x, y);
            }
        }
        return s / sw;
    }
}
