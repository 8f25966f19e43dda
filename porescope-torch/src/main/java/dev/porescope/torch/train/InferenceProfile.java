package dev.porescope.torch.train;

import dev.porescope.core.unet.UNetSpec;
import dev.porescope.core.unet.UNetSpec.Layer;
import dev.porescope.torch.nativ.Torch;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the time of one eval-mode inference goes: the network of a {@link UNetSpec} run layer by
 * layer in libtorch's eager mode (the same ATen operators the frozen TorchScript graph calls,
 * BatchNorm folded into the convolutions as {@code torch.jit.freeze} does), each layer timed on
 * its own. For {@code porescope bench train --profile}.
 *
 * <p>Each layer's time comes with its multiply-adds (from the spec) and the bytes it must at
 * least read and write (its input and output activations, its weights), so that a layer far
 * below the machine's multiply-add rate can be told apart as memory-bound.
 */
public final class InferenceProfile {
    private InferenceProfile() { }

    /** Memory layout of activations and weights. */
    public enum Layout {
        /** Contiguous NCHW, what the frozen module gets from {@code TorchModel}. */
        DENSE,
        /** NHWC ({@code MemoryFormat.ChannelsLast}) for the input and every 4-d weight. */
        CHANNELS_LAST
    }

    /**
     * One layer's timing.
     *
     * @param macs    multiply-adds of the layer on the profiled image
     * @param bytes   activations read and written plus weights, at 4 bytes a value
     * @param seconds median seconds over the timed repetitions
     */
    public record LayerTime(Layer layer, double macs, double bytes, double seconds) {
        public double gflops() { return 2 * macs / seconds / 1e9; }

        public double gbPerSecond() { return bytes / seconds / 1e9; }
    }

    /**
     * The network with its weights folded and laid out for one {@link Layout}, ready for timed
     * passes; holds native memory until closed.
     */
    public static final class Net implements AutoCloseable {
        private final UNetSpec spec;
        private final Layout layout;
        private final Map<String, Tensor> folded = new HashMap<>();

        /** @param weights every parameter and buffer by spec name, as {@code UNetModule#weights()} gives them */
        public Net(UNetSpec spec, Map<String, float[]> weights, Layout layout) {
            Torch.init();
            this.spec = spec;
            this.layout = layout;
            try {
                for (Layer l : spec.layers()) {
                    if (l.kind() == UNetSpec.Kind.CONV || l.kind() == UNetSpec.Kind.UP_CONV) {
                        Tensor[] wb = folded(l, weights, layout);
                        folded.put(l.name() + "_w", wb[0]);
                        folded.put(l.name() + "_b", wb[1]);
                    }
                }
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }

        public Layout layout() { return layout; }

        /**
         * One pass of {@code image} ({@code size}x{@code size}): the seconds of each layer of
         * {@link UNetSpec#layers()} go into {@code seconds}; returns the probabilities [classes, H, W].
         */
        public float[] pass(float[] image, int size, double[] seconds) {
            if (image.length != size * size) throw new IllegalArgumentException("image must hold size x size values");
            List<Layer> layers = spec.layers();
            return Torch.inference("profiling " + spec.name(), () -> {
                Map<String, Tensor> values = new HashMap<>();
                Tensor x = Torch.tensor(image, 1, spec.inChannels(), size, size);
                values.put("x", layout == Layout.CHANNELS_LAST ? x.contiguous(torch.MemoryFormat.ChannelsLast) : x);
                for (int i = 0; i < layers.size(); i++) {
                    Layer l = layers.get(i);
                    long t0 = System.nanoTime();
                    values.put(l.output(), apply(spec, l, values, folded));
                    seconds[i] = (System.nanoTime() - t0) / 1e9;
                }
                return Torch.floats(values.get(layers.get(layers.size() - 1).output()).select(0, 0));
            });
        }

        @Override
        public void close() {
            folded.values().forEach(Tensor::close);
            folded.clear();
        }
    }

    /**
     * Per-layer medians of timed passes at {@code size}x{@code size}.
     *
     * @param seconds one row per pass, one column per layer of {@link UNetSpec#layers()}
     */
    public static List<LayerTime> summary(UNetSpec spec, int size, List<double[]> seconds) {
        List<Layer> layers = spec.layers();
        List<LayerTime> out = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            double[] s = new double[seconds.size()];
            for (int r = 0; r < s.length; r++) s[r] = seconds.get(r)[i];
            double pixels = (double) size * size / ((double) l.scale() * l.scale());
            out.add(new LayerTime(l, macs(l) * pixels, bytes(l, pixels), TrainBenchmark.Timing.of(s).median()));
        }
        return out;
    }

    /** Multiply-adds per output pixel, as {@link UNetSpec#macsPerPixel()} counts them. */
    private static double macs(Layer l) {
        return switch (l.kind()) {
            case CONV -> (double) l.kernel() * l.kernel() * l.inChannels() * l.outChannels();
            case UP_CONV -> (double) l.inChannels() * l.outChannels();
            default -> 0;
        };
    }

    /** Activation values read and written, and weights, at 4 bytes each ({@code pixels}: output pixels). */
    private static double bytes(Layer l, double pixels) {
        double in = switch (l.kind()) {
            case MAX_POOL -> 4 * pixels * l.inChannels();   // the input has 4x the output's pixels
            case UP_CONV -> pixels / 4 * l.inChannels();    // ... and a quarter of them here
            default -> pixels * l.inChannels();
        };
        double weights = switch (l.kind()) {
            case CONV -> (double) l.kernel() * l.kernel() * l.inChannels() * l.outChannels();
            case UP_CONV -> 4.0 * l.inChannels() * l.outChannels();
            default -> 0;
        };
        return 4 * (in + pixels * l.outChannels() + weights);
    }

    private static Tensor apply(UNetSpec spec, Layer l, Map<String, Tensor> values, Map<String, Tensor> folded) {
        Tensor in = values.get(l.input());
        return switch (l.kind()) {
            case CONV -> {
                long pad = l.kernel() / 2;
                Tensor y = torch.conv2d(in, folded.get(l.name() + "_w"), new TensorOptional(folded.get(l.name() + "_b")),
                        new long[]{1, 1}, new long[]{pad, pad}, new long[]{1, 1}, 1);
                yield activate(spec, l, y);
            }
            case MAX_POOL -> {
                long k = l.kernel();
                long pad = k / 2;
                yield torch.max_pool2d(in, new long[]{k, k}, new long[]{2, 2}, new long[]{pad, pad}, new long[]{1, 1}, false);
            }
            case UP_CONV -> activate(spec, l, torch.conv_transpose2d(in, folded.get(l.name() + "_w"),
                    new TensorOptional(folded.get(l.name() + "_b")), new long[]{2, 2}, new long[]{0, 0}, new long[]{0, 0}, 1, 1, 1));
            case CONCAT -> {
                TensorVector parts = new TensorVector(values.get(l.inputs().get(0)), values.get(l.inputs().get(1)));
                yield torch.cat(parts, 1);
            }
            case SOFTMAX -> torch.softmax(in, 1);
        };
    }

    private static Tensor activate(UNetSpec spec, Layer l, Tensor y) {
        return switch (l.activation()) {
            case NONE -> y;
            case RELU -> torch.relu_(y);
            case LEAKY_RELU -> torch.leaky_relu_(y, new Scalar(spec.leakySlope()));
        };
    }

    /** Weight and bias of a conv or up-conv, BatchNorm folded in (eval mode), in {@code layout}; long-lived. */
    private static Tensor[] folded(Layer l, Map<String, float[]> weights, Layout layout) {
        float[] w = weights.get(l.name() + "_w").clone();
        float[] b;
        long[] shape;
        if (l.kind() == UNetSpec.Kind.CONV) {
            shape = new long[]{l.outChannels(), l.inChannels(), l.kernel(), l.kernel()};
            if (l.batchNorm()) {
                float[] g = weights.get(l.name() + "_g");
                float[] beta = weights.get(l.name() + "_b");
                float[] mean = weights.get(l.name() + "_rm");
                float[] var = weights.get(l.name() + "_rv");
                b = new float[l.outChannels()];
                int per = w.length / l.outChannels();
                for (int o = 0; o < l.outChannels(); o++) {
                    float s = (float) (g[o] / Math.sqrt(var[o] + 1e-5));
                    for (int j = 0; j < per; j++) w[o * per + j] *= s;
                    b[o] = beta[o] - mean[o] * s;
                }
            } else {
                b = weights.get(l.name() + "_b");
            }
        } else {
            shape = new long[]{l.inChannels(), l.outChannels(), 2, 2};
            b = weights.get(l.name() + "_b");
        }
        Tensor wt = Torch.tensor(w, shape);
        if (layout == Layout.CHANNELS_LAST) {
            Tensor cl = wt.contiguous(torch.MemoryFormat.ChannelsLast);
            wt.close();
            wt = cl;
        }
        return new Tensor[]{wt, Torch.tensor(b, l.outChannels())};
    }
}
