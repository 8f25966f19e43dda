package dev.porescope.torch.train;

import dev.porescope.core.data.LabelledImage;
import dev.porescope.core.image.Plane;
import dev.porescope.core.preprocess.Preprocessing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws training batches: random square patches, a share of them centred on pore pixels and on
 * hard distractors (dark pixels that are not pores), with flips, 90-degree rotations and
 * photometric augmentation, then the card's preprocessing over a context window around the
 * patch. Every batch depends only on (seed, step), so a resumed run sees the same batches.
 */
final class PatchSampler {
    private final List<Source> sources = new ArrayList<>();
    private final double[] cumulativeWeight;
    private final TrainConfig config;

    /** One batch as flat arrays: x [N,1,P,P], target one-hot [N,2,P,P], per-pixel loss weight [N,1,P,P], label and ROI [N,1,P,P]. */
    record Batch(float[] x, float[] oneHot, float[] weight, float[] label, float[] roi, int size, int patch) { }

    /**
     * @param sample luma values at random pixels of the whole photo, for whole-photo statistics
     * @param mean   mean luma of the whole photo
     */
    record Source(LabelledImage image, int[] pores, int[] distractors, int[] roiPixels, float[] sample, double mean) { }

    private static final int SAMPLE = 4096;

    /**
     * @param real      labelled photos (bigger photos give more patches, by the square root of their ROI)
     * @param synthetic synthetic photos; together they give {@code config.syntheticShare()} of the
     *                  patches when there are real photos too
     */
    PatchSampler(List<LabelledImage> real, List<LabelledImage> synthetic, TrainConfig config) {
        this.config = config;
        if (real.isEmpty() && synthetic.isEmpty()) throw new IllegalArgumentException("no training images");
        List<Source> realSources = index(real);
        List<Source> syntheticSources = index(synthetic);
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

    private static List<Source> index(List<LabelledImage> images) {
        List<Source> indexed = new ArrayList<>();
        for (LabelledImage img : images) {
            checkFinite(img);
            Source s = index(img);
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

    private static Source index(LabelledImage img) {
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
        return new Source(img, Arrays.copyOf(poreIdx, pores), distractors, Arrays.copyOf(roiIdx, rois), sample, sum / sample.length);
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
        for (int b = 0; b < n; b++) {
            SplittableRandom r = new SplittableRandom(mix(config.seed(), step, b));
            Sample s = sample(r);
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
        return new Batch(x, oneHot, weight, label, roi, n, p);
    }

    private record Sample(float[] input, boolean[] label, boolean[] roi) { }

    private Sample sample(SplittableRandom r) {
        Source src = pickSource(r);
        LabelledImage img = src.image;
        int w = img.luma().width();
        double u = r.nextDouble();
        int[] pool = u < config.poreCentred() && src.pores.length > 0 ? src.pores
                : u < config.poreCentred() + config.hardCentred() && src.distractors.length > 0 ? src.distractors
                : src.roiPixels;
        int centre = pool[r.nextInt(pool.length)];
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
                int ix = reflect(ox + sx, w);
                int iy = reflect(oy + sy, h);
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
        return new Sample(input.values(), patchLabel, patchRoi);
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

    private static int reflect(int i, int n) {
        if (n == 1) return 0;
        int period = 2 * (n - 1);
        int m = Math.floorMod(i, period);
        return m < n ? m : period - m;
    }

    /** A well-mixed seed for (seed, step, item), so batches need no RNG state to resume. */
    static long mix(long seed, long step, long item) {
        long z = seed * 0x9E3779B97F4A7C15L + step * 0xBF58476D1CE4E5B9L + item * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
