package dev.porescope.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnxruntime.platform.Fp16Conversions;
import com.google.protobuf.ByteString;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** An ONNX graph being written: nodes named after their output, and initializers (little-endian raw data). */
final class GraphBuilder {

    final GraphProto.Builder graph = GraphProto.newBuilder();
    private final Set<String> initializers = new HashSet<>();

    /** Adds a node {@code op(inputs) -> output}, named {@code output_op}; returns {@code output}. */
    String node(String op, List<String> inputs, String output, AttributeProto... attributes) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(output + "_" + op)
                .addAllInput(inputs).addOutput(output);
        for (AttributeProto a : attributes) n.addAttribute(a);
        graph.addNode(n);
        return output;
    }

    boolean hasInitializer(String name) { return initializers.contains(name); }

    String initializer(String name, TensorProto.DataType type, long[] shape, byte[] raw) {
        graph.addInitializer(TensorProto.newBuilder().setName(name).setDataType(type.getNumber())
                .addAllDims(longs(shape)).setRawData(ByteString.copyFrom(raw)));
        initializers.add(name);
        return name;
    }

    String addFloat(String name, long[] shape, float[] values) {
        ByteBuffer buf = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) buf.putFloat(v);
        return initializer(name, TensorProto.DataType.FLOAT, shape, buf.array());
    }

    String addFloat16(String name, long[] shape, float[] values) {
        ByteBuffer buf = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) buf.putShort(Fp16Conversions.floatToFp16(v));
        return initializer(name, TensorProto.DataType.FLOAT16, shape, buf.array());
    }

    String addInt32(String name, long[] shape, int[] values) {
        ByteBuffer buf = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) buf.putInt(v);
        return initializer(name, TensorProto.DataType.INT32, shape, buf.array());
    }

    static List<Long> longs(long[] values) {
        List<Long> out = new ArrayList<>(values.length);
        for (long v : values) out.add(v);
        return out;
    }

    static AttributeProto ints(String name, long... values) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS)
                .addAllInts(longs(values)).build();
    }

    static AttributeProto integer(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }
}
