package dev.porescope.onnx;

import dev.porescope.core.unet.UNetSpec;
import dev.porescope.core.unet.UNetSpec.Kind;
import dev.porescope.core.unet.UNetSpec.Layer;
import dev.porescope.core.unet.UNetSpec.Param;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A U-Net's weights in the form every ONNX variant is written from: BatchNorm folded into the
 * convolutions, and each 2x2 stride-2 transposed convolution rewritten as a 1x1 convolution to
 * {@code 4 * out} channels, to be followed by {@code DepthToSpace(2, DCR)}.
 */
final class FoldedUNet {

    /** BatchNorm epsilon used in training (PyTorch's default). */
    static final double BN_EPS = 1e-5;

    /** One convolution ready to write: weight [out, in, k, k], bias [out]. */
    record Conv(int outChannels, int inChannels, int kernel, float[] weight, float[] bias) { }

    private final UNetSpec spec;
    private final Map<String, Conv> convs = new LinkedHashMap<>();

    FoldedUNet(UNetSpec spec, Map<String, float[]> weights) {
        this.spec = spec;
        checkWeights(spec, weights);
        for (Layer l : spec.layers()) {
            if (l.kind() == Kind.CONV) {
                convs.put(l.name(), foldConv(l, weights));
            } else if (l.kind() == Kind.UP_CONV) {
                convs.put(l.name(), upConvAs1x1(l, weights));
            }
        }
    }

    UNetSpec spec() { return spec; }

    /** The folded convolution of a CONV or UP_CONV layer, by layer name. */
    Conv conv(String layerName) { return convs.get(layerName); }

    /** Every parameter of the spec must be present with the right length, and nothing else. */
    static void checkWeights(UNetSpec spec, Map<String, float[]> weights) {
        List<Param> params = spec.parameters();
        for (Param p : params) {
            float[] w = weights.get(p.name());
            if (w == null) {
                throw new IllegalArgumentException("weights do not match the model card's spec '" + spec.name()
                        + "': parameter " + p.name() + " is missing");
            }
            if (w.length != p.numel()) {
                throw new IllegalArgumentException("weights do not match the model card's spec '" + spec.name()
                        + "': parameter " + p.name() + " has " + w.length + " values, the spec needs " + p.numel());
            }
        }
        for (String name : weights.keySet()) {
            if (params.stream().noneMatch(p -> p.name().equals(name))) {
                throw new IllegalArgumentException("weights do not match the model card's spec '" + spec.name()
                        + "': unexpected parameter " + name);
            }
        }
    }

    private static Conv foldConv(Layer l, Map<String, float[]> weights) {
        int out = l.outChannels(), in = l.inChannels(), k = l.kernel();
        float[] w = weights.get(l.name() + "_w").clone();
        float[] bias = new float[out];
        int perOut = in * k * k;
        if (l.batchNorm()) {
            float[] g = weights.get(l.name() + "_g"), b = weights.get(l.name() + "_b");
            float[] rm = weights.get(l.name() + "_rm"), rv = weights.get(l.name() + "_rv");
            for (int o = 0; o < out; o++) {
                double scale = g[o] / Math.sqrt(rv[o] + BN_EPS);
                for (int i = 0; i < perOut; i++) w[o * perOut + i] = (float) (w[o * perOut + i] * scale);
                bias[o] = (float) (b[o] - rm[o] * scale);
            }
        } else {
            System.arraycopy(weights.get(l.name() + "_b"), 0, bias, 0, out);
        }
        return new Conv(out, in, k, w, bias);
    }

    /**
     * PyTorch's transposed weight W[c, o, a, b] (input c, output o, offset a, b) becomes 1x1-conv
     * output channel (a * 2 + b) * out + o: the channel order DepthToSpace's DCR mode reads.
     */
    private static Conv upConvAs1x1(Layer l, Map<String, float[]> weights) {
        int in = l.inChannels(), out = l.outChannels();
        float[] w = weights.get(l.name() + "_w");
        float[] b = weights.get(l.name() + "_b");
        float[] w1 = new float[4 * out * in];
        float[] b1 = new float[4 * out];
        for (int c = 0; c < in; c++) {
            for (int o = 0; o < out; o++) {
                for (int ab = 0; ab < 4; ab++) {
                    int channel = ab * out + o;
                    w1[channel * in + c] = w[(c * out + o) * 4 + ab];
                    b1[channel] = b[o];
                }
            }
        }
        return new Conv(4 * out, in, 1, w1, b1);
    }
}
