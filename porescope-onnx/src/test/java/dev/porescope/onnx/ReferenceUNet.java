package dev.porescope.onnx;

import dev.porescope.core.unet.UNetSpec;
import dev.porescope.core.unet.UNetSpec.Layer;

import java.util.HashMap;
import java.util.Map;

/**
 * A plain, slow forward pass of a U-Net written straight from PyTorch's definitions (conv2d,
 * batch_norm in eval mode, max_pool2d, conv_transpose2d with weight [in, out, 2, 2], cat,
 * softmax), independent of the ONNX writer's folding and DepthToSpace rewrite.
 */
final class ReferenceUNet {

    /** A [C, H, W] feature map. */
    record Map3(int c, int h, int w, double[] v) {
        double get(int ch, int y, int x) { return v[(ch * h + y) * w + x]; }
    }

    private ReferenceUNet() { }

    /** Softmax probabilities [classes, H, W] for one [1, H, W] input. */
    static float[] forward(UNetSpec spec, Map<String, float[]> weights, float[] input, int h, int w) {
        Map<String, Map3> t = new HashMap<>();
        double[] x = new double[input.length];
        for (int i = 0; i < x.length; i++) x[i] = input[i];
        t.put("x", new Map3(1, h, w, x));
        for (Layer l : spec.layers()) {
            Map3 in = t.get(l.input());
            Map3 out = switch (l.kind()) {
                case CONV -> {
                    Map3 y = conv(in, weights.get(l.name() + "_w"), l.batchNorm() ? null : weights.get(l.name() + "_b"),
                            l.outChannels(), l.kernel());
                    if (l.batchNorm()) y = batchNorm(y, weights, l.name());
                    yield l.activation() == UNetSpec.Activation.RELU ? relu(y) : y;
                }
                case MAX_POOL -> maxPool(in, l.kernel());
                case UP_CONV -> leaky(convTranspose(in, weights.get(l.name() + "_w"), weights.get(l.name() + "_b"),
                        l.outChannels()), spec.leakySlope());
                case CONCAT -> concat(t.get(l.inputs().get(0)), t.get(l.inputs().get(1)));
                case SOFTMAX -> softmax(in);
            };
            t.put(l.output(), out);
        }
        double[] p = t.get("probability").v();
        float[] f = new float[p.length];
        for (int i = 0; i < p.length; i++) f[i] = (float) p[i];
        return f;
    }

    static Map3 conv(Map3 in, float[] wt, float[] bias, int out, int k) {
        int pad = k / 2;
        double[] y = new double[out * in.h() * in.w()];
        for (int o = 0; o < out; o++) {
            for (int r = 0; r < in.h(); r++) {
                for (int c = 0; c < in.w(); c++) {
                    double s = bias == null ? 0 : bias[o];
                    for (int i = 0; i < in.c(); i++) {
                        for (int dy = 0; dy < k; dy++) {
                            int yy = r + dy - pad;
                            if (yy < 0 || yy >= in.h()) continue;
                            for (int dx = 0; dx < k; dx++) {
                                int xx = c + dx - pad;
                                if (xx < 0 || xx >= in.w()) continue;
                                s += in.get(i, yy, xx) * wt[((o * in.c() + i) * k + dy) * k + dx];
                            }
                        }
                    }
                    y[(o * in.h() + r) * in.w() + c] = s;
                }
            }
        }
        return new Map3(out, in.h(), in.w(), y);
    }

    static Map3 batchNorm(Map3 in, Map<String, float[]> weights, String name) {
        float[] g = weights.get(name + "_g"), b = weights.get(name + "_b");
        float[] rm = weights.get(name + "_rm"), rv = weights.get(name + "_rv");
        double[] y = in.v().clone();
        int plane = in.h() * in.w();
        for (int c = 0; c < in.c(); c++) {
            for (int i = 0; i < plane; i++) {
                y[c * plane + i] = (y[c * plane + i] - rm[c]) / Math.sqrt(rv[c] + 1e-5) * g[c] + b[c];
            }
        }
        return new Map3(in.c(), in.h(), in.w(), y);
    }

    static Map3 relu(Map3 in) {
        double[] y = in.v().clone();
        for (int i = 0; i < y.length; i++) y[i] = Math.max(0, y[i]);
        return new Map3(in.c(), in.h(), in.w(), y);
    }

    static Map3 leaky(Map3 in, double slope) {
        double[] y = in.v().clone();
        for (int i = 0; i < y.length; i++) if (y[i] < 0) y[i] *= slope;
        return new Map3(in.c(), in.h(), in.w(), y);
    }

    /** PyTorch max_pool2d(kernel k, stride 2, padding k/2), floor mode; padding never wins. */
    static Map3 maxPool(Map3 in, int k) {
        int pad = k / 2;
        int oh = (in.h() + 2 * pad - k) / 2 + 1, ow = (in.w() + 2 * pad - k) / 2 + 1;
        double[] y = new double[in.c() * oh * ow];
        for (int c = 0; c < in.c(); c++) {
            for (int r = 0; r < oh; r++) {
                for (int q = 0; q < ow; q++) {
                    double m = Double.NEGATIVE_INFINITY;
                    for (int dy = 0; dy < k; dy++) {
                        for (int dx = 0; dx < k; dx++) {
                            int yy = r * 2 + dy - pad, xx = q * 2 + dx - pad;
                            if (yy >= 0 && yy < in.h() && xx >= 0 && xx < in.w()) m = Math.max(m, in.get(c, yy, xx));
                        }
                    }
                    y[(c * oh + r) * ow + q] = m;
                }
            }
        }
        return new Map3(in.c(), oh, ow, y);
    }

    /** PyTorch conv_transpose2d(kernel 2, stride 2), weight [in, out, 2, 2]. */
    static Map3 convTranspose(Map3 in, float[] wt, float[] bias, int out) {
        int oh = in.h() * 2, ow = in.w() * 2;
        double[] y = new double[out * oh * ow];
        for (int o = 0; o < out; o++) {
            for (int r = 0; r < oh; r++) {
                for (int q = 0; q < ow; q++) {
                    int a = r % 2, b = q % 2;
                    double s = bias[o];
                    for (int c = 0; c < in.c(); c++) s += in.get(c, r / 2, q / 2) * wt[((c * out + o) * 2 + a) * 2 + b];
                    y[(o * oh + r) * ow + q] = s;
                }
            }
        }
        return new Map3(out, oh, ow, y);
    }

    static Map3 concat(Map3 a, Map3 b) {
        double[] y = new double[a.v().length + b.v().length];
        System.arraycopy(a.v(), 0, y, 0, a.v().length);
        System.arraycopy(b.v(), 0, y, a.v().length, b.v().length);
        return new Map3(a.c() + b.c(), a.h(), a.w(), y);
    }

    static Map3 softmax(Map3 in) {
        int plane = in.h() * in.w();
        double[] y = new double[in.v().length];
        for (int i = 0; i < plane; i++) {
            double m = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < in.c(); c++) m = Math.max(m, in.v()[c * plane + i]);
            double s = 0;
            for (int c = 0; c < in.c(); c++) s += Math.exp(in.v()[c * plane + i] - m);
            for (int c = 0; c < in.c(); c++) y[c * plane + i] = Math.exp(in.v()[c * plane + i] - m) / s;
        }
        return new Map3(in.c(), in.h(), in.w(), y);
    }
}
