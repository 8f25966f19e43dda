package dev.porescope.torch.train;

import dev.porescope.core.unet.UNetSpec;
import dev.porescope.torch.UNetModule;
import dev.porescope.torch.nativ.Torch;
import org.bytedeco.pytorch.Adam;
import org.bytedeco.pytorch.AdamOptions;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.IValueVector;
import org.bytedeco.pytorch.JitModule;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Times what training and serving cost: the trainer's own step (same loss, Adam) on a fixed
 * random batch, and a whole-image inference of the frozen module. For {@code porescope bench}.
 */
public final class TrainBenchmark {
    private TrainBenchmark() { }

    /** Seconds of each timed repetition, and their median. */
    public record Timing(double median, double[] seconds) {
        public static Timing of(double[] s) {
            double[] sorted = s.clone();
            Arrays.sort(sorted);
            int n = sorted.length;
            double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
            return new Timing(median, s);
        }
    }

    /** Training steps of {@code batch} patches of {@code patch}x{@code patch} (batch fixed, random). */
    public static Timing trainSteps(UNetSpec spec, int batch, int patch, int warmup, int steps, double diceWeight) {
        Torch.init();
        SplittableRandom r = new SplittableRandom(1);
        int area = patch * patch;
        float[] x = new float[batch * area];
        float[] oneHot = new float[batch * 2 * area];
        float[] weight = new float[batch * area];
        float[] label = new float[batch * area];
        float[] roi = new float[batch * area];
        for (int i = 0; i < batch * area; i++) {
            x[i] = (float) r.nextGaussian();
            boolean pore = r.nextDouble() < 0.1;
            int b = i / area;
            int j = i % area;
            oneHot[(b * 2 + (pore ? 1 : 0)) * area + j] = 1;
            label[i] = pore ? 1 : 0;
            roi[i] = 1;
            weight[i] = pore ? 3 : 1;
        }
        PatchSampler.Batch data = new PatchSampler.Batch(x, oneHot, weight, label, roi, batch, patch, new int[0]);
        try (UNetModule module = UNetModule.create(spec, 1)) {
            TensorVector params = module.trainableParameters();
            Adam adam = new Adam(params, new AdamOptions(1e-3));
            try {
                double[] seconds = new double[steps];
                for (int i = -warmup; i < steps; i++) {
                    long t0 = System.nanoTime();
                    Trainer.step(module, adam, data, 1e-3, diceWeight);
                    if (i >= 0) seconds[i] = (System.nanoTime() - t0) / 1e9;
                }
                return Timing.of(seconds);
            } finally {
                adam.close();
                params.close();
            }
        }
    }

    /**
     * One timed unit of work for {@link #interleaved}: {@code work} is its count of what it is
     * measured in (floating-point operations, or bytes for a copy); {@code run} does it once
     * and returns what it computed (the probabilities of an inference; null otherwise).
     */
    public record Probe(String name, double work, Supplier<float[]> run, AutoCloseable resources) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            if (resources != null) resources.close();
        }
    }

    /** Each probe's seconds over {@code reps} rounds, and what it computed in its last run. */
    public record Rounds(Map<String, double[]> seconds, Map<String, float[]> results) {
        public Timing timing(String probe) { return Timing.of(seconds.get(probe)); }

        /** Median over rounds of this probe's rate divided by {@code reference}'s rate in the same round. */
        public double medianRateRatio(Probe probe, Probe reference) {
            double[] a = seconds.get(probe.name());
            double[] b = seconds.get(reference.name());
            double[] r = new double[a.length];
            for (int i = 0; i < a.length; i++) r[i] = (probe.work() / a[i]) / (reference.work() / b[i]);
            return Timing.of(r).median();
        }
    }

    /**
     * Runs every probe once per round, {@code warmup} untimed and {@code reps} timed rounds, so
     * that a machine whose speed drifts affects every probe alike.
     */
    public static Rounds interleaved(List<Probe> probes, int warmup, int reps) {
        Map<String, double[]> seconds = new LinkedHashMap<>();
        Map<String, float[]> results = new LinkedHashMap<>();
        for (Probe p : probes) seconds.put(p.name(), new double[reps]);
        for (int round = -warmup; round < reps; round++) {
            for (Probe p : probes) {
                long t0 = System.nanoTime();
                float[] out = p.run().get();
                double s = (System.nanoTime() - t0) / 1e9;
                if (round >= 0) seconds.get(p.name())[round] = s;
                results.put(p.name(), out);
            }
        }
        return new Rounds(seconds, results);
    }

    /** An {@code n}x{@code n} by {@code n}x{@code n} fp32 matrix product ({@code torch.mm}, libtorch's BLAS): 2n^3 flop. */
    public static Probe gemm(int n) {
        Torch.init();
        Tensor a = torch.randn(n, n);
        Tensor b = torch.randn(n, n);
        return new Probe(String.format(Locale.ROOT, "matrix product %dx%d", n, n), 2.0 * n * n * n,
                () -> Torch.inference("timing a matrix product", () -> {
                    torch.mm(a, b);
                    return null;
                }), () -> {
                    a.close();
                    b.close();
                });
    }

    /**
     * The spec's costliest convolution at full resolution ({@code fullResolution}) or at a coarser
     * level, alone at a {@code size}x{@code size} input, random values ({@code torch.conv2d} on NCHW,
     * what the frozen graph calls): the best that layer shape does here, outside the network.
     */
    public static Probe costliestConv(UNetSpec spec, int size, boolean fullResolution) {
        Torch.init();
        UNetSpec.Layer big = spec.layers().stream()
                .filter(l -> l.kind() == UNetSpec.Kind.CONV && (l.scale() == 1) == fullResolution)
                .max(java.util.Comparator.comparingDouble(l -> (double) l.kernel() * l.kernel() * l.inChannels() * l.outChannels()
                        / ((double) l.scale() * l.scale()))).orElseThrow();
        long side = size / big.scale();
        long pad = big.kernel() / 2;
        Tensor x = torch.randn(1, big.inChannels(), side, side);
        Tensor w = torch.randn(big.outChannels(), big.inChannels(), big.kernel(), big.kernel());
        double flop = 2.0 * big.kernel() * big.kernel() * big.inChannels() * big.outChannels() * side * side;
        return new Probe(String.format(Locale.ROOT, "conv %s alone (%d->%d, %dx%d)", big.name(), big.inChannels(),
                big.outChannels(), side, side), flop,
                () -> Torch.inference("timing a convolution", () -> {
                    torch.conv2d(x, w, new TensorOptional(), new long[]{1, 1}, new long[]{pad, pad}, new long[]{1, 1}, 1);
                    return null;
                }), () -> {
                    x.close();
                    w.close();
                });
    }

    /** A copy of {@code megabytes} MB of floats into a tensor allocated once: bytes read plus bytes written. */
    public static Probe copy(int megabytes) {
        Torch.init();
        long n = megabytes * (1L << 20) / 4;
        Tensor src = torch.randn(n);
        Tensor dst = torch.empty(n);
        return new Probe(String.format(Locale.ROOT, "copy %d MB", megabytes), 8.0 * n,
                () -> Torch.inference("timing a copy", () -> {
                    dst.copy_(src);
                    return null;
                }), () -> {
                    src.close();
                    dst.close();
                });
    }

    /**
     * One {@code size}x{@code size} image through the eval-mode module frozen as {@code serving}
     * (BatchNorm folded); the probe returns the pore probabilities.
     */
    public static Probe inference(UNetSpec spec, int size, UNetModule.Serving serving) {
        Torch.init();
        float[] image = new float[size * size];
        SplittableRandom r = new SplittableRandom(2);
        for (int i = 0; i < image.length; i++) image[i] = (float) r.nextGaussian();
        JitModule served;
        try (UNetModule module = UNetModule.create(spec, 1)) {
            module.train(false);
            served = module.frozen(serving);
        }
        return new Probe(String.format(Locale.ROOT, "%dx%d %s", size, size, serving.label()),
                2 * spec.macsPerPixel() * size * size,
                () -> Torch.inference("benchmark inference", () -> {
                    Tensor x = serving.input(Torch.tensor(image, 1, 1, size, size));
                    Tensor out = served.forward(new IValueVector(new IValue(x))).toTensor();
                    return Torch.floats(out.select(1, 1));
                }), served::close);
    }
}
