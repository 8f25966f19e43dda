package dev.porescope.onnx.tflite;

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
import dev.porescope.onnx.OnnxWriter;
import dev.porescope.onnx.tflite.TfliteModel.Operator;
import dev.porescope.onnx.tflite.TfliteModel.Table;
import dev.porescope.onnx.tflite.TfliteModel.Tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts a float TensorFlow Lite graph (MediaPipe's BlazeFace detector and face mesh) to ONNX.
 *
 * <p>Layout: TFLite images are NHWC, ONNX convolutions NCHW. The graph input and outputs keep their
 * TFLite shapes (NHWC); a Transpose after the input makes every 4-D activation NCHW inside the graph,
 * and 4-D tensors are transposed back only where their memory order matters (before a RESHAPE, at a
 * graph output). Convolution kernels [O, H, W, I] become [O, I, H, W]; depthwise kernels
 * [1, H, W, C*M] become [C*M, 1, H, W] with group C (TFLite and ONNX both order the outputs c*M + m).
 * SAME padding is written as explicit pads computed the way TFLite does (the odd pixel at the end).
 *
 * <p>fp16 weights (a TFLite DEQUANTIZE of a float16 buffer) stay float16 in the file, behind one ONNX
 * Cast each, so the file keeps the TFLite model's size and the arithmetic is the same fp32 as TFLite's
 * after dequantisation.
 *
 * <p>Operators: ADD, CONCATENATION, CONV_2D, DEPTHWISE_CONV_2D, DEQUANTIZE (of constants), MAX_POOL_2D,
 * AVERAGE_POOL_2D, PAD, PRELU, RELU, RELU6, LOGISTIC, RESHAPE; fused RELU/RELU6/RELU_N1_TO_1/TANH.
 * Anything else is refused with the operator's code.
 */
public final class TfliteToOnnx {

    static final int ADD = 0, AVERAGE_POOL_2D = 1, CONCATENATION = 2, CONV_2D = 3, DEPTHWISE_CONV_2D = 4,
            DEQUANTIZE = 6, LOGISTIC = 14, MAX_POOL_2D = 17, RELU = 19, RELU6 = 21, RESHAPE = 22, PAD = 34,
            PRELU = 54;

    /** A constant: float values in TFLite layout, and whether the file stored them as float16. */
    private record Const(float[] values, int[] shape, boolean half) { }

    private final TfliteModel tflite;
    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private final Map<Integer, Const> constants = new HashMap<>();
    /** TFLite tensor index -> ONNX tensor name (4-D activations in NCHW). */
    private final Map<Integer, String> names = new HashMap<>();
    private int counter;

    private TfliteToOnnx(TfliteModel tflite) {
        this.tflite = tflite;
    }

    /**
     * The ONNX model of a TFLite graph.
     *
     * @param metadata key/value pairs for the model's metadata_props (source, licence)
     * @throws IllegalArgumentException for an operator or tensor type not handled here
     */
    public static ModelProto convert(TfliteModel tflite, Map<String, String> metadata) {
        TfliteToOnnx c = new TfliteToOnnx(tflite);
        GraphProto g = c.build();
        ModelProto.Builder m = ModelProto.newBuilder().setIrVersion(OnnxWriter.IR_VERSION).setProducerName("porescope-tflite")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OnnxWriter.OPSET))
                .setGraph(g);
        metadata.forEach((k, v) -> m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return m.build();
    }

    private GraphProto build() {
        graph.setName("tflite");
        for (Tensor t : tflite.tensors()) {
            if (t.data() != null) constants.put(t.index(), decode(t));
        }
        for (int i : tflite.inputs()) {
            Tensor t = tflite.tensor(i);
            graph.addInput(valueInfo(t.name(), t.shape()));
            names.put(i, t.shape().length == 4 ? node("Transpose", List.of(t.name()), perm(0, 3, 1, 2)) : t.name());
        }
        for (Operator op : tflite.operators()) convert(op);
        for (int i : tflite.outputs()) {
            Tensor t = tflite.tensor(i);
            String inner = name(i);
            if (t.shape().length == 4) {
                node("Transpose", List.of(inner), t.name(), perm(0, 2, 3, 1));
            } else {
                node("Identity", List.of(inner), t.name());
            }
            graph.addOutput(valueInfo(t.name(), t.shape()));
        }
        return graph.build();
    }

    private String name(int tensor) {
        String n = names.get(tensor);
        if (n == null) {
            if (constants.containsKey(tensor)) {
                throw new IllegalArgumentException("constant tensor " + tflite.tensor(tensor) + " used as an activation");
            }
            throw new IllegalArgumentException("tensor " + tflite.tensor(tensor) + " read before it is written");
        }
        return n;
    }

    private Const constant(int tensor, String what) {
        Const c = constants.get(tensor);
        if (c == null) throw new IllegalArgumentException(what + " " + tflite.tensor(tensor) + " is not a constant");
        return c;
    }

    private void convert(Operator op) {
        int[] in = op.inputs();
        int out = op.outputs()[0];
        Table o = op.options();
        int rank = tflite.tensor(out).shape().length;
        String result = switch (op.builtin()) {
            case DEQUANTIZE -> {
                Const c = constant(in[0], "DEQUANTIZE input");
                constants.put(out, c);
                yield null;
            }
            case CONV_2D -> conv(op, false);
            case DEPTHWISE_CONV_2D -> conv(op, true);
            case ADD -> activation(node("Add", List.of(name(in[0]), name(in[1]))), o == null ? 0 : o.ubyte(0, 0));
            case RELU -> node("Relu", List.of(name(in[0])));
            case RELU6 -> activation(name(in[0]), 3);
            case LOGISTIC -> node("Sigmoid", List.of(name(in[0])));
            case PRELU -> prelu(in);
            case MAX_POOL_2D, AVERAGE_POOL_2D -> pool(op);
            case PAD -> pad(in);
            case RESHAPE -> reshape(in[0], out);
            case CONCATENATION -> concat(op, rank);
            default -> throw new IllegalArgumentException("TFLite operator " + (op.custom() != null ? op.custom()
                    : "code " + op.builtin()) + " is not supported by this converter");
        };
        if (result != null) names.put(out, result);
    }

    private String conv(Operator op, boolean depthwise) {
        Table o = op.options();
        int[] in = op.inputs();
        Tensor x = tflite.tensor(in[0]);
        Const w = constant(in[1], "kernel");
        int[] ws = w.shape();
        if (ws.length != 4 || x.shape().length != 4) throw new IllegalArgumentException("convolution with a non-4-D kernel or input");
        int kh = ws[1], kw = ws[2];
        int strideW = o.integer(1, 1), strideH = o.integer(2, 1);
        int dilW = o.integer(depthwise ? 5 : 4, 1), dilH = o.integer(depthwise ? 6 : 5, 1);
        int fused = o.ubyte(depthwise ? 4 : 3, 0);
        boolean same = o.ubyte(0, 0) == 0;
        int inC = x.shape()[3];
        float[] k;
        long[] kShape;
        if (depthwise) {
            int cm = ws[3];
            k = new float[cm * kh * kw];
            for (int y = 0; y < kh; y++) {
                for (int xx = 0; xx < kw; xx++) {
                    for (int c = 0; c < cm; c++) k[(c * kh + y) * kw + xx] = w.values()[(y * kw + xx) * cm + c];
                }
            }
            kShape = new long[]{cm, 1, kh, kw};
        } else {
            int oc = ws[0], ic = ws[3];
            k = new float[w.values().length];
            for (int oo = 0; oo < oc; oo++) {
                for (int y = 0; y < kh; y++) {
                    for (int xx = 0; xx < kw; xx++) {
                        for (int c = 0; c < ic; c++) {
                            k[((oo * ic + c) * kh + y) * kw + xx] = w.values()[((oo * kh + y) * kw + xx) * ic + c];
                        }
                    }
                }
            }
            kShape = new long[]{oc, ic, kh, kw};
        }
        List<String> inputs = new ArrayList<>(List.of(name(in[0]), initializer(k, kShape, w.half())));
        if (in.length > 2 && in[2] >= 0) {
            Const b = constant(in[2], "bias");
            inputs.add(initializer(b.values(), new long[]{b.values().length}, b.half()));
        }
        int[] ph = pads(x.shape()[1], kh, strideH, dilH, same);
        int[] pw = pads(x.shape()[2], kw, strideW, dilW, same);
        String y = node("Conv", inputs, ints("kernel_shape", kh, kw), ints("strides", strideH, strideW),
                ints("dilations", dilH, dilW), ints("pads", ph[0], pw[0], ph[1], pw[1]), integer("group", depthwise ? inC : 1));
        return activation(y, fused);
    }

    private String pool(Operator op) {
        Table o = op.options();
        Tensor x = tflite.tensor(op.inputs()[0]);
        boolean same = o.ubyte(0, 0) == 0;
        int strideW = o.integer(1, 1), strideH = o.integer(2, 1), fw = o.integer(3, 1), fh = o.integer(4, 1);
        int[] ph = pads(x.shape()[1], fh, strideH, 1, same);
        int[] pw = pads(x.shape()[2], fw, strideW, 1, same);
        List<AttributeProto> a = new ArrayList<>(List.of(ints("kernel_shape", fh, fw), ints("strides", strideH, strideW),
                ints("pads", ph[0], pw[0], ph[1], pw[1])));
        // TFLite averages over the pixels inside the image only
        if (op.builtin() == AVERAGE_POOL_2D) a.add(integer("count_include_pad", 0));
        String y = node(op.builtin() == MAX_POOL_2D ? "MaxPool" : "AveragePool", List.of(name(op.inputs()[0])),
                a.toArray(AttributeProto[]::new));
        return activation(y, o.ubyte(5, 0));
    }

    /** TFLite's padding (before, after) along one axis: SAME puts the odd pixel at the end; VALID none. */
    static int[] pads(int in, int kernel, int stride, int dilation, boolean same) {
        if (!same) return new int[]{0, 0};
        int out = (in + stride - 1) / stride;
        int total = Math.max(0, (out - 1) * stride + (kernel - 1) * dilation + 1 - in);
        return new int[]{total / 2, total - total / 2};
    }

    private String prelu(int[] in) {
        Const a = constant(in[1], "PRELU alpha");
        int c = tflite.tensor(in[0]).shape()[3];
        if (a.values().length != c && a.values().length != 1) {
            throw new IllegalArgumentException("PRELU alpha " + tflite.tensor(in[1]) + " is not per channel");
        }
        long[] shape = a.values().length == 1 ? new long[]{1} : new long[]{c, 1, 1};
        return node("PRelu", List.of(name(in[0]), initializer(a.values(), shape, a.half())));
    }

    private String pad(int[] in) {
        Const p = constant(in[1], "PAD paddings");
        int rank = tflite.tensor(in[0]).shape().length;
        float[] v = p.values();
        long[] pads = new long[2 * rank];
        int[] order = rank == 4 ? new int[]{0, 3, 1, 2} : identity(rank);
        for (int d = 0; d < rank; d++) {
            pads[d] = (long) v[2 * order[d]];
            pads[rank + d] = (long) v[2 * order[d] + 1];
        }
        String padsName = "pads_" + (counter++);
        graph.addInitializer(TensorProto.newBuilder().setName(padsName).setDataType(TensorProto.DataType.INT64_VALUE)
                .addDims(pads.length).setRawData(ByteString.copyFrom(int64(pads))));
        return node("Pad", List.of(name(in[0]), padsName));
    }

    private String reshape(int input, int output) {
        String x = name(input);
        if (tflite.tensor(input).shape().length == 4) x = node("Transpose", List.of(x), perm(0, 2, 3, 1));
        int[] shape = tflite.tensor(output).shape();
        long[] s = new long[shape.length];
        for (int i = 0; i < s.length; i++) s[i] = shape[i];
        String shapeName = "shape_" + (counter++);
        graph.addInitializer(TensorProto.newBuilder().setName(shapeName).setDataType(TensorProto.DataType.INT64_VALUE)
                .addDims(s.length).setRawData(ByteString.copyFrom(int64(s))));
        String y = node("Reshape", List.of(x, shapeName));
        return shape.length == 4 ? node("Transpose", List.of(y), perm(0, 3, 1, 2)) : y;
    }

    private String concat(Operator op, int rank) {
        int axis = op.options().integer(0, 0);
        if (axis < 0) axis += rank;
        if (rank == 4) axis = new int[]{0, 2, 3, 1}[axis];
        List<String> inputs = new ArrayList<>();
        for (int i : op.inputs()) inputs.add(name(i));
        return activation(node("Concat", inputs, integer("axis", axis)), op.options().ubyte(1, 0));
    }

    /** The fused activation (schema ActivationFunctionType) after {@code x}. */
    private String activation(String x, int fused) {
        return switch (fused) {
            case 0 -> x;
            case 1 -> node("Relu", List.of(x));
            case 2 -> clip(x, -1, 1);
            case 3 -> clip(x, 0, 6);
            case 4 -> node("Tanh", List.of(x));
            default -> throw new IllegalArgumentException("fused activation " + fused + " is not supported");
        };
    }

    private String clip(String x, float lo, float hi) {
        String min = initializer(new float[]{lo}, new long[0], false);
        String max = initializer(new float[]{hi}, new long[0], false);
        return node("Clip", List.of(x, min, max));
    }

    private static Const decode(Tensor t) {
        byte[] d = t.data();
        ByteBuffer b = ByteBuffer.wrap(d).order(ByteOrder.LITTLE_ENDIAN);
        int n = t.elements();
        float[] v = new float[n];
        int need = switch (t.type()) {
            case TfliteModel.FLOAT32, TfliteModel.INT32 -> 4 * n;
            case TfliteModel.FLOAT16 -> 2 * n;
            case TfliteModel.INT64 -> 8 * n;
            default -> throw new IllegalArgumentException("constant " + t + " has TFLite type " + t.type()
                    + " (quantized integer models are not supported)");
        };
        if (d.length != need) throw new IllegalArgumentException("constant " + t + " holds " + d.length + " bytes, expected " + need);
        for (int i = 0; i < n; i++) {
            v[i] = switch (t.type()) {
                case TfliteModel.FLOAT32 -> b.getFloat(4 * i);
                case TfliteModel.INT32 -> b.getInt(4 * i);
                case TfliteModel.INT64 -> b.getLong(8 * i);
                default -> Fp16Conversions.fp16ToFloat(b.getShort(2 * i));
            };
        }
        return new Const(v, t.shape(), t.type() == TfliteModel.FLOAT16);
    }

    /** A constant initializer: float16 + Cast when the TFLite file stored it as float16, else float32. */
    private String initializer(float[] values, long[] shape, boolean half) {
        String name = "const_" + (counter++);
        TensorProto.Builder t = TensorProto.newBuilder().setName(half ? name + "_f16" : name).addAllDims(longs(shape));
        if (half) {
            ByteBuffer b = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : values) b.putShort(Fp16Conversions.floatToFp16(v)); // exact: v came from a half
            graph.addInitializer(t.setDataType(TensorProto.DataType.FLOAT16_VALUE).setRawData(ByteString.copyFrom(b.array())));
            return node("Cast", List.of(name + "_f16"), name, integer("to", TensorProto.DataType.FLOAT_VALUE));
        }
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putFloat(v);
        graph.addInitializer(t.setDataType(TensorProto.DataType.FLOAT_VALUE).setRawData(ByteString.copyFrom(b.array())));
        return name;
    }

    private String node(String op, List<String> inputs, AttributeProto... attributes) {
        return node(op, inputs, op.toLowerCase(java.util.Locale.ROOT) + "_" + (counter++), attributes);
    }

    private String node(String op, List<String> inputs, String output, AttributeProto... attributes) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(output).addAllInput(inputs).addOutput(output);
        for (AttributeProto a : attributes) n.addAttribute(a);
        graph.addNode(n);
        return output;
    }

    private static int[] identity(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) r[i] = i;
        return r;
    }

    private static byte[] int64(long[] v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long x : v) b.putLong(x);
        return b.array();
    }

    private static List<Long> longs(long[] values) {
        List<Long> out = new ArrayList<>(values.length);
        for (long v : values) out.add(v);
        return out;
    }

    private static AttributeProto perm(long... values) {
        return ints("perm", values);
    }

    private static AttributeProto ints(String name, long... values) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS).addAllInts(longs(values)).build();
    }

    private static AttributeProto integer(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    private static ValueInfoProto valueInfo(String name, int[] shape) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (int d : shape) s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(s))).build();
    }
}
