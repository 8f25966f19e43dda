package dev.porescope.torch.train;

import dev.porescope.core.data.LabelledImage;
import dev.porescope.core.image.Mirror;
import dev.porescope.core.image.Plane;
import dev.porescope.core.preprocess.Gaussian;
import dev.porescope.core.preprocess.Preprocessing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws training batches: random square patches, a share of them centred on pore pixels and on
 * hard distractors (dark pixels that are not pores), with flips, 90-degree rotations and
 * photometric augmentation. Every batch depends only on (seed, step), so a resumed run sees the
 * same batches.
 *
 * <p>With local normalisation ({@link Preprocessing#isLocal()}) every photo goes through the card's
 * {@link Preprocessing#apply} once, whole, exactly as at inference, and patches are cut from that:
 * with augmentation off a patch is bit for bit the inference input at the same pixels. Geometric
 * augmentation (flips, rotations, optional scale) resamples the preprocessed photo; photometric
 * augmentation acts on the normalised values ({@link #photometric}). With whole-photo
 * standardisation (cards made before local normalisation) the old path stays: augmentation on a
 * context window, then the card's preprocessing of that window.
 */
final class PatchSampler {
    private final List<Source> sources = new ArrayList<>();
    private final double[] cumulativeWeight;
    private final TrainConfig config;

    /**
     * One batch as flat arrays: x [N,1,P,P], target one-hot [N,2,P,P], per-pixel loss weight [N,1,P,P],
     * label and ROI [N,1,P,P]; {@code origins} [N,3]: photo name index, left and top pixel of each patch
     * when it was cut without rotation or scaling (else -1), for checks.
     */
    record Batch(float[] x, float[] oneHot, float[] weight, float[] label, float[] roi, int size, int patch, int[] origins) { }

    /**
     * @param sample luma values at random pixels of the whole photo, for whole-photo statistics
     * @param mean   mean luma of the whole photo
     * @param input  the whole photo through the card's preprocessing (local normalisation), else null
     */
    record Source(LabelledImage image, int[] pores, int[] distractors, int[] roiPixels, float[] sample, double mean,
                  Plane input) { }

    private static final int SAMPLE = 4096;

    /**
     * @param real      labelled photos (bigger photos give more patches, by the square root of their ROI)
     * @param synthetic synthetic photos; together they give {@code config.syntheticShare()} of the
     *                  patches when there are real photos too
     */
    PatchSampler(List<LabelledImage> real, List<LabelledImage> synthetic, TrainConfig config) {
        this.config = config;
        if (real.isEmpty() && synthetic.isEmpty()) throw new IllegalArgumentException("no training images");
        List<Source> realSources = index(real, config.preprocessing());
        List<Source> syntheticSources = index(synthetic, config.preprocessing());
        sources.addAll(realSources);
        sources.addAll(syntheticSources);
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("no training image has a region of interest: every ROI is empty");
        }
        double syntheticShare = realSources.isEmpty() ? 1 : syntheticSources.isEmpty() ? 0 : config.syntheticShare();
        cumulativeWeight = new double[sources.size()];
        double total = 0;
        int i = 0;
        for (List<Source> group : List.of(realSources, syntheticSources)) {
            double groupShare = group == syntheticSources ? syntheticShare : 1 - syntheticShare;
            double groupWeight = group.stream().mapToDouble(s -> Math.sqrt(s.roiPixels.length)).sum();
            for (Source s : group) {
                // bigger photos give more patches; sqrt so that one huge photo does not drown the rest
                total += groupShare * Math.sqrt(s.roiPixels.length) / groupWeight;
                cumulativeWeight[i++] = total;
            }
        }
    }

    private static List<Source> index(List<LabelledImage> images, Preprocessing pre) {
        List<Source> indexed = new ArrayList<>();
        for (LabelledImage img : images) {
            checkFinite(img);
            Source s = index(img, pre.isLocal() ? pre.apply(img.luma()) : null);
            if (s.roiPixels.length > 0) indexed.add(s);
        }
        return indexed;
    }

    private static void checkFinite(LabelledImage img) {
        for (float f : img.luma().values()) {
            if (!Float.isFinite(f)) {
                throw new IllegalArgumentException(img.name() + ": photo has non-finite pixel values");
            }
        }
    }

    private static Source index(LabelledImage img, Plane input) {
        float[] luma = img.luma().values();
        boolean[] label = img.label().bits();
        boolean[] roi = img.roi().bits();
        int n = luma.length;
        int[] poreIdx = new int[n];
        int[] roiIdx = new int[n];
        int pores = 0;
        int rois = 0;
        for (int i = 0; i < n; i++) {
            if (!roi[i]) continue;
            roiIdx[rois++] = i;
            if (label[i]) poreIdx[pores++] = i;
        }
        // hard distractors: the darkest tenth of non-pore ROI pixels (shadows, hairs, spots look like pores)
        float[] background = new float[rois - pores];
        int k = 0;
        for (int j = 0; j < rois; j++) {
            int i = roiIdx[j];
            if (!label[i]) background[k++] = luma[i];
        }
        int[] distractors = new int[0];
        if (k > 0) {
            float[] sorted = background.clone();
            Arrays.sort(sorted);
            float cut = sorted[Math.max(0, k / 10 - 1)];
            int[] d = new int[k];
            int m = 0;
            for (int j = 0; j < rois; j++) {
                int i = roiIdx[j];
                if (!label[i] && luma[i] <= cut) d[m++] = i;
            }
            distractors = Arrays.copyOf(d, m);
        }
        SplittableRandom r = new SplittableRandom(n);
        float[] sample = new float[Math.min(SAMPLE, n)];
        double sum = 0;
        for (int i = 0; i < sample.length; i++) {
            sample[i] = luma[sample.length == n ? i : r.nextInt(n)];
            sum += sample[i];
        }
        return new Source(img, Arrays.copyOf(poreIdx, pores), distractors, Arrays.copyOf(roiIdx, rois), sample, sum / sample.length, input);
    }

    /** The batch of step {@code step}. */
    Batch batch(int step) {
        int p = config.patch();
        int n = config.batch();
        int area = p * p;
        float[] x = new float[n * area];
        float[] oneHot = new float[n * 2 * area];
        float[] weight = new float[n * area];
        float[] label = new float[n * area];
        float[] roi = new float[n * area];
        int[] origins = new int[n * 3];
        for (int b = 0; b < n; b++) {
            SplittableRandom r = new SplittableRandom(mix(config.seed(), step, b));
            Sample s = config.preprocessing().isLocal() ? cut(r) : sample(r);
            origins[3 * b] = sources.indexOf(s.source);
            origins[3 * b + 1] = s.left;
            origins[3 * b + 2] = s.top;
            System.arraycopy(s.input, 0, x, b * area, area);
            for (int i = 0; i < area; i++) {
                boolean pore = s.label[i];
                boolean inRoi = s.roi[i];
                oneHot[(b * 2 + (pore ? 1 : 0)) * area + i] = 1f;
                label[b * area + i] = pore ? 1f : 0f;
                roi[b * area + i] = inRoi ? 1f : 0f;
                weight[b * area + i] = inRoi ? (float) (pore ? config.poreWeight() : 1.0) : 0f;
            }
        }
        return new Batch(x, oneHot, weight, label, roi, n, p, origins);
    }

    /** Name of the photo of a batch's {@code origins} index. */
    String sourceName(int index) {
        return sources.get(index).image.name();
    }

    private record Sample(float[] input, boolean[] label, boolean[] roi, Source source, int left, int top) { }

    /** A patch centre: on a pore, on a hard distractor or anywhere in the ROI, with the configured shares. */
    private int centre(SplittableRandom r, Source src) {
        double u = r.nextDouble();
        int[] pool = u < config.poreCentred() && src.pores.length > 0 ? src.pores
                : u < config.poreCentred() + config.hardCentred() && src.distractors.length > 0 ? src.distractors
                : src.roiPixels;
        return pool[r.nextInt(pool.length)];
    }

    /**
     * A patch cut from the preprocessed photo (local normalisation). Output pixel (x, y) reads the
     * photo at {@code origin + R (x - c, y - c) * scale}: a flip, a 90-degree rotation and a scale
     * about the patch centre, bilinear for the input, nearest for label and ROI. Without rotation
     * and scaling it reads whole pixels, exactly.
     */
    private Sample cut(SplittableRandom r) {
        Source src = pickSource(r);
        LabelledImage img = src.image;
        int w = img.luma().width();
        int h = img.luma().height();
        int p = config.patch();
        int centre = centre(r, src);
        int left = centre % w - p / 2 + r.nextInt(-p / 4, p / 4 + 1);
        int top = centre / w - p / 2 + r.nextInt(-p / 4, p / 4 + 1);
        boolean augment = config.augment();
        int rot = augment ? r.nextInt(4) : 0;
        boolean flip = augment && r.nextBoolean();
        double j = config.scaleJitter();
        double scale = augment && j > 0 ? Math.exp(Augmentation.uniform(r, -Math.log1p(j), Math.log1p(j))) : 1;
        float[] in = src.input.values();
        boolean[] lab = img.label().bits();
        boolean[] rb = img.roi().bits();
        float[] out = new float[p * p];
        boolean[] label = new boolean[p * p];
        boolean[] roi = new boolean[p * p];
        double half = (p - 1) / 2.0;
        for (int y = 0; y < p; y++) {
            for (int x = 0; x < p; x++) {
                double dx = (flip ? p - 1 - x : x) - half;
                double dy = y - half;
                for (int k = 0; k < rot; k++) {
                    double t = dx;
                    dx = -dy;
                    dy = t;
                }
                double sx = left + half + dx * scale;
                double sy = top + half + dy * scale;
                int x0 = (int) Math.floor(sx);
                int y0 = (int) Math.floor(sy);
                float fx = (float) (sx - x0);
                float fy = (float) (sy - y0);
                int ax = Mirror.index(x0, w);
                int ay = Mirror.index(y0, h);
                float v = in[ay * w + ax];
                if (fx != 0 || fy != 0) {
                    int bx = Mirror.index(x0 + 1, w);
                    int by = Mirror.index(y0 + 1, h);
                    float top0 = v + fx * (in[ay * w + bx] - v);
                    float bottom = in[by * w + ax] + fx * (in[by * w + bx] - in[by * w + ax]);
                    v = top0 + fy * (bottom - top0);
                }
                int o = y * p + x;
                out[o] = v;
                int nx = (int) Math.round(sx);
                int ny = (int) Math.round(sy);
                int i = Mirror.index(ny, h) * w + Mirror.index(nx, w);
                label[o] = lab[i];
                // pixels outside the photo (reflected) never count in the loss
                roi[o] = rb[i] && nx >= 0 && ny >= 0 && nx < w && ny < h;
            }
        }
        if (augment) {
            photometric(out, p, r);
        }
        boolean exact = rot == 0 && scale == 1;
        return new Sample(out, label, roi, src, exact && !flip ? left : -1, exact && !flip ? top : -1);
    }

    /**
     * Photometric augmentation of a locally normalised patch. Normalisation divides out brightness,
     * contrast, gamma (locally linear) and uneven light on scales above its window, so those are not
     * drawn here; what it leaves is drawn: a gain and an offset (a window's deviation and mean are
     * estimates: a hair or a spot nearby moves them), defocus blur, and sensor noise relative to the
     * skin's own texture.
     */
    static void photometric(float[] v, int p, SplittableRandom r) {
        float gain = (float) Math.exp(Augmentation.uniform(r, -0.3, 0.3));
        float offset = (float) Augmentation.uniform(r, -0.2, 0.2);
        double blur = r.nextDouble() < 0.3 ? Augmentation.uniform(r, 0.4, 1.2) : 0;
        double noise = r.nextDouble() < 0.5 ? Augmentation.uniform(r, 0.05, 0.4) : 0;
        if (blur > 0) {
            float[] b = Gaussian.blur(new Plane(p, p, v.clone()), blur).values();
            System.arraycopy(b, 0, v, 0, v.length);
        }
        for (int i = 0; i < v.length; i++) {
            v[i] = v[i] * gain + offset + (noise > 0 ? (float) (r.nextGaussian() * noise) : 0f);
        }
    }

    private Sample sample(SplittableRandom r) {
        Source src = pickSource(r);
        LabelledImage img = src.image;
        int w = img.luma().width();
        int centre = centre(r, src);
        int cx = centre % w;
        int cy = centre / w;
        int p = config.patch();
        // preprocessing sees a context window around the patch, as it sees a whole photo at inference
        int pad = Math.max(16, p / 2);
        int c = p + 2 * pad;
        int ox = cx - c / 2 + r.nextInt(-p / 4, p / 4 + 1);
        int oy = cy - c / 2 + r.nextInt(-p / 4, p / 4 + 1);
        float[] luma = new float[c * c];
        boolean[] label = new boolean[c * c];
        boolean[] roi = new boolean[c * c];
        int rot = config.augment() ? r.nextInt(4) : 0;
        boolean flip = config.augment() && r.nextBoolean();
        int h = img.luma().height();
        for (int y = 0; y < c; y++) {
            for (int x = 0; x < c; x++) {
                // geometric augmentation: read the source through a flip and a rotation
                int sx = flip ? c - 1 - x : x;
                int sy = y;
                for (int k = 0; k < rot; k++) {
                    int t = sx;
                    sx = c - 1 - sy;
                    sy = t;
                }
                int ix = Mirror.index(ox + sx, w);
                int iy = Mirror.index(oy + sy, h);
                int i = iy * w + ix;
                int o = y * c + x;
                luma[o] = img.luma().values()[i];
                label[o] = img.label().bits()[i];
                // pixels outside the photo (reflected) never count in the loss
                roi[o] = img.roi().bits()[i] && ox + sx >= 0 && oy + sy >= 0 && ox + sx < w && oy + sy < h;
            }
        }
        Plane window = new Plane(c, c, luma);
        Augmentation change = config.augment() ? Augmentation.draw(r, src.mean) : Augmentation.NONE;
        if (config.augment()) {
            window = change.apply(window, r);
        }
        Plane input = preprocess(window, src, change).crop(pad, pad, p, p);
        boolean[] patchLabel = new boolean[p * p];
        boolean[] patchRoi = new boolean[p * p];
        for (int y = 0; y < p; y++) {
            System.arraycopy(label, (y + pad) * c + pad, patchLabel, y * p, p);
            System.arraycopy(roi, (y + pad) * c + pad, patchRoi, y * p, p);
        }
        return new Sample(input.values(), patchLabel, patchRoi, src, -1, -1);
    }

    /**
     * The card's preprocessing of a window, standardised (when the card standardises) with the
     * statistics of the whole augmented photo, as inference standardises the whole photo. After
     * flattening, light is even and the window's own statistics stand for the photo's.
     */
    private Plane preprocess(Plane window, Source src, Augmentation change) {
        Preprocessing pre = config.preprocessing();
        boolean standardize = Preprocessing.STANDARDIZE.equals(pre.normalize());
        if (!standardize || pre.flattenSigma() > 0) {
            return pre.apply(window);
        }
        Plane out = new Preprocessing(pre.flattenSigma(), pre.blurSigma(), pre.sharpenSigma(), pre.sharpenAmount(),
                Preprocessing.NONE).apply(window);
        double sum = 0;
        double sumSq = 0;
        for (float v : src.sample) {
            double a = change.pointwise(v);
            sum += a;
            sumSq += a * a;
        }
        int n = src.sample.length;
        double mean = sum / n;
        double std = Math.sqrt(Math.max(0, sumSq / n - mean * mean));
        float scale = std > 1e-8 ? (float) (1 / std) : 0f;
        float m = (float) mean;
        float[] o = out.values();
        for (int i = 0; i < o.length; i++) o[i] = (o[i] - m) * scale;
        return out;
    }

    Source pickSource(SplittableRandom r) {
        double t = r.nextDouble() * cumulativeWeight[cumulativeWeight.length - 1];
        for (int i = 0; i < cumulativeWeight.length; i++) {
            if (t < cumulativeWeight[i]) return sources.get(i);
        }
        return sources.get(sources.size() - 1);
    }

    /** A well-mixed seed for (seed, step, item), so batches need no RNG state to resume. */
    static long mix(long seed, long step, long item) {
        long z = seed * 0x9E3779B97F4A7C15L + step * 0xBF58476D1CE4E5B9L + item * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
