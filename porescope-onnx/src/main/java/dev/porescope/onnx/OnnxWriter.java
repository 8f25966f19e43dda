package dev.porescope.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ai.onnxruntime.platform.Fp16Conversions;
import com.google.protobuf.ByteString;
import dev.porescope.core.json.Json;
import dev.porescope.core.model.ModelCard;
import dev.porescope.core.unet.UNetSpec;
import dev.porescope.core.unet.UNetSpec.Activation;
import dev.porescope.core.unet.UNetSpec.Kind;
import dev.porescope.core.unet.UNetSpec.Layer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a U-Net as an ONNX model from the spec's one topology walk ({@link UNetSpec#layers()}).
 * Input {@code x} [N, 1, H, W] float32 with dynamic N, H, W; output {@code probability}
 * [N, classes, H, W] float32, a softmax over the class axis. BatchNorm is folded into the
 * convolutions; each 2x2 transposed convolution is a 1x1 convolution + {@code DepthToSpace(2, DCR)},
 * exact in fp32 and quantizable by ONNX Runtime.
 *
 * <p>Precisions: fp32; fp16 (weights and activations float16 between a Cast after the input and
 * a Cast before the softmax, so the interface stays float32); int8 QDQ (per-channel symmetric
 * int8 weights, int32 biases at input scale x weight scale, uint8 activations whose ranges come
 * from {@link Calibration}; the head convolution's output and the softmax stay float, which keeps
 * probabilities near the threshold as precise as fp32 logits allow). Chosen convolutions can stay
 * float in an int8 model ({@link #int8(Map, Set)}).
 */
public final class OnnxWriter {

    public static final String INPUT = "x";
    public static final String OUTPUT = "probability";
    public static final long IR_VERSION = 8;
    public static final long OPSET = 17;

    private final FoldedUNet net;

    public OnnxWriter(UNetSpec spec, Map<String, float[]> weights) {
        this.net = new FoldedUNet(spec, weights);
    }

    public UNetSpec spec() { return net.spec(); }

    public ModelProto fp32() { return build(Precision.FP32, Map.of(), Set.of(), List.of()); }

    public ModelProto fp16() { return build(Precision.FP16, Map.of(), Set.of(), List.of()); }

    /** int8 QDQ with every convolution in int8; see {@link #int8(Map, Set)}. */
    public ModelProto int8(Map<String, Calibration.Range> ranges) { return int8(ranges, Set.of()); }

    /**
     * int8 QDQ with activation ranges by tensor name, one for each of {@link #calibratedTensors()}.
     * The convolution layers named in {@code keepFloat} (see {@link #keepFloatLayers}) keep float32
     * weights and read their input unquantized; a tensor that only float layers read is never
     * quantized, so a float first layer reads the photo as is and a float last decoder layer +
     * head compute the logits from unrounded features.
     */
    public ModelProto int8(Map<String, Calibration.Range> ranges, Set<String> keepFloat) {
        for (String t : calibratedTensors()) {
            if (!ranges.containsKey(t)) throw new IllegalArgumentException("no calibrated range for tensor " + t);
        }
        Set<String> convs = convLayers(net.spec());
        for (String name : keepFloat) {
            if (!convs.contains(name)) {
                throw new IllegalArgumentException("cannot keep layer '" + name + "' in float: spec '" + net.spec().name()
                        + "' has no convolution of that name; use first, last or one of " + String.join(", ", convs));
            }
        }
        return build(Precision.INT8, ranges, keepFloat, List.of());
    }

    public ModelProto model(Precision precision, Map<String, Calibration.Range> ranges) {
        return model(precision, ranges, Set.of());
    }

    public ModelProto model(Precision precision, Map<String, Calibration.Range> ranges, Set<String> keepFloat) {
        return switch (precision) {
            case FP32 -> fp32();
            case FP16 -> fp16();
            case INT8 -> int8(ranges, keepFloat);
        };
    }

    /** The fp32 model with every tensor in {@link #calibratedTensors()} as an extra float output. */
    public ModelProto calibrationModel() { return build(Precision.FP32, Map.of(), Set.of(), calibratedTensors()); }

    /** Names of the CONV and UP_CONV layers of {@code spec}, in topology order. */
    public static Set<String> convLayers(UNetSpec spec) {
        Set<String> out = new LinkedHashSet<>();
        for (Layer l : spec.layers()) {
            if (l.kind() == Kind.CONV || l.kind() == Kind.UP_CONV) out.add(l.name());
        }
        return out;
    }

    /**
     * Resolves a keep-float list: {@code first} = the first convolution (it reads the photo at full
     * resolution with one input channel, so float costs little), {@code last} = the last decoder
     * convolution and the head (the layers right before the threshold), {@code none}, or layer
     * names; comma-separated, any mix. Returned in topology order.
     */
    public static Set<String> keepFloatLayers(UNetSpec spec, String list) {
        List<String> convs = new ArrayList<>(convLayers(spec));
        Set<String> out = new LinkedHashSet<>();
        for (String item : (list == null ? "" : list).split(",")) {
            String name = item.trim();
            if (name.isEmpty() || name.equalsIgnoreCase("none")) continue;
            if (name.equalsIgnoreCase("first")) {
                out.add(convs.get(0));
            } else if (name.equalsIgnoreCase("last")) {
                out.addAll(convs.subList(Math.max(0, convs.size() - 2), convs.size()));
            } else if (convs.contains(name)) {
                out.add(name);
            } else {
                throw new IllegalArgumentException("unknown layer '" + name + "' to keep in float; use first, last, none or"
                        + " layer names of spec '" + spec.name() + "': " + String.join(", ", convs));
            }
        }
        Set<String> ordered = new LinkedHashSet<>();   // topology order, whatever order they were named in
        for (String c : convs) if (out.contains(c)) ordered.add(c);
        return ordered;
    }

    /**
     * Tensors that some int8 layer reads quantized: inputs of int8 convolutions, and inputs of
     * max-pool / concat layers whose output is read quantized (they run in uint8 then).
     */
    private static Set<String> quantizedReads(UNetSpec spec, Set<String> keepFloat) {
        List<Layer> layers = new ArrayList<>(spec.layers());
        java.util.Collections.reverse(layers);
        Set<String> out = new HashSet<>();
        for (Layer l : layers) {
            switch (l.kind()) {
                case CONV, UP_CONV -> { if (!keepFloat.contains(l.name())) out.add(l.input()); }
                case MAX_POOL, CONCAT -> { if (out.contains(l.output())) { out.add(l.output()); out.addAll(l.inputs()); } }
                default -> { }
            }
        }
        return out;
    }

    /**
     * Activation tensors that get their own quantization range in the int8 model (besides the
     * input {@code x}). Max-pool and DepthToSpace outputs reuse their input's range.
     */
    public List<String> calibratedTensors() {
        List<String> out = new ArrayList<>();
        for (Layer l : net.spec().layers()) {
            switch (l.kind()) {
                case CONV -> { if (!l.name().equals("head")) out.add(l.output()); }
                case UP_CONV -> { out.add(l.output() + "_conv"); out.add(l.output() + "_act"); }
                case CONCAT -> out.add(l.output());
                default -> { }
            }
        }
        return out;
    }

    /** A copy of {@code model} with the card as JSON in metadata_props under {@link ModelCard#FILE_NAME}. */
    public static ModelProto withCard(ModelProto model, ModelCard card) {
        ModelProto.Builder b = model.toBuilder();
        for (int i = b.getMetadataPropsCount() - 1; i >= 0; i--) {
            if (b.getMetadataProps(i).getKey().equals(ModelCard.FILE_NAME)) b.removeMetadataProps(i);
        }
        b.addMetadataProps(StringStringEntryProto.newBuilder().setKey(ModelCard.FILE_NAME).setValue(Json.writeCard(card)));
        return b.build();
    }

    // ---- graph building ------------------------------------------------------------------------

    private ModelProto build(Precision precision, Map<String, Calibration.Range> ranges, Set<String> keepFloat,
                             List<String> exposed) {
        Emitter e = new Emitter(precision, ranges);
        UNetSpec spec = net.spec();
        GraphProto.Builder g = e.graph;
        g.setName("porescope_" + spec.name());
        g.addInput(valueInfo(INPUT, TensorProto.DataType.FLOAT, spec.inChannels()));
        g.addOutput(valueInfo(OUTPUT, TensorProto.DataType.FLOAT, spec.classes()));

        Set<String> quantizedReads = precision == Precision.INT8 ? quantizedReads(spec, keepFloat) : Set.of();
        e.define(INPUT, e.input(), INPUT);
        for (Layer l : spec.layers()) {
            switch (l.kind()) {
                case CONV -> {
                    boolean keep = keepFloat.contains(l.name());
                    String in = keep ? e.raw(l.input()) : e.read(l.input());
                    String y = e.conv(in, keep ? null : e.rangeName(l.input()), net.conv(l.name()),
                            l.output() + (l.activation() == Activation.NONE ? "" : "_pre"));
                    if (l.activation() == Activation.RELU) y = e.node("Relu", List.of(y), l.output());
                    e.define(l.output(), y, l.output());
                }
                case MAX_POOL -> {
                    int k = l.kernel();
                    boolean quantized = quantizedReads.contains(l.output());
                    String y = e.node("MaxPool", List.of(quantized ? e.read(l.input()) : e.raw(l.input())), l.output(),
                            ints("kernel_shape", k, k), ints("strides", 2, 2), ints("pads", k / 2, k / 2, k / 2, k / 2));
                    e.define(l.output(), y, e.rangeName(l.input()));   // max-pool keeps its input's range
                }
                case UP_CONV -> {
                    boolean keep = keepFloat.contains(l.name());
                    String in = keep ? e.raw(l.input()) : e.read(l.input());
                    String c = e.conv(in, keep ? null : e.rangeName(l.input()), net.conv(l.name()), l.output() + "_conv");
                    if (!keep) c = e.quantized(c, l.output() + "_conv");
                    AttributeProto alpha = AttributeProto.newBuilder().setName("alpha")
                            .setType(AttributeProto.AttributeType.FLOAT).setF((float) spec.leakySlope()).build();
                    String a = e.node("LeakyRelu", List.of(c), l.output() + "_act", alpha);
                    if (!keep) a = e.quantized(a, l.output() + "_act");
                    AttributeProto block = AttributeProto.newBuilder().setName("blocksize")
                            .setType(AttributeProto.AttributeType.INT).setI(2).build();
                    AttributeProto mode = AttributeProto.newBuilder().setName("mode")
                            .setType(AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8("DCR")).build();
                    String y = e.node("DepthToSpace", List.of(a), l.output(), block, mode);
                    e.define(l.output(), y, l.output() + "_act");   // DepthToSpace only moves values
                }
                case CONCAT -> {
                    boolean quantized = quantizedReads.contains(l.output());
                    List<String> in = l.inputs().stream().map(t -> quantized ? e.read(t) : e.raw(t)).toList();
                    AttributeProto axis = AttributeProto.newBuilder().setName("axis")
                            .setType(AttributeProto.AttributeType.INT).setI(1).build();
                    e.define(l.output(), e.node("Concat", in, l.output(), axis), l.output());
                }
                case SOFTMAX -> {
                    String logits = e.raw(l.input());
                    if (precision == Precision.FP16) logits = e.cast(logits, l.input() + "_f32", TensorProto.DataType.FLOAT);
                    AttributeProto axis = AttributeProto.newBuilder().setName("axis")
                            .setType(AttributeProto.AttributeType.INT).setI(1).build();
                    e.node("Softmax", List.of(logits), OUTPUT, axis);
                }
            }
        }
        // outputs without a shape: ORT reports whatever the tensor's shape is
        for (String t : exposed) {
            g.addOutput(ValueInfoProto.newBuilder().setName(t).setType(TypeProto.newBuilder()
                    .setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE))));
        }
        return ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("porescope")
                .setProducerVersion(OnnxWriter.class.getPackage().getImplementationVersion() == null
                        ? "dev" : OnnxWriter.class.getPackage().getImplementationVersion())
                .setDocString("PoreScope U-Net '" + spec.name() + "', " + precision.label())
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(g)
                .build();
    }

    /** Emits nodes and initializers for one precision. */
    private static final class Emitter {
        final GraphProto.Builder graph = GraphProto.newBuilder();
        final Precision precision;
        final Map<String, Calibration.Range> ranges;
        /** spec tensor -> float graph tensor holding it (before any QuantizeLinear). */
        final Map<String, String> raw = new HashMap<>();
        /** spec tensor -> name of its quantization range (int8). */
        final Map<String, String> rangeName = new HashMap<>();
        /** spec tensor -> its DequantizeLinear output, made on first quantized read. */
        final Map<String, String> dequantized = new HashMap<>();

        Emitter(Precision precision, Map<String, Calibration.Range> ranges) {
            this.precision = precision;
            this.ranges = ranges;
        }

        String input() {
            return switch (precision) {
                case FP32 -> INPUT;
                case FP16 -> cast(INPUT, INPUT + "_f16", TensorProto.DataType.FLOAT16);
                case INT8 -> INPUT;
            };
        }

        void define(String specTensor, String graphTensor, String range) {
            raw.put(specTensor, graphTensor);
            rangeName.put(specTensor, range);
        }

        String raw(String specTensor) { return raw.get(specTensor); }

        String rangeName(String specTensor) { return rangeName.get(specTensor); }

        /** The tensor as an int8 layer reads it: through QuantizeLinear + DequantizeLinear (int8 only). */
        String read(String specTensor) {
            if (precision != Precision.INT8) return raw(specTensor);
            return dequantized.computeIfAbsent(specTensor, t -> quantized(raw(t), rangeName(t)));
        }

        String node(String op, List<String> inputs, String output, AttributeProto... attributes) {
            NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(output + "_" + op)
                    .addAllInput(inputs).addOutput(output);
            for (AttributeProto a : attributes) n.addAttribute(a);
            graph.addNode(n);
            return output;
        }

        String cast(String input, String output, TensorProto.DataType to) {
            return node("Cast", List.of(input), output, AttributeProto.newBuilder().setName("to")
                    .setType(AttributeProto.AttributeType.INT).setI(to.getNumber()).build());
        }

        /** int8: QuantizeLinear + DequantizeLinear with the range named {@code rangeName}; else unchanged. */
        String quantized(String tensor, String rangeName) {
            if (precision != Precision.INT8) return tensor;
            Calibration.Range r = ranges.get(rangeName);
            if (r == null) throw new IllegalStateException("no range " + rangeName + " for " + tensor);
            Calibration.QuantParams q = r.uint8();
            String scale = floatScalar(rangeName + "_scale", q.scale());
            String zero = uint8Scalar(rangeName + "_zero", q.zeroPoint());
            String quant = node("QuantizeLinear", List.of(tensor, scale, zero), tensor + "_q");
            return node("DequantizeLinear", List.of(quant, scale, zero), tensor + "_dq");
        }

        private boolean graphHasInitializer(String name) {
            return graph.getInitializerList().stream().anyMatch(t -> t.getName().equals(name));
        }

        /**
         * A convolution (same padding, stride 1) reading {@code input}; returns the output name. In
         * int8, {@code inputRange} names the input's quantization range, or is null for a layer
         * kept in float (float32 weights and bias).
         */
        String conv(String input, String inputRange, FoldedUNet.Conv c, String output) {
            String prefix = output;
            List<String> inputs = new ArrayList<>();
            inputs.add(input);
            long[] wShape = {c.outChannels(), c.inChannels(), c.kernel(), c.kernel()};
            switch (precision) {
                case FP32 -> {
                    inputs.add(addFloat(prefix + "_weight", wShape, c.weight()));
                    inputs.add(addFloat(prefix + "_bias", new long[]{c.outChannels()}, c.bias()));
                }
                case INT8 -> {
                    if (inputRange == null) {
                        inputs.add(addFloat(prefix + "_weight", wShape, c.weight()));
                        inputs.add(addFloat(prefix + "_bias", new long[]{c.outChannels()}, c.bias()));
                    } else {
                        float inScale = ranges.get(inputRange).uint8().scale();
                        inputs.add(int8Weight(prefix, wShape, c));
                        inputs.add(int32Bias(prefix, c, inScale, weightScales(c)));
                    }
                }
                case FP16 -> {
                    inputs.add(addFloat16(prefix + "_weight", wShape, c.weight()));
                    inputs.add(addFloat16(prefix + "_bias", new long[]{c.outChannels()}, c.bias()));
                }
            }
            int p = c.kernel() / 2;
            return node("Conv", inputs, output, ints("kernel_shape", c.kernel(), c.kernel()),
                    ints("strides", 1, 1), ints("pads", p, p, p, p));
        }

        /** Symmetric per-output-channel scales: max |w| / 127. */
        static float[] weightScales(FoldedUNet.Conv c) {
            int per = c.weight().length / c.outChannels();
            float[] s = new float[c.outChannels()];
            for (int o = 0; o < s.length; o++) {
                float m = 0;
                for (int i = 0; i < per; i++) m = Math.max(m, Math.abs(c.weight()[o * per + i]));
                s[o] = m > 0 ? m / 127f : 1e-8f;
            }
            return s;
        }

        private String int8Weight(String prefix, long[] shape, FoldedUNet.Conv c) {
            float[] scales = weightScales(c);
            int per = c.weight().length / c.outChannels();
            byte[] q = new byte[c.weight().length];
            for (int i = 0; i < q.length; i++) {
                q[i] = (byte) Math.max(-127, Math.min(127, Math.round(c.weight()[i] / scales[i / per])));
            }
            String w = prefix + "_weight_q";
            graph.addInitializer(TensorProto.newBuilder().setName(w).setDataType(TensorProto.DataType.INT8_VALUE)
                    .addAllDims(longs(shape)).setRawData(ByteString.copyFrom(q)));
            String s = addFloat(prefix + "_weight_scale", new long[]{scales.length}, scales);
            String z = prefix + "_weight_zero";
            graph.addInitializer(TensorProto.newBuilder().setName(z).setDataType(TensorProto.DataType.INT8_VALUE)
                    .addDims(scales.length).setRawData(ByteString.copyFrom(new byte[scales.length])));
            return node("DequantizeLinear", List.of(w, s, z), prefix + "_weight", axis0());
        }

        private String int32Bias(String prefix, FoldedUNet.Conv c, float inScale, float[] wScales) {
            int n = c.outChannels();
            float[] scales = new float[n];
            ByteBuffer q = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
            for (int o = 0; o < n; o++) {
                scales[o] = inScale * wScales[o];
                double v = Math.rint(c.bias()[o] / (double) scales[o]);
                q.putInt((int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v)));
            }
            String b = prefix + "_bias_q";
            graph.addInitializer(TensorProto.newBuilder().setName(b).setDataType(TensorProto.DataType.INT32_VALUE)
                    .addDims(n).setRawData(ByteString.copyFrom(q.array())));
            String s = addFloat(prefix + "_bias_scale", new long[]{n}, scales);
            String z = prefix + "_bias_zero";
            graph.addInitializer(TensorProto.newBuilder().setName(z).setDataType(TensorProto.DataType.INT32_VALUE)
                    .addDims(n).setRawData(ByteString.copyFrom(new byte[4 * n])));
            return node("DequantizeLinear", List.of(b, s, z), prefix + "_bias", axis0());
        }

        private static AttributeProto axis0() {
            return AttributeProto.newBuilder().setName("axis").setType(AttributeProto.AttributeType.INT).setI(0).build();
        }

        String floatScalar(String name, float v) {
            if (!graphHasInitializer(name)) addFloat(name, new long[0], new float[]{v});
            return name;
        }

        String uint8Scalar(String name, int v) {
            if (!graphHasInitializer(name)) {
                graph.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.UINT8_VALUE)
                        .setRawData(ByteString.copyFrom(new byte[]{(byte) v})));
            }
            return name;
        }

        String addFloat(String name, long[] shape, float[] values) {
            ByteBuffer buf = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : values) buf.putFloat(v);
            graph.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
                    .addAllDims(longs(shape)).setRawData(ByteString.copyFrom(buf.array())));
            return name;
        }

        String addFloat16(String name, long[] shape, float[] values) {
            ByteBuffer buf = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : values) buf.putShort(Fp16Conversions.floatToFp16(v));
            graph.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT16_VALUE)
                    .addAllDims(longs(shape)).setRawData(ByteString.copyFrom(buf.array())));
            return name;
        }
    }

    private static List<Long> longs(long[] values) {
        List<Long> out = new ArrayList<>(values.length);
        for (long v : values) out.add(v);
        return out;
    }

    private static AttributeProto ints(String name, long... values) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS)
                .addAllInts(longs(values)).build();
    }

    /** [N, channels, H, W] with N, H, W symbolic. */
    private static ValueInfoProto valueInfo(String name, TensorProto.DataType type, int channels) {
        TensorShapeProto shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(channels))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("H"))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("W"))
                .build();
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape))).build();
    }
}
