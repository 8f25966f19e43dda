package dev.porescope.onnx;

/**
 * The int8 arithmetic of a QDQ model, as ONNX's QuantizeLinear / DequantizeLinear define it
 * ({@code real = scale * (q - zeroPoint)}, rounding half to even, saturating): asymmetric uint8
 * activations, symmetric int8 weights with one scale per output channel (DequantizeLinear with
 * {@code axis = 0}), int32 biases at input scale x weight scale (zero point 0), as ONNX Runtime's
 * QLinearConv expects them. Pure arithmetic; {@link QdqNodes} writes the results as nodes.
 */
public final class Quantization {

    /** Largest int8 weight magnitude: symmetric [-127, 127], so -128 is never used. */
    public static final int INT8_MAX = 127;
    /** Scale of an all-zero channel (any positive value dequantizes 0 to 0). */
    static final float ZERO_CHANNEL_SCALE = 1e-8f;

    private Quantization() { }

    /** uint8 activation parameters: real = scale * (q - zeroPoint), q in 0..255. */
    public record Uint8(float scale, int zeroPoint) {

        /** Parameters covering [min(0, min), max(0, max)], so that 0 is exact (padding, ReLU). */
        public static Uint8 covering(float min, float max) {
            double lo = Math.min(0, min), hi = Math.max(0, max);
            double scale = hi > lo ? (hi - lo) / 255.0 : 1.0;
            int zero = (int) Math.max(0, Math.min(255, Math.round(-lo / scale)));
            return new Uint8((float) scale, zero);
        }

        /** QuantizeLinear: round(v / scale) + zeroPoint, half to even, saturated to 0..255. */
        public int quantize(float v) {
            return (int) Math.max(0, Math.min(255, Math.rint(v / scale) + zeroPoint));
        }

        /** DequantizeLinear. */
        public float dequantize(int q) { return scale * (q - zeroPoint); }
    }

    /**
     * Weights of one convolution, [out, ...] flattened, as int8 with one symmetric scale per output
     * channel: {@code weight[o, i] ~ scales[o] * values[o, i]}, {@code scales[o] = max_i |weight[o, i]| / 127}.
     */
    public record PerChannelInt8(byte[] values, float[] scales) {

        public static PerChannelInt8 of(float[] weight, int outChannels) {
            float[] scales = symmetricScales(weight, outChannels);
            int per = weight.length / outChannels;
            byte[] q = new byte[weight.length];
            for (int i = 0; i < q.length; i++) {
                q[i] = (byte) Math.max(-INT8_MAX, Math.min(INT8_MAX, Math.rint(weight[i] / scales[i / per])));
            }
            return new PerChannelInt8(q, scales);
        }

        /** The float weights the int8 model computes with. */
        public float[] dequantized() {
            int per = values.length / scales.length;
            float[] out = new float[values.length];
            for (int i = 0; i < out.length; i++) out[i] = scales[i / per] * values[i];
            return out;
        }
    }

    /** Symmetric per-output-channel scales of {@code weight} ([out, ...] flattened): max |w| / 127. */
    public static float[] symmetricScales(float[] weight, int outChannels) {
        if (outChannels <= 0 || weight.length % outChannels != 0) {
            throw new IllegalArgumentException(weight.length + " weights do not split into " + outChannels + " output channels");
        }
        int per = weight.length / outChannels;
        float[] s = new float[outChannels];
        for (int o = 0; o < outChannels; o++) {
            float m = 0;
            for (int i = 0; i < per; i++) m = Math.max(m, Math.abs(weight[o * per + i]));
            s[o] = m > 0 ? m / INT8_MAX : ZERO_CHANNEL_SCALE;
        }
        return s;
    }

    /**
     * Bias correction (Nagel et al. 2019, "Data-Free Quantization Through Weight Equalization and
     * Bias Correction", section 4.2, here with measured rather than modelled input means): int8
     * weights shift every output channel's mean by {@code sum_i (Wq[o, i] - W[o, i]) * E[x_i]};
     * the bias takes that shift back, so rounding errors that do not cancel over a channel's many
     * inputs no longer move its mean, only its spread.
     *
     * @param weight      float weights [out, in, taps] flattened
     * @param quantized   their int8 codes and scales
     * @param inputMeans  mean of each input channel over the calibration photos
     * @return the corrected bias, one value per output channel
     */
    public static float[] correctedBias(float[] bias, float[] weight, PerChannelInt8 quantized, double[] inputMeans) {
        int out = bias.length, per = weight.length / out, in = inputMeans.length;
        if (per * out != weight.length || per % in != 0) {
            throw new IllegalArgumentException(weight.length + " weights do not split into " + out + " outputs x " + in + " inputs");
        }
        int taps = per / in;
        float[] dequantized = quantized.dequantized();
        float[] corrected = new float[out];
        for (int o = 0; o < out; o++) {
            double shift = 0;
            for (int c = 0; c < in; c++) {
                double error = 0;
                for (int t = 0; t < taps; t++) {
                    int i = o * per + c * taps + t;
                    error += dequantized[i] - weight[i];
                }
                shift += error * inputMeans[c];
            }
            corrected[o] = (float) (bias[o] - shift);
        }
        return corrected;
    }

    /** Scales of an int32 bias: input scale x each channel's weight scale (QLinearConv's accumulator scale). */
    public static float[] biasScales(float inputScale, float[] weightScales) {
        float[] s = new float[weightScales.length];
        for (int o = 0; o < s.length; o++) s[o] = inputScale * weightScales[o];
        return s;
    }

    /** The bias in int32 at {@code scales}: round(bias / scale), half to even, saturated. */
    public static int[] int32Bias(float[] bias, float[] scales) {
        int[] q = new int[bias.length];
        for (int o = 0; o < q.length; o++) {
            double v = Math.rint(bias[o] / (double) scales[o]);
            q[o] = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
        }
        return q;
    }
}
