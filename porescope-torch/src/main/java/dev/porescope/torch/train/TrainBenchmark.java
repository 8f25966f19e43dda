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
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Times what training and serving cost: the trainer's own step (same loss, Adam) on a fixed
 * random batch, and a whole-image inference of the frozen module. For {@code porescope bench}.
 */
public final class TrainBenchmark {
    private TrainBenchmark() { }

    /** Seconds of each timed repetition, and their median. */
    public record Timing(double median, double[] seconds) {
        static Timing of(double[] s) {
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
     * One {@code size}x{@code size} image through the frozen eval-mode module (BatchNorm
     * folded), optionally after libtorch's {@code optimize_for_inference} (server only).
     */
    public static Timing inference(UNetSpec spec, int size, int warmup, int reps, boolean optimizeForInference) {
        Torch.init();
        float[] image = new float[size * size];
        SplittableRandom r = new SplittableRandom(2);
        for (int i = 0; i < image.length; i++) image[i] = (float) r.nextGaussian();
        try (UNetModule module = UNetModule.create(spec, 1)) {
            module.train(false);
            JitModule frozen = torch.freeze(module.jit());
            JitModule served = optimizeForInference ? torch.optimize_for_inference(frozen) : frozen;
            try {
                double[] seconds = new double[reps];
                for (int i = -warmup; i < reps; i++) {
                    long t0 = System.nanoTime();
                    Torch.inference("benchmark inference", () -> {
                        Tensor out = served.forward(new IValueVector(new IValue(Torch.tensor(image, 1, 1, size, size)))).toTensor();
                        return Torch.floats(out.select(1, 1));
                    });
                    if (i >= 0) seconds[i] = (System.nanoTime() - t0) / 1e9;
                }
                return Timing.of(seconds);
            } finally {
                if (served != frozen) served.close();
                frozen.close();
            }
        }
    }
}
