package dev.porescope.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import dev.porescope.core.json.Json;
import dev.porescope.core.model.ModelCard;
import dev.porescope.core.unet.UNetSpec;
import dev.porescope.core.unet.UNetSpec.Activation;
import dev.porescope.core.unet.UNetSpec.Layer;

import java.util.ArrayList;
import java.util.HashMap;
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
 * a Cast before the softmax, so the interface stays float32); int8 QDQ (the arithmetic in
 * {@link Quantization}, the nodes from {@link QdqNodes}, activation ranges from
 * {@link Calibration}; the head convolution's output and the softmax stay float, which keeps
 * probabilities near the threshold as precise as fp32 logits allow). Which convolutions stay
 * float in an int8 model is {@link KeepFloat}'s policy; this class only walks the topology.
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

    public ModelProto fp32() { return build(Precision.FP32, Map.of(), Map.of(), Set.of(), List.of()); }

    public ModelProto fp16() { return build(Precision.FP16, Map.of(), Map.of(), Set.of(), List.of()); }

    /** int8 QDQ with every convolution in int8; see {@link #int8(Map, Set)}. */
    public ModelProto int8(Map<String, Calibration.Range> ranges) { return int8(ranges, Set.of()); }

    /**
     * int8 QDQ with activation ranges by tensor name, one for each of {@link #calibratedTensors()}.
     * The convolution layers named in {@code keepFloat} stay float ({@link KeepFloat}).
     */
    public ModelProto int8(Map<String, Calibration.Range> ranges, Set<String> keepFloat) {
        return int8(ranges, Map.of(), keepFloat);
    }

    /**
     * As {@link #int8(Map, Set)}, with the biases of the int8 convolutions corrected for the mean
     * shift of their int8 weights ({@link Quantization#correctedBias}) where {@code inputMeans}
     * has the channel means of their input (by tensor name, {@link #convInputs()}).
     */
    public ModelProto int8(Map<String, Calibration.Range> ranges, Map<String, double[]> inputMeans, Set<String> keepFloat) {
        for (String t : calibratedTensors()) {
            if (!ranges.containsKey(t)) throw new IllegalArgumentException("no calibrated range for tensor " + t);
        }
        KeepFloat.check(net.spec(), keepFloat);
        return build(Precision.INT8, ranges, inputMeans, keepFloat, List.of());
    }

    /** int8 from what calibration measured: its ranges, and its input means for bias correction. */
    public ModelProto int8(Calibration.Statistics calibration, Set<String> keepFloat) {
        return int8(calibration.ranges(), calibration.inputMeans(), keepFloat);
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

    /**
     * The fp32 model with every tensor in {@link #calibratedTensors()} and {@link #convInputs()}
     * (but the input {@code x}) as an extra float output.
     */
    public ModelProto calibrationModel() {
        Set<String> exposed = new java.util.LinkedHashSet<>(calibratedTensors());
        exposed.addAll(convInputs());
        exposed.remove(INPUT);
        return build(Precision.FP32, Map.of(), Map.of(), Set.of(), List.copyOf(exposed));
    }

    /** Tensors some convolution reads (their channel means correct int8 biases), in topology order. */
    public List<String> convInputs() {
        Set<String> out = new java.util.LinkedHashSet<>();
        for (Layer l : net.spec().layers()) {
            if (l.kind() == UNetSpec.Kind.CONV || l.kind() == UNetSpec.Kind.UP_CONV) out.add(l.input());
        }
        return List.copyOf(out);
    }

    /**
     * Activation tensors that get their own quantization range in the int8 model (besides the
     * input {@code x}). Max-pool and DepthToSpace outputs reuse their input's range.
     */
    public List<String> calibratedTensors() {
        List<String> out = new ArrayList<>();
        for (Layer l : net.spec().layers()) {
            switch (l.kind()) {
                case CONV -> { if (!KeepFloat.isHead(l)) out.add(l.output()); }
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

    private ModelProto build(Precision precision, Map<String, Calibration.Range> ranges, Map<String, double[]> inputMeans,
                             Set<String> keepFloat, List<String> exposed) {
        Emitter e = new Emitter(precision, ranges, inputMeans);
        UNetSpec spec = net.spec();
        GraphProto.Builder g = e.graph;
        g.setName("porescope_" + spec.name());
        g.addInput(valueInfo(INPUT, TensorProto.DataType.FLOAT, spec.inChannels()));
        g.addOutput(valueInfo(OUTPUT, TensorProto.DataType.FLOAT, spec.classes()));

        Set<String> quantizedReads = precision == Precision.INT8 ? KeepFloat.quantizedReads(spec, keepFloat) : Set.of();
        Set<String> int8Outputs = precision == Precision.INT8 ? KeepFloat.int8Outputs(spec, keepFloat) : Set.of();
        e.define(INPUT, e.input(), INPUT);
        for (Layer l : spec.layers()) {
            switch (l.kind()) {
                case CONV -> {
                    boolean keep = keepFloat.contains(l.name());
                    String in = keep && !int8Outputs.contains(l.input()) ? e.raw(l.input()) : e.read(l.input());
                    String y = e.conv(in, keep ? null : e.rangeName(l.input()), l.input(), net.conv(l.name()),
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
                    String in = keep && !int8Outputs.contains(l.input()) ? e.raw(l.input()) : e.read(l.input());
                    String c = e.conv(in, keep ? null : e.rangeName(l.input()), l.input(), net.conv(l.name()), l.output() + "_conv");
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

    /** Emits nodes and initializers for one precision; the int8 ones through {@link QdqNodes}. */
    private static final class Emitter {
        final GraphBuilder g = new GraphBuilder();
        final GraphProto.Builder graph = g.graph;
        final QdqNodes qdq = new QdqNodes(g);
        final Precision precision;
        final Map<String, Calibration.Range> ranges;
        /** spec tensor -> mean of each of its channels (int8 bias correction; empty: none). */
        final Map<String, double[]> inputMeans;
        /** spec tensor -> float graph tensor holding it (before any QuantizeLinear). */
        final Map<String, String> raw = new HashMap<>();
        /** spec tensor -> name of its quantization range (int8). */
        final Map<String, String> rangeName = new HashMap<>();
        /** spec tensor -> its DequantizeLinear output, made on first quantized read. */
        final Map<String, String> dequantized = new HashMap<>();

        Emitter(Precision precision, Map<String, Calibration.Range> ranges, Map<String, double[]> inputMeans) {
            this.precision = precision;
            this.ranges = ranges;
            this.inputMeans = inputMeans;
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
            return g.node(op, inputs, output, attributes);
        }

        String cast(String input, String output, TensorProto.DataType to) {
            return node("Cast", List.of(input), output, GraphBuilder.integer("to", to.getNumber()));
        }

        /** uint8 parameters of the range named {@code rangeName}. */
        Quantization.Uint8 uint8(String rangeName) {
            Calibration.Range r = ranges.get(rangeName);
            if (r == null) throw new IllegalStateException("no calibrated range " + rangeName);
            return Quantization.Uint8.covering(r.min(), r.max());
        }

        /** int8: QuantizeLinear + DequantizeLinear with the range named {@code rangeName}; else unchanged. */
        String quantized(String tensor, String rangeName) {
            if (precision != Precision.INT8) return tensor;
            return qdq.quantizeDequantize(tensor, rangeName, uint8(rangeName));
        }

        /**
         * A convolution (same padding, stride 1) reading {@code input}; returns the output name. In
         * int8, {@code inputRange} names the input's quantization range, or is null for a layer
         * kept in float (float32 weights and bias); {@code specInput} names the input's channel
         * means for bias correction.
         */
        String conv(String input, String inputRange, String specInput, FoldedUNet.Conv c, String output) {
            String prefix = output;
            List<String> inputs = new ArrayList<>();
            inputs.add(input);
            long[] wShape = {c.outChannels(), c.inChannels(), c.kernel(), c.kernel()};
            long[] bShape = {c.outChannels()};
            if (precision == Precision.FP16) {
                inputs.add(g.addFloat16(prefix + "_weight", wShape, c.weight()));
                inputs.add(g.addFloat16(prefix + "_bias", bShape, c.bias()));
            } else if (precision == Precision.INT8 && inputRange != null) {
                Quantization.PerChannelInt8 w = Quantization.PerChannelInt8.of(c.weight(), c.outChannels());
                inputs.add(qdq.weight(prefix, wShape, w));
                double[] means = inputMeans.get(specInput);
                float[] bias = means == null ? c.bias() : Quantization.correctedBias(c.bias(), c.weight(), w, means);
                inputs.add(qdq.bias(prefix, bias, uint8(inputRange).scale(), w.scales()));
            } else {   // fp32, or a layer an int8 model keeps in float
                inputs.add(g.addFloat(prefix + "_weight", wShape, c.weight()));
                inputs.add(g.addFloat(prefix + "_bias", bShape, c.bias()));
            }
            int p = c.kernel() / 2;
            return node("Conv", inputs, output, ints("kernel_shape", c.kernel(), c.kernel()),
                    ints("strides", 1, 1), ints("pads", p, p, p, p));
        }
    }

    private static AttributeProto ints(String name, long... values) { return GraphBuilder.ints(name, values); }

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
