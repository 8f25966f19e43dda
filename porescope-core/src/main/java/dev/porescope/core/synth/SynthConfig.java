package dev.porescope.core.synth;

import java.util.SplittableRandom;

/**
 * Everything that decides what a synthetic skin photo looks like. A plain value (JSON-friendly
 * record of records) so that a training run can store the exact settings it used.
 *
 * <p>Densities are per 100 x 100 px so that a setting means the same at every photo size.
 * {@link #defaults(int, int)} is calibrated to {@code real-left} (a frontal phone photo of a
 * cheek, about 35 pores per 100 x 100 px, median pore 5 px across, ~3 % darker than its
 * surroundings).
 *
 * @param width         photo width in px
 * @param height        photo height in px
 * @param pores         pore placement, size and depth
 * @param skin          skin tone and texture
 * @param distractors   dark and bright things that are not pores
 * @param unevenLight   strength of uneven illumination (gradient, vignetting, shading); 0 = flat,
 *                      0.25 = a typical indoor phone photo, 1 = harsh side light
 * @param blurSigma     camera blur (Gaussian sigma, px); 0 = sharp
 * @param noise         sensor noise, standard deviation as a fraction of full scale (0.004 = ~1 grey level)
 */
public record SynthConfig(int width, int height, Pores pores, Skin skin, Distractors distractors,
                          double unevenLight, double blurSigma, double noise) {

    public SynthConfig {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("synthetic photo size must be positive, got " + width + "x" + height);
        }
        if ((long) width * height > 64L * 1024 * 1024) {
            throw new IllegalArgumentException("synthetic photo of " + width + "x" + height + " is too large (max 64 MP)");
        }
        if (pores == null || skin == null || distractors == null) {
            throw new IllegalArgumentException("synthetic config needs pores, skin and distractors settings");
        }
        requireRange("unevenLight", unevenLight, 0, 2);
        requireRange("blurSigma", blurSigma, 0, 10);
        requireRange("noise", noise, 0, 0.5);
    }

    /**
     * Pores: faint, soft-edged dark ellipses. The size is the equivalent radius of the ellipse at
     * half of the pore's depth (the labelled outline), drawn from a log-normal distribution.
     *
     * @param density          pores per 100 x 100 px (on average over the photo)
     * @param densityVariation 0..1: how much the density varies over the photo (T-zone vs cheek)
     * @param radiusMedian     median equivalent radius (px) of the labelled ellipse
     * @param radiusSpread     log-normal sigma of the radius
     * @param elongation       largest aspect ratio (major/minor axis); 1 = round pores
     * @param clusterFraction  fraction of pores that come with one or two close neighbours
     *                         (merging into elongated, irregular pores)
     * @param depthMedian      median relative darkening at the pore centre (0.05 = 5 % darker)
     * @param depthSpread      log-normal sigma of the depth
     */
    public record Pores(double density, double densityVariation, double radiusMedian, double radiusSpread,
                        double elongation, double clusterFraction, double depthMedian, double depthSpread) {
        public Pores {
            requireRange("pores.density", density, 0, 400);
            requireRange("pores.densityVariation", densityVariation, 0, 1);
            requireRange("pores.radiusMedian", radiusMedian, 0.3, 50);
            requireRange("pores.radiusSpread", radiusSpread, 0, 2);
            requireRange("pores.elongation", elongation, 1, 6);
            requireRange("pores.clusterFraction", clusterFraction, 0, 1);
            requireRange("pores.depthMedian", depthMedian, 0, 0.9);
            requireRange("pores.depthSpread", depthSpread, 0, 2);
        }
    }

    /**
     * Skin colour and texture.
     *
     * @param toneMin         lightest tone drawn, 0 = very light .. 1 = very dark
     * @param toneMax         darkest tone drawn
     * @param textureContrast relative luma variation of the multi-scale skin texture (standard
     *                        deviation, e.g. 0.025 = 2.5 %)
     * @param redness         strength of reddish blotches (0..1)
     */
    public record Skin(double toneMin, double toneMax, double textureContrast, double redness) {
        public Skin {
            requireRange("skin.toneMin", toneMin, 0, 1);
            requireRange("skin.toneMax", toneMax, toneMin, 1);
            requireRange("skin.textureContrast", textureContrast, 0, 0.5);
            requireRange("skin.redness", redness, 0, 1);
        }
    }

    /**
     * Things a pore detector must not report, each per 100 x 100 px on average.
     *
     * @param freckles   brownish spots, larger and more coloured than pores
     * @param hairs      thin dark curved hairs
     * @param fineLines  fine lines and wrinkles (thin, faint, long)
     * @param highlights specular highlights (soft sheen and small sparkles on oily skin)
     */
    public record Distractors(double freckles, double hairs, double fineLines, double highlights) {
        public Distractors {
            requireRange("distractors.freckles", freckles, 0, 50);
            requireRange("distractors.hairs", hairs, 0, 50);
            requireRange("distractors.fineLines", fineLines, 0, 50);
            requireRange("distractors.highlights", highlights, 0, 50);
        }

        public static Distractors none() { return new Distractors(0, 0, 0, 0); }
    }

    /** Settings calibrated to {@code real-left} (see the class comment). */
    public static SynthConfig defaults(int width, int height) {
        return new SynthConfig(width, height,
                new Pores(34, 0.3, 2.45, 0.28, 1.9, 0.15, 0.053, 0.35),
                new Skin(0.05, 0.35, 0.022, 0.3),
                new Distractors(0.25, 0.06, 0.12, 0.4),
                0.25, 0.7, 0.004);
    }

    /** Defaults with harsh uneven light, more blur and noise: the phone photos preprocessing must survive. */
    public static SynthConfig hard(int width, int height) {
        SynthConfig d = defaults(width, height);
        return new SynthConfig(width, height, d.pores(), new Skin(0, 1, 0.03, 0.5),
                new Distractors(0.5, 0.15, 0.25, 0.8), 1.0, 1.1, 0.008);
    }

    /**
     * A random variation around the defaults (skin tone over the full range, density, size,
     * depth, distractors, light, blur, noise) for training robustness; stays inside the ranges
     * real skin photos show (20-50 pores per 100 x 100 px, 3.5-7 px across, 1.5-6 % contrast).
     */
    public static SynthConfig randomized(SplittableRandom rng, int width, int height) {
        SynthConfig d = defaults(width, height);
        Pores p = d.pores();
        Pores pores = new Pores(
                uniform(rng, 26, 44),
                uniform(rng, 0.1, 0.5),
                p.radiusMedian() * uniform(rng, 0.85, 1.2),
                p.radiusSpread() * uniform(rng, 0.8, 1.2),
                uniform(rng, 1.3, 2.3),
                uniform(rng, 0.05, 0.3),
                p.depthMedian() * uniform(rng, 0.75, 1.5),
                p.depthSpread() * uniform(rng, 0.8, 1.2));
        double tone = rng.nextDouble();
        Skin skin = new Skin(Math.max(0, tone - 0.1), Math.min(1, tone + 0.1),
                uniform(rng, 0.015, 0.035), uniform(rng, 0, 0.6));
        Distractors distractors = new Distractors(
                uniform(rng, 0, 0.6), uniform(rng, 0, 0.2), uniform(rng, 0, 0.3), uniform(rng, 0, 1.0));
        return new SynthConfig(width, height, pores, skin, distractors,
                uniform(rng, 0, 1.0), uniform(rng, 0.4, 1.2), uniform(rng, 0.002, 0.01));
    }

    public SynthConfig withSize(int w, int h) {
        return new SynthConfig(w, h, pores, skin, distractors, unevenLight, blurSigma, noise);
    }

    public SynthConfig withPores(Pores p) {
        return new SynthConfig(width, height, p, skin, distractors, unevenLight, blurSigma, noise);
    }

    public SynthConfig withSkin(Skin s) {
        return new SynthConfig(width, height, pores, s, distractors, unevenLight, blurSigma, noise);
    }

    public SynthConfig withDistractors(Distractors d) {
        return new SynthConfig(width, height, pores, skin, d, unevenLight, blurSigma, noise);
    }

    public SynthConfig withUnevenLight(double u) {
        return new SynthConfig(width, height, pores, skin, distractors, u, blurSigma, noise);
    }

    public SynthConfig withCamera(double blur, double noiseLevel) {
        return new SynthConfig(width, height, pores, skin, distractors, unevenLight, blur, noiseLevel);
    }

    private static double uniform(SplittableRandom rng, double lo, double hi) {
        return lo + (hi - lo) * rng.nextDouble();
    }

    private static void requireRange(String name, double v, double lo, double hi) {
        if (!(v >= lo && v <= hi)) {
            throw new IllegalArgumentException("synthetic config: " + name + " must be in [" + lo + ", " + hi + "], got " + v);
        }
    }
}
