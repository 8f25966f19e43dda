package dev.porescope.core.synth;

import dev.porescope.core.image.Mask;
import dev.porescope.core.image.Plane;
import dev.porescope.core.preprocess.Gaussian;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws synthetic skin photos with an exact pore label, deterministically by seed.
 *
 * <p>The photo is built like a real one: skin reflectance (tone, texture at several scales,
 * pigment mottling, micro-relief furrows, redness) darkened by pores and freckles, fine lines, hairs on top, specular highlights, then
 * uneven light, camera blur and sensor noise, quantised to 8 bits. Every stage draws from its own
 * {@link SplittableRandom} split off the seed in a fixed order, so switching a distractor off
 * leaves the pores (and the label) unchanged.
 *
 * <p>The label is the set of pixels where a pore darkens the skin by at least half of its own
 * depth (the pore's half-depth ellipse), minus pixels hidden under a hair or a bright sparkle:
 * what a careful labeller marks on a real photo.
 */
public final class SkinSynthesizer {
    /** Exponent p of the pore profile LABEL_LEVEL^(r^p), r = elliptical radius: 2 is Gaussian, larger is flatter with a steeper edge. */
    private static final double PROFILE_EXPONENT = 3.5;
    /** The label is where a pore's darkening reaches this fraction of its depth. */
    private static final double LABEL_LEVEL = 0.5;

    private final SynthConfig config;

    public SkinSynthesizer(SynthConfig config) {
        this.config = config;
    }

    public SynthConfig config() { return config; }

    /** The photo for {@code seed}, named {@code synth-SEED}; the same seed always gives the same pixels. */
    public SyntheticPhoto generate(long seed) {
        return generate("synth-" + seed, seed);
    }

    public SyntheticPhoto generate(String name, long seed) {
        int w = config.width();
        int h = config.height();
        SplittableRandom root = new SplittableRandom(seed);
        SplittableRandom toneRng = root.split();
        SplittableRandom textureRng = root.split();
        SplittableRandom poreRng = root.split();
        SplittableRandom freckleRng = root.split();
        SplittableRandom lineRng = root.split();
        SplittableRandom hairRng = root.split();
        SplittableRandom highlightRng = root.split();
        SplittableRandom lightRng = root.split();
        SplittableRandom noiseRng = root.split();

        float[][] rgb = skin(toneRng, textureRng, w, h);
        float[] skinLineAngle = scaled(ValueNoise.octave(w, h, 260, textureRng.split()), (float) Math.PI);

        boolean[] label = new boolean[w * h];
        drawPores(poreRng, skinLineAngle, rgb, label, w, h);
        drawFreckles(freckleRng, rgb, w, h);
        drawFineLines(lineRng, skinLineAngle, rgb, w, h);
        float[] occlusion = new float[w * h];
        drawHairs(hairRng, rgb, occlusion, w, h);
        drawHighlights(highlightRng, rgb, occlusion, w, h);
        for (int i = 0; i < label.length; i++) {
            if (occlusion[i] > 0.5f) label[i] = false;
        }
        light(lightRng, rgb, w, h);
        if (config.blurSigma() > 0) {
            for (int c = 0; c < 3; c++) {
                rgb[c] = Gaussian.blur(new Plane(w, h, rgb[c]), config.blurSigma()).values();
            }
        }
        int[] argb = sensor(noiseRng, rgb, w, h);
        return new SyntheticPhoto(name, w, h, argb, new Mask(w, h, label));
    }

    // ---- skin -------------------------------------------------------------------------------

    /** Skin tones from very light (0) to very dark (1), sRGB 0..1. */
    private static final double[][] TONES = {
            {238, 212, 206}, {222, 190, 180}, {204, 164, 142}, {172, 126, 96}, {128, 88, 64}, {84, 56, 42}};

    private float[][] skin(SplittableRandom toneRng, SplittableRandom textureRng, int w, int h) {
        SynthConfig.Skin s = config.skin();
        double tone = s.toneMin() + (s.toneMax() - s.toneMin()) * toneRng.nextDouble();
        double pos = tone * (TONES.length - 1);
        int i0 = Math.min(TONES.length - 2, (int) pos);
        double t = pos - i0;
        double[] base = new double[3];
        for (int c = 0; c < 3; c++) {
            // a little per-photo white balance: real photos are pinker or yellower
            double gain = 1 + 0.03 * toneRng.nextGaussian();
            base[c] = gain * ((1 - t) * TONES[i0][c] + t * TONES[i0 + 1][c]) / 255.0;
        }
        // texture at several scales (px of the noise lattice), each octave of unit std
        double[] cells = {64, 20, 7, 2.5};
        double[] weights = {0.6, 0.45, 0.35, 0.45};
        double norm = 0;
        for (double wt : weights) norm += wt * wt;
        norm = Math.sqrt(norm);
        float[] texture = new float[w * h];
        for (int k = 0; k < cells.length; k++) {
            float[] oct = ValueNoise.octave(w, h, cells[k], textureRng.split());
            float a = (float) (s.textureContrast() * weights[k] / norm);
            for (int i = 0; i < texture.length; i++) texture[i] += a * oct[i];
        }
        // pigment mottling: small brownish patches (real skin's texture is skewed dark)
        float[] mottle = ValueNoise.octave(w, h, 9, textureRng.split());
        float mottling = (float) (0.8 * s.textureContrast());
        for (int i = 0; i < mottle.length; i++) {
            float m = Math.max(0, mottle[i] - 0.5f);
            mottle[i] = mottling * m * m;
        }
        addMicroRelief(textureRng.split(), texture, w, h, 0.35 * s.textureContrast());
        float[] blotch = ValueNoise.octave(w, h, 45, textureRng.split());
        float red = (float) (0.04 * s.redness());
        float[][] rgb = new float[3][w * h];
        for (int i = 0; i < texture.length; i++) {
            float m = 1 + texture[i];
            float b = Math.max(0, blotch[i]) * red;
            float p = mottle[i];
            rgb[0][i] = (float) base[0] * m * (1 + 0.3f * b) * (1 - 0.6f * p);
            rgb[1][i] = (float) base[1] * m * (1 - b) * (1 - p);
            rgb[2][i] = (float) base[2] * m * (1 - 0.7f * b) * (1 - 1.25f * p);
        }
        return rgb;
    }

    /**
     * The skin's micro-relief: shallow furrows in two or three directions that cross between the
     * pores, warped so that they do not look ruled.
     */
    private static void addMicroRelief(SplittableRandom rng, float[] texture, int w, int h, double amplitude) {
        int families = 2 + rng.nextInt(2);
        double base = rng.nextDouble() * Math.PI;
        float[] warpX = ValueNoise.octave(w, h, 40, rng.split());
        float[] warpY = ValueNoise.octave(w, h, 40, rng.split());
        float[] strength = ValueNoise.octave(w, h, 70, rng.split());
        for (int f = 0; f < families; f++) {
            double angle = base + f * Math.PI / families + 0.2 * rng.nextGaussian();
            double period = 12 + 10 * rng.nextDouble();
            double phase = rng.nextDouble();
            double cos = Math.cos(angle);
            double sin = Math.sin(angle);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int i = y * w + x;
                    double t = ((x + 3 * warpX[i]) * cos + (y + 3 * warpY[i]) * sin) / period + phase;
                    double d = Math.abs(t - Math.rint(t)) * period; // px to the nearest furrow
                    if (d > 2.5) continue;
                    double furrow = Math.exp(-d * d / 1.2) * Math.max(0, 0.6 + 0.5 * strength[i]);
                    texture[i] -= (float) (amplitude * furrow);
                }
            }
        }
    }

    // ---- pores ------------------------------------------------------------------------------

    private record Pore(double x, double y, double major, double minor, double angle, double depth) { }

    private void drawPores(SplittableRandom rng, float[] skinLineAngle, float[][] rgb, boolean[] label, int w, int h) {
        List<Pore> pores = placePores(rng, skinLineAngle, w, h);
        float[] darkening = new float[w * h];
        for (Pore p : pores) {
            double cos = Math.cos(p.angle());
            double sin = Math.sin(p.angle());
            double ia2 = 1 / (p.major() * p.major());
            double ib2 = 1 / (p.minor() * p.minor());
            int reach = (int) Math.ceil(2.6 * p.major());
            int x0 = Math.max(0, (int) Math.floor(p.x() - reach));
            int x1 = Math.min(w - 1, (int) Math.ceil(p.x() + reach));
            int y0 = Math.max(0, (int) Math.floor(p.y() - reach));
            int y1 = Math.min(h - 1, (int) Math.ceil(p.y() + reach));
            for (int y = y0; y <= y1; y++) {
                double dy = y + 0.5 - p.y();
                for (int x = x0; x <= x1; x++) {
                    double dx = x + 0.5 - p.x();
                    double u = dx * cos + dy * sin;
                    double v = -dx * sin + dy * cos;
                    double q = u * u * ia2 + v * v * ib2; // (elliptical radius)^2; 1 on the labelled outline
                    if (q > 7) continue;
                    int i = y * w + x;
                    double s = Math.exp(Math.log(LABEL_LEVEL) * Math.pow(q, PROFILE_EXPONENT / 2));
                    float d = (float) (p.depth() * s);
                    if (d > darkening[i]) darkening[i] = d;
                    if (q <= 1) label[i] = true;
                }
            }
        }
        // pores are reddish-brown: in real-left red darkens 0.7x, green 1.1x, blue 1.3x as much as luma
        for (int i = 0; i < darkening.length; i++) {
            float d = darkening[i];
            if (d == 0) continue;
            rgb[0][i] *= 1 - 0.7f * d;
            rgb[1][i] *= 1 - 1.12f * d;
            rgb[2][i] *= 1 - 1.27f * d;
        }
    }

    /** Blue-noise placement (dart throwing with a minimum spacing), density varying over the photo. */
    private List<Pore> placePores(SplittableRandom rng, float[] skinLineAngle, int w, int h) {
        SynthConfig.Pores cfg = config.pores();
        List<Pore> pores = new ArrayList<>();
        if (cfg.density() <= 0) return pores;
        float[] variation = ValueNoise.octave(w, h, 150, rng.split());
        double maxFactor = 1 + 1.5 * cfg.densityVariation();
        double spacing = Math.sqrt(10_000 / cfg.density());
        double minSpacingFactor = 0.7;
        double cell = minSpacingFactor * spacing / Math.sqrt(maxFactor);
        int gw = (int) Math.ceil(w / cell) + 1;
        int gh = (int) Math.ceil(h / cell) + 1;
        List<List<double[]>> grid = new ArrayList<>(gw * gh);
        for (int i = 0; i < gw * gh; i++) grid.add(null);
        int target = (int) Math.round(cfg.density() * w * (double) h / 10_000);
        int accepted = 0;
        for (int attempt = 0; attempt < 40 * target + 100 && accepted < target; attempt++) {
            double x = rng.nextDouble() * w;
            double y = rng.nextDouble() * h;
            int pi = Math.min(h - 1, (int) y) * w + Math.min(w - 1, (int) x);
            double factor = Math.max(0.3, Math.min(maxFactor, 1 + cfg.densityVariation() * variation[pi]));
            if (rng.nextDouble() * maxFactor > factor) continue;
            double minDist = minSpacingFactor * spacing / Math.sqrt(factor);
            int cx = (int) (x / cell);
            int cy = (int) (y / cell);
            int r = (int) Math.ceil(minDist / cell);
            boolean free = true;
            for (int gy = Math.max(0, cy - r); gy <= Math.min(gh - 1, cy + r) && free; gy++) {
                for (int gx = Math.max(0, cx - r); gx <= Math.min(gw - 1, cx + r) && free; gx++) {
                    List<double[]> pts = grid.get(gy * gw + gx);
                    if (pts == null) continue;
                    for (double[] p : pts) {
                        double dx = p[0] - x;
                        double dy = p[1] - y;
                        if (dx * dx + dy * dy < minDist * minDist) { free = false; break; }
                    }
                }
            }
            if (!free) continue;
            List<double[]> pts = grid.get(cy * gw + cx);
            if (pts == null) grid.set(cy * gw + cx, pts = new ArrayList<>(2));
            pts.add(new double[] {x, y});
            accepted++;
            Pore p = pore(rng, x, y, skinLineAngle[pi], 1.0);
            pores.add(p);
            if (rng.nextDouble() < cfg.clusterFraction()) {
                int satellites = 1 + (rng.nextDouble() < 0.35 ? 1 : 0);
                for (int k = 0; k < satellites; k++) {
                    double side = (k == 0) == (rng.nextDouble() < 0.5) ? 1 : -1;
                    Pore s = pore(rng, x, y, p.angle(), 0.75 + 0.2 * rng.nextDouble());
                    double dist = 0.85 * (p.major() + s.major()) * (k + 1) * side;
                    double ang = p.angle() + 0.35 * rng.nextGaussian();
                    pores.add(new Pore(x + dist * Math.cos(ang), y + dist * Math.sin(ang),
                            s.major(), s.minor(), ang, s.depth()));
                }
            }
        }
        return pores;
    }

    private Pore pore(SplittableRandom rng, double x, double y, double lineAngle, double sizeScale) {
        SynthConfig.Pores cfg = config.pores();
        double radius = cfg.radiusMedian() * sizeScale * Math.exp(cfg.radiusSpread() * clippedGaussian(rng));
        radius = Math.max(0.6, radius);
        double aspect = 1 + (cfg.elongation() - 1) * Math.pow(rng.nextDouble(), 1.5);
        double major = radius * Math.sqrt(aspect);
        double minor = radius / Math.sqrt(aspect);
        double angle = lineAngle + 0.35 * rng.nextGaussian();
        // bigger pores are a little deeper
        double depth = cfg.depthMedian() * Math.exp(cfg.depthSpread() * clippedGaussian(rng))
                * Math.sqrt(radius / cfg.radiusMedian());
        return new Pore(x, y, major, minor, angle, Math.min(0.6, depth));
    }

    private static double clippedGaussian(SplittableRandom rng) {
        return Math.max(-2.5, Math.min(2.5, rng.nextGaussian()));
    }

    // ---- distractors ------------------------------------------------------------------------

    private static int countFor(SplittableRandom rng, double per100x100, int w, int h) {
        double expected = per100x100 * w * (double) h / 10_000;
        int n = (int) expected;
        if (rng.nextDouble() < expected - n) n++;
        return n;
    }

    /** Receives a pixel index and its squared elliptical radius (1 on the ellipse's edge). */
    private interface EllipsePixel {
        void at(int index, double radiusSquared);
    }

    /**
     * Visits the pixels within {@code reach} px of (cx, cy) with their squared radius in the
     * ellipse of semi-axes a, b turned by {@code angle}.
     */
    private static void forEachEllipsePixel(int w, int h, double cx, double cy, double a, double b, double angle,
                                            int reach, EllipsePixel visitor) {
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        for (int y = Math.max(0, (int) cy - reach); y <= Math.min(h - 1, (int) cy + reach); y++) {
            for (int x = Math.max(0, (int) cx - reach); x <= Math.min(w - 1, (int) cx + reach); x++) {
                double dx = x + 0.5 - cx;
                double dy = y + 0.5 - cy;
                double u = (dx * cos + dy * sin) / a;
                double v = (-dx * sin + dy * cos) / b;
                visitor.at(y * w + x, u * u + v * v);
            }
        }
    }

    /** Brownish spots, larger and more coloured than pores, with soft irregular edges. */
    private void drawFreckles(SplittableRandom rng, float[][] rgb, int w, int h) {
        int n = countFor(rng, config.distractors().freckles(), w, h);
        for (int k = 0; k < n; k++) {
            double cx = rng.nextDouble() * w;
            double cy = rng.nextDouble() * h;
            double radius = 3.5 + 6 * rng.nextDouble();
            double aspect = 1 + 0.5 * rng.nextDouble();
            double angle = rng.nextDouble() * Math.PI;
            double depth = 0.05 + 0.14 * rng.nextDouble();
            double a = radius * Math.sqrt(aspect);
            double b = radius / Math.sqrt(aspect);
            forEachEllipsePixel(w, h, cx, cy, a, b, angle, (int) Math.ceil(1.4 * a) + 1, (i, q) -> {
                double s = smoothstep(1.35, 0.75, Math.sqrt(q));
                if (s <= 0) return;
                float d = (float) (depth * s);
                rgb[0][i] *= 1 - 0.55f * d;
                rgb[1][i] *= 1 - d;
                rgb[2][i] *= 1 - 1.35f * d;
            });
        }
    }

    /** Fine lines and wrinkles: long, thin, faint dark curves, roughly across the skin lines. */
    private void drawFineLines(SplittableRandom rng, float[] skinLineAngle, float[][] rgb, int w, int h) {
        int n = countFor(rng, config.distractors().fineLines(), w, h);
        if (n == 0) return;
        float[] line = new float[w * h];
        for (int k = 0; k < n; k++) {
            double x = rng.nextDouble() * w;
            double y = rng.nextDouble() * h;
            int pi = Math.min(h - 1, (int) y) * w + Math.min(w - 1, (int) x);
            double angle = skinLineAngle[pi] + Math.PI / 2 + 0.4 * rng.nextGaussian();
            double length = 40 + 160 * rng.nextDouble();
            double width = 0.6 + 0.6 * rng.nextDouble();
            double depth = 0.02 + 0.05 * rng.nextDouble();
            stroke(rng, line, w, h, x, y, angle, length, width, depth, 0.006);
        }
        for (int i = 0; i < line.length; i++) {
            float d = line[i];
            if (d == 0) continue;
            rgb[0][i] *= 1 - 0.9f * d;
            rgb[1][i] *= 1 - 1.05f * d;
            rgb[2][i] *= 1 - 1.05f * d;
        }
    }

    /** Hairs: thin dark curves that hide what is under them. */
    private void drawHairs(SplittableRandom rng, float[][] rgb, float[] occlusion, int w, int h) {
        int n = countFor(rng, config.distractors().hairs(), w, h);
        if (n == 0) return;
        float[] opacity = new float[w * h];
        double[] colour = {0.18, 0.13, 0.10};
        for (int k = 0; k < n; k++) {
            double x = rng.nextDouble() * w;
            double y = rng.nextDouble() * h;
            double angle = rng.nextDouble() * 2 * Math.PI;
            double length = 40 + 260 * rng.nextDouble();
            double width = 0.45 + 0.7 * rng.nextDouble();
            double alpha = 0.55 + 0.4 * rng.nextDouble();
            stroke(rng, opacity, w, h, x, y, angle, length, width, alpha, 0.003);
        }
        for (int i = 0; i < opacity.length; i++) {
            float o = opacity[i];
            if (o == 0) continue;
            for (int c = 0; c < 3; c++) rgb[c][i] = rgb[c][i] * (1 - o) + (float) colour[c] * o;
            occlusion[i] = Math.max(occlusion[i], o);
        }
    }

    /** Specular highlights: soft sheen patches and small bright sparkles (oily skin, nose). */
    private void drawHighlights(SplittableRandom rng, float[][] rgb, float[] occlusion, int w, int h) {
        int n = countFor(rng, config.distractors().highlights(), w, h);
        if (n == 0) return;
        float[] shine = new float[w * h];
        for (int k = 0; k < n; k++) {
            double cx = rng.nextDouble() * w;
            double cy = rng.nextDouble() * h;
            boolean sparkle = rng.nextDouble() < 0.75;
            double radius = sparkle ? 0.8 + 1.8 * rng.nextDouble() : 12 + 40 * rng.nextDouble();
            double intensity = sparkle ? 0.25 + 0.65 * rng.nextDouble() : 0.05 + 0.2 * rng.nextDouble();
            double aspect = 1 + (sparkle ? 0.8 : 2) * rng.nextDouble();
            double angle = rng.nextDouble() * Math.PI;
            double a = radius * Math.sqrt(aspect);
            double b = radius / Math.sqrt(aspect);
            forEachEllipsePixel(w, h, cx, cy, a, b, angle, (int) Math.ceil(3 * a) + 1, (i, q) -> {
                if (q > 9) return;
                float s = (float) (intensity * Math.exp(-q));
                shine[i] = 1 - (1 - shine[i]) * (1 - s);
            });
        }
        for (int i = 0; i < shine.length; i++) {
            float s = shine[i];
            if (s == 0) continue;
            for (int c = 0; c < 3; c++) rgb[c][i] += s * (1 - rgb[c][i]);
            // a bright sparkle washes out the pore under it
            occlusion[i] = Math.max(occlusion[i], s * 1.6f);
        }
    }

    /**
     * A smooth random-walk curve stamped into {@code field} (max-combined): a soft line of
     * Gaussian cross-section {@code width} (sigma, px) and peak {@code value}, fading at both ends.
     */
    private static void stroke(SplittableRandom rng, float[] field, int w, int h, double x, double y,
                               double angle, double length, double width, double value, double bend) {
        double curvature = bend * rng.nextGaussian();
        int reach = (int) Math.ceil(2.5 * width) + 1;
        double inv = 1 / (2 * width * width);
        for (double t = 0; t < length; t += 0.5) {
            double fade = Math.min(1, Math.min(t, length - t) / (0.15 * length));
            double peak = value * fade;
            int px = (int) Math.floor(x);
            int py = (int) Math.floor(y);
            for (int yy = Math.max(0, py - reach); yy <= Math.min(h - 1, py + reach); yy++) {
                for (int xx = Math.max(0, px - reach); xx <= Math.min(w - 1, px + reach); xx++) {
                    double dx = xx + 0.5 - x;
                    double dy = yy + 0.5 - y;
                    float v = (float) (peak * Math.exp(-(dx * dx + dy * dy) * inv));
                    int i = yy * w + xx;
                    if (v > field[i]) field[i] = v;
                }
            }
            x += 0.5 * Math.cos(angle);
            y += 0.5 * Math.sin(angle);
            angle += 0.5 * curvature;
            curvature += 0.1 * bend * rng.nextGaussian();
        }
    }

    // ---- light and camera -------------------------------------------------------------------

    /** Exposure, a light gradient, a soft shadow edge, vignetting and large-scale shading. */
    private void light(SplittableRandom rng, float[][] rgb, int w, int h) {
        double u = config.unevenLight();
        double exposure = 0.8 + 0.15 * rng.nextDouble();
        double dir = rng.nextDouble() * 2 * Math.PI;
        double gx = Math.cos(dir);
        double gy = Math.sin(dir);
        double diag = Math.hypot(w, h);
        double gradient = u * (0.4 + 0.4 * rng.nextDouble());
        double shadowDir = rng.nextDouble() * 2 * Math.PI;
        double sx = Math.cos(shadowDir);
        double sy = Math.sin(shadowDir);
        double shadowAt = (rng.nextDouble() - 0.5) * 0.6;
        double shadowWidth = 0.05 + 0.2 * rng.nextDouble();
        double shadow = u * 0.3 * rng.nextDouble();
        double vignette = u * (0.2 + 0.3 * rng.nextDouble());
        double vx = w * (0.3 + 0.4 * rng.nextDouble());
        double vy = h * (0.3 + 0.4 * rng.nextDouble());
        float[] shading = ValueNoise.octave(w, h, Math.max(w, h) / 3.0, rng.split());
        double shadingAmount = u * 0.12;
        for (int y = 0; y < h; y++) {
            double ny = (y + 0.5 - h / 2.0) / diag;
            for (int x = 0; x < w; x++) {
                double nx = (x + 0.5 - w / 2.0) / diag;
                int i = y * w + x;
                double g = 1 + gradient * (nx * gx + ny * gy) * 2;
                double e = (nx * sx + ny * sy - shadowAt * 0.5) / shadowWidth;
                double sh = 1 - shadow / (1 + Math.exp(-e));
                double rx = (x - vx) / diag;
                double ry = (y - vy) / diag;
                double vg = 1 - vignette * 2 * (rx * rx + ry * ry);
                double f = exposure * g * sh * vg * (1 + shadingAmount * shading[i]);
                float light = (float) Math.max(0.12, f);
                rgb[0][i] *= light;
                rgb[1][i] *= light;
                rgb[2][i] *= light;
            }
        }
    }

    /** Sensor noise (mostly shared by the channels, growing with brightness) and 8-bit quantisation. */
    private int[] sensor(SplittableRandom rng, float[][] rgb, int w, int h) {
        double sigma = config.noise();
        int[] argb = new int[w * h];
        for (int i = 0; i < argb.length; i++) {
            double shared = sigma > 0 ? rng.nextGaussian() : 0;
            int pixel = 0xFF000000;
            for (int c = 0; c < 3; c++) {
                double v = rgb[c][i];
                if (sigma > 0) {
                    double own = rng.nextGaussian();
                    v += sigma * Math.sqrt(0.3 + 0.7 * Math.max(0, v)) * (0.8 * shared + 0.6 * own);
                }
                int q = (int) Math.round(v * 255);
                q = q < 0 ? 0 : Math.min(255, q);
                pixel |= q << (16 - 8 * c);
            }
            argb[i] = pixel;
        }
        return argb;
    }

    private static double smoothstep(double edge0, double edge1, double x) {
        double t = Math.max(0, Math.min(1, (x - edge0) / (edge1 - edge0)));
        return t * t * (3 - 2 * t);
    }

    private static float[] scaled(float[] values, float factor) {
        for (int i = 0; i < values.length; i++) values[i] *= factor;
        return values;
    }
}
