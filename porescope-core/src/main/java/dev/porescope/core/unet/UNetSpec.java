package dev.porescope.core.unet;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A U-Net described as data. {@link #layers()} is the one topology walk: the TorchScript
 * generator, the ONNX writer and the multiply-add count all read it, so they cannot disagree.
 *
 * @param name          spec name
 * @param inChannels    input channels (1: luma)
 * @param classes       output classes (2: background, pore); softmax over them
 * @param widths        channels per level, top to bottom; the last is the bottleneck
 * @param convsPerLevel conv + norm + activation blocks per level, on the way down and up
 * @param kernel        conv kernel size (odd)
 * @param poolKernel    max-pool kernel between levels (stride 2, padding (k-1)/2)
 * @param batchNorm     BatchNorm after each conv (otherwise the conv has a bias)
 * @param leakySlope    negative slope of the LeakyReLU after each 2x2 transposed conv
 */
public record UNetSpec(@JsonProperty("name") String name, @JsonProperty("inChannels") int inChannels,
                       @JsonProperty("classes") int classes, @JsonProperty("widths") List<Integer> widths,
                       @JsonProperty("convsPerLevel") int convsPerLevel, @JsonProperty("kernel") int kernel,
                       @JsonProperty("poolKernel") int poolKernel, @JsonProperty("batchNorm") boolean batchNorm,
                       @JsonProperty("leakySlope") double leakySlope) {

    /** Explicit creator and names so that Jackson reads it on Android too, where records are desugared. */
    @JsonCreator
    public UNetSpec {
        widths = List.copyOf(widths);
        if (widths.isEmpty() || widths.stream().anyMatch(w -> w <= 0)) {
            throw new IllegalArgumentException("spec " + name + ": widths must be positive, got " + widths);
        }
        if (kernel % 2 == 0 || poolKernel % 2 == 0 || kernel < 1 || poolKernel < 1) {
            throw new IllegalArgumentException("spec " + name + ": kernel sizes must be odd");
        }
        if (convsPerLevel < 1 || inChannels < 1 || classes < 2) {
            throw new IllegalArgumentException("spec " + name + ": needs >= 1 conv per level, >= 1 input channel, >= 2 classes");
        }
    }

    /** The paper's Table 2: widths 48/96/192/384, 3x3 conv + BN + ReLU, 3x3 max-pool, 2x2 up-conv + LeakyReLU. */
    public static UNetSpec paper() {
        return family("paper", 48, 96, 192, 384);
    }

    /** The same family with other widths. */
    public static UNetSpec family(String name, Integer... widths) {
        return new UNetSpec(name, 1, 2, List.of(widths), 1, 3, 3, true, 0.01);
    }

    private static final Map<String, UNetSpec> NAMED = new LinkedHashMap<>();

    static {
        for (UNetSpec s : List.of(paper(),
                family("half", 24, 48, 96, 192),
                family("quarter", 12, 24, 48, 96),
                family("slim", 8, 16, 32, 64),
                family("tiny", 4, 8, 16, 32))) {
            NAMED.put(s.name(), s);
        }
    }

    /** Names accepted by {@link #named(String)}. */
    public static List<String> names() { return List.copyOf(NAMED.keySet()); }

    /** A predefined spec by name; throws with the list of known names otherwise. */
    public static UNetSpec named(String name) {
        UNetSpec s = NAMED.get(name);
        if (s == null) {
            throw new IllegalArgumentException("unknown spec '" + name + "'; known specs: " + String.join(", ", names()));
        }
        return s;
    }

    public int levels() { return widths.size(); }

    /** Tile sides and origins must be multiples of this: every level halves the resolution. */
    public int sizeMultiple() { return 1 << (levels() - 1); }

    // ---- the topology walk -------------------------------------------------------------------

    public enum Kind { CONV, MAX_POOL, UP_CONV, CONCAT, SOFTMAX }

    public enum Activation { NONE, RELU, LEAKY_RELU }

    /**
     * One step of the network. Tensors are named; {@code "x"} is the input, the last layer's
     * output is the network output.
     *
     * @param kind       what the layer does
     * @param name       parameter prefix ({@code name + "_w"} ...); null for layers without parameters
     * @param inputs     input tensor names (two for CONCAT)
     * @param output     output tensor name
     * @param inChannels input channels (sum for CONCAT)
     * @param outChannels output channels
     * @param kernel     kernel size (CONV, MAX_POOL), 2 for UP_CONV
     * @param batchNorm  CONV followed by BatchNorm (then the conv has no bias)
     * @param activation activation after the layer
     * @param scale      resolution divisor of the output (1 = input resolution)
     */
    public record Layer(Kind kind, String name, List<String> inputs, String output, int inChannels,
                        int outChannels, int kernel, boolean batchNorm, Activation activation, int scale) {
        public String input() { return inputs.get(0); }
    }

    /** The network as an ordered list of layers, the single source of its topology. */
    public List<Layer> layers() {
        List<Layer> out = new ArrayList<>();
        String current = "x";
        int channels = inChannels;
        List<String> skips = new ArrayList<>();
        for (int level = 0; level < levels(); level++) {
            int scale = 1 << level;
            if (level > 0) {
                String pooled = "p" + (level - 1);
                out.add(new Layer(Kind.MAX_POOL, null, List.of(current), pooled, channels, channels,
                        poolKernel, false, Activation.NONE, scale));
                current = pooled;
            }
            for (int j = 0; j < convsPerLevel; j++) {
                String name = "enc" + level + (j == 0 ? "" : "_" + j);
                out.add(conv(name, current, name, channels, widths.get(level), scale));
                current = name;
                channels = widths.get(level);
            }
            skips.add(current);
        }
        for (int level = levels() - 2; level >= 0; level--) {
            int scale = 1 << level;
            String up = "up" + level;
            out.add(new Layer(Kind.UP_CONV, up, List.of(current), up, channels, widths.get(level), 2, false,
                    Activation.LEAKY_RELU, scale));
            String cat = "cat" + level;
            out.add(new Layer(Kind.CONCAT, null, List.of(up, skips.get(level)), cat, 2 * widths.get(level),
                    2 * widths.get(level), 0, false, Activation.NONE, scale));
            current = cat;
            channels = 2 * widths.get(level);
            for (int j = 0; j < convsPerLevel; j++) {
                String name = "dec" + level + (j == 0 ? "" : "_" + j);
                out.add(conv(name, current, name, channels, widths.get(level), scale));
                current = name;
                channels = widths.get(level);
            }
        }
        out.add(new Layer(Kind.CONV, "head", List.of(current), "logits", channels, classes, 1, false,
                Activation.NONE, 1));
        out.add(new Layer(Kind.SOFTMAX, null, List.of("logits"), "probability", classes, classes, 0, false,
                Activation.NONE, 1));
        return out;
    }

    private Layer conv(String name, String input, String output, int in, int outCh, int scale) {
        return new Layer(Kind.CONV, name, List.of(input), output, in, outCh, kernel, batchNorm, Activation.RELU, scale);
    }

    // ---- parameters --------------------------------------------------------------------------

    public enum ParamRole { CONV_WEIGHT, CONV_BIAS, UP_WEIGHT, UP_BIAS, BN_WEIGHT, BN_BIAS, BN_MEAN, BN_VAR }

    /**
     * A named tensor of the network. Conv weights are [out, in, k, k]; up-conv weights use
     * PyTorch's transposed layout [in, out, 2, 2]; BatchNorm has weight (_g), bias (_b) and
     * running mean/variance buffers (_rm, _rv).
     */
    public record Param(String name, ParamRole role, long[] shape, int fanIn) {
        public boolean isBuffer() { return role == ParamRole.BN_MEAN || role == ParamRole.BN_VAR; }

        public long numel() {
            long n = 1;
            for (long d : shape) n *= d;
            return n;
        }
    }

    /** All parameters and buffers, in layer order. */
    public List<Param> parameters() {
        List<Param> out = new ArrayList<>();
        for (Layer l : layers()) {
            switch (l.kind()) {
                case CONV -> {
                    int k = l.kernel();
                    int fanIn = l.inChannels() * k * k;
                    out.add(new Param(l.name() + "_w", ParamRole.CONV_WEIGHT, new long[]{l.outChannels(), l.inChannels(), k, k}, fanIn));
                    if (l.batchNorm()) {
                        long[] c = {l.outChannels()};
                        out.add(new Param(l.name() + "_g", ParamRole.BN_WEIGHT, c, fanIn));
                        out.add(new Param(l.name() + "_b", ParamRole.BN_BIAS, c, fanIn));
                        out.add(new Param(l.name() + "_rm", ParamRole.BN_MEAN, c, fanIn));
                        out.add(new Param(l.name() + "_rv", ParamRole.BN_VAR, c, fanIn));
                    } else {
                        out.add(new Param(l.name() + "_b", ParamRole.CONV_BIAS, new long[]{l.outChannels()}, fanIn));
                    }
                }
                case UP_CONV -> {
                    int fanIn = l.inChannels() * 4;
                    out.add(new Param(l.name() + "_w", ParamRole.UP_WEIGHT, new long[]{l.inChannels(), l.outChannels(), 2, 2}, fanIn));
                    out.add(new Param(l.name() + "_b", ParamRole.UP_BIAS, new long[]{l.outChannels()}, fanIn));
                }
                default -> { }
            }
        }
        return out;
    }

    /** Trainable parameter count (BatchNorm running statistics excluded). */
    public long parameterCount() {
        return parameters().stream().filter(p -> !p.isBuffer()).mapToLong(Param::numel).sum();
    }

    /** Multiply-adds per input pixel (convolutions and up-convolutions). */
    public double macsPerPixel() {
        double macs = 0;
        for (Layer l : layers()) {
            double perOutputPixel = switch (l.kind()) {
                case CONV -> (double) l.kernel() * l.kernel() * l.inChannels() * l.outChannels();
                // each coarse input pixel feeds 4 outputs: per output pixel, in*out multiply-adds
                case UP_CONV -> (double) l.inChannels() * l.outChannels();
                default -> 0;
            };
            macs += perOutputPixel / ((double) l.scale() * l.scale());
        }
        return macs;
    }

    /**
     * Receptive-field radius in input pixels (conservative), rounded up to {@link #sizeMultiple()}:
     * the overlap tiles need for exact stitching.
     */
    public int margin() {
        Map<String, Integer> radius = new HashMap<>();
        radius.put("x", 0);
        int last = 0;
        for (Layer l : layers()) {
            int r = l.inputs().stream().mapToInt(radius::get).max().orElse(0);
            int added = switch (l.kind()) {
                case CONV -> (l.kernel() / 2) * l.scale();
                case MAX_POOL -> (l.kernel() / 2) * (l.scale() / 2);
                case UP_CONV -> 2 * l.scale();
                default -> 0;
            };
            last = r + added;
            radius.put(l.output(), last);
        }
        int m = sizeMultiple();
        return (last + m - 1) / m * m;
    }
}
