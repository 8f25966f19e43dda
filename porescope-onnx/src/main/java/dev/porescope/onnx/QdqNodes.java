package dev.porescope.onnx;

import ai.onnx.proto.OnnxMl.TensorProto;

import java.util.List;

/**
 * The QuantizeLinear / DequantizeLinear nodes of an int8 QDQ graph and their initializers, from
 * {@link Quantization}'s arithmetic: an activation's quantize-dequantize pair (uint8, one scale
 * and zero point per calibrated range, shared by name), and a convolution's int8 weights and int32
 * bias, each dequantized per output channel ({@code axis = 0}). ONNX Runtime fuses the pattern
 * into QLinearConv and friends.
 */
final class QdqNodes {

    private final GraphBuilder g;

    QdqNodes(GraphBuilder g) { this.g = g; }

    /** {@code tensor} -> QuantizeLinear -> DequantizeLinear with the range {@code rangeName}; returns the float output. */
    String quantizeDequantize(String tensor, String rangeName, Quantization.Uint8 q) {
        String scale = rangeName + "_scale", zero = rangeName + "_zero";
        if (!g.hasInitializer(scale)) g.addFloat(scale, new long[0], new float[]{q.scale()});
        if (!g.hasInitializer(zero)) g.initializer(zero, TensorProto.DataType.UINT8, new long[0], new byte[]{(byte) q.zeroPoint()});
        String quant = g.node("QuantizeLinear", List.of(tensor, scale, zero), tensor + "_q");
        return g.node("DequantizeLinear", List.of(quant, scale, zero), tensor + "_dq");
    }

    /** int8 weights {@code prefix_weight_q} of {@code shape} dequantized per output channel; returns {@code prefix_weight}. */
    String weight(String prefix, long[] shape, Quantization.PerChannelInt8 w) {
        int n = w.scales().length;
        String q = g.initializer(prefix + "_weight_q", TensorProto.DataType.INT8, shape, w.values());
        String s = g.addFloat(prefix + "_weight_scale", new long[]{n}, w.scales());
        String z = g.initializer(prefix + "_weight_zero", TensorProto.DataType.INT8, new long[]{n}, new byte[n]);
        return g.node("DequantizeLinear", List.of(q, s, z), prefix + "_weight", GraphBuilder.integer("axis", 0));
    }

    /** int32 bias at input scale x weight scales, dequantized per output channel; returns {@code prefix_bias}. */
    String bias(String prefix, float[] bias, float inputScale, float[] weightScales) {
        float[] scales = Quantization.biasScales(inputScale, weightScales);
        int n = scales.length;
        String q = g.addInt32(prefix + "_bias_q", new long[]{n}, Quantization.int32Bias(bias, scales));
        String s = g.addFloat(prefix + "_bias_scale", new long[]{n}, scales);
        String z = g.addInt32(prefix + "_bias_zero", new long[]{n}, new int[n]);
        return g.node("DequantizeLinear", List.of(q, s, z), prefix + "_bias", GraphBuilder.integer("axis", 0));
    }
}
