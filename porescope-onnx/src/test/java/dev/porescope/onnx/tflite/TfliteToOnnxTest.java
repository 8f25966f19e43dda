package dev.porescope.onnx.tflite;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.platform.Fp16Conversions;
import com.google.flatbuffers.FlatBufferBuilder;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A tiny TFLite graph built with the flatbuffers library (every operator the MediaPipe face models
 * use), converted to ONNX and run in ONNX Runtime, against a plain NHWC evaluation written here from
 * TFLite's operator semantics.
 */
class TfliteToOnnxTest {

    /** A TFLite model under construction: tensors with optional constant data, operators. */
    static final class Graph {
        final List<int[]> shapes = new ArrayList<>();
        final List<Integer> types = new ArrayList<>();
        final List<byte[]> data = new ArrayList<>();
        final List<int[]> ops = new ArrayList<>(); // builtin, options kind, then inputs..., -2, outputs...
        final List<int[]> options = new ArrayList<>();
        final List<Integer> codes = new ArrayList<>();

        int tensor(int type, byte[] bytes, int... shape) {
            shapes.add(shape);
            types.add(type);
            data.add(bytes);
            return shapes.size() - 1;
        }

        void op(int builtin, int[] opts, int[] in, int... out) {
            int[] o = new int[2 + in.length + 1 + out.length];
            o[0] = builtin;
            o[1] = in.length;
            System.arraycopy(in, 0, o, 2, in.length);
            o[2 + in.length] = out.length;
            System.arraycopy(out, 0, o, 3 + in.length, out.length);
            ops.add(o);
            options.add(opts);
            if (!codes.contains(builtin)) codes.add(builtin);
        }

        byte[] build(int[] inputs, int[] outputs) {
            FlatBufferBuilder b = new FlatBufferBuilder(1024);
            int[] bufs = new int[data.size() + 1];
            b.startTable(1); // buffer 0: the empty sentinel
            bufs[0] = b.endTable();
            int[] tensorOffsets = new int[shapes.size()];
            for (int i = 0; i < shapes.size(); i++) {
                int bufferIndex = 0;
                if (data.get(i) != null) {
                    int v = b.createByteVector(data.get(i));
                    b.startTable(1);
                    b.addOffset(0, v, 0);
                    bufs[i + 1] = b.endTable();
                    bufferIndex = i + 1;
                } else {
                    b.startTable(1);
                    bufs[i + 1] = b.endTable();
                }
                int name = b.createString("t" + i);
                int shape = ints(b, shapes.get(i));
                b.startTable(4);
                b.addOffset(0, shape, 0);
                b.addByte(1, (byte) (int) types.get(i), 0);
                b.addInt(2, bufferIndex, 0);
                b.addOffset(3, name, 0);
                tensorOffsets[i] = b.endTable();
            }
            int[] opOffsets = new int[ops.size()];
            for (int k = 0; k < ops.size(); k++) {
                int[] o = ops.get(k);
                int nIn = o[1];
                int in = ints(b, Arrays.copyOfRange(o, 2, 2 + nIn));
                int out = ints(b, Arrays.copyOfRange(o, 3 + nIn, o.length));
                int opts = optionsTable(b, o[0], options.get(k));
                b.startTable(5);
                b.addInt(0, codes.indexOf(o[0]), 0);
                b.addOffset(1, in, 0);
                b.addOffset(2, out, 0);
                if (opts != 0) {
                    b.addByte(3, (byte) 1, 0); // union type: any non-zero value, the reader goes by the operator
                    b.addOffset(4, opts, 0);
                }
                opOffsets[k] = b.endTable();
            }
            int tensors = b.createVectorOfTables(tensorOffsets);
            int operators = b.createVectorOfTables(opOffsets);
            int in = ints(b, inputs);
            int out = ints(b, outputs);
            b.startTable(4);
            b.addOffset(0, tensors, 0);
            b.addOffset(1, in, 0);
            b.addOffset(2, out, 0);
            b.addOffset(3, operators, 0);
            int subgraph = b.endTable();
            int[] codeOffsets = new int[codes.size()];
            for (int i = 0; i < codes.size(); i++) {
                b.startTable(4);
                b.addByte(0, (byte) Math.min(codes.get(i), 127), 0);
                b.addInt(3, codes.get(i), 0);
                codeOffsets[i] = b.endTable();
            }
            int codesVec = b.createVectorOfTables(codeOffsets);
            int subgraphs = b.createVectorOfTables(new int[]{subgraph});
            int buffers = b.createVectorOfTables(bufs);
            b.startTable(5);
            b.addInt(0, 3, 0);
            b.addOffset(1, codesVec, 0);
            b.addOffset(2, subgraphs, 0);
            b.addOffset(4, buffers, 0);
            b.finish(b.endTable(), "TFL3");
            return b.sizedByteArray();
        }

        /** Options tables as the schema lays them out; {@code v} gives the fields in schema order. */
        private static int optionsTable(FlatBufferBuilder b, int builtin, int[] v) {
            if (v == null) return 0;
            if (builtin == TfliteToOnnx.RESHAPE) {
                int shape = ints(b, v);
                b.startTable(1);
                b.addOffset(0, shape, 0);
                return b.endTable();
            }
            b.startTable(v.length);
            for (int i = 0; i < v.length; i++) {
                // padding and fused activation are bytes, the rest ints (Conv2D, DepthwiseConv2D, Pool2D, Add, Concatenation)
                boolean isByte = switch (builtin) {
                    case TfliteToOnnx.CONV_2D -> i == 0 || i == 3;
                    case TfliteToOnnx.DEPTHWISE_CONV_2D -> i == 0 || i == 4;
                    case TfliteToOnnx.MAX_POOL_2D -> i == 0 || i == 5;
                    case TfliteToOnnx.ADD -> i == 0;
                    case TfliteToOnnx.CONCATENATION -> i == 1;
                    default -> false;
                };
                if (isByte) b.addByte(i, (byte) v[i], 0);
                else b.addInt(i, v[i], 0);
            }
            return b.endTable();
        }

        private static int ints(FlatBufferBuilder b, int[] v) {
            b.startVector(4, v.length, 4);
            for (int i = v.length - 1; i >= 0; i--) b.addInt(v[i]);
            return b.endVector();
        }
    }

    static byte[] f32(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) b.putFloat(x);
        return b.array();
    }

    static byte[] i32(int[] v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : v) b.putInt(x);
        return b.array();
    }

    /** Values rounded to float16, and their float16 bytes. */
    static byte[] f16(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(2 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < v.length; i++) {
            short h = Fp16Conversions.floatToFp16(v[i]);
            v[i] = Fp16Conversions.fp16ToFloat(h);
            b.putShort(h);
        }
        return b.array();
    }

    static float[] random(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian() * 0.5f;
        return v;
    }

    // ---- the reference: TFLite semantics on NHWC arrays (batch 1) ----

    /** SAME padding before the first pixel, as TFLite computes it (the odd pixel goes after). */
    static int padBefore(int in, int k, int s) {
        int out = (in + s - 1) / s;
        return Math.max(0, (out - 1) * s + k - in) / 2;
    }

    /** Conv: x [H,W,I], w [O,KH,KW,I], bias [O]; SAME; returns [OH,OW,O]. */
    static float[] conv(float[] x, int h, int w, int ci, float[] k, int co, int kh, int kw, float[] bias, int s, boolean relu) {
        int oh = (h + s - 1) / s, ow = (w + s - 1) / s, pt = padBefore(h, kh, s), pl = padBefore(w, kw, s);
        float[] y = new float[oh * ow * co];
        for (int oy = 0; oy < oh; oy++) for (int ox = 0; ox < ow; ox++) for (int o = 0; o < co; o++) {
            double acc = bias[o];
            for (int dy = 0; dy < kh; dy++) for (int dx = 0; dx < kw; dx++) {
                int iy = oy * s - pt + dy, ix = ox * s - pl + dx;
                if (iy < 0 || ix < 0 || iy >= h || ix >= w) continue;
                for (int c = 0; c < ci; c++) acc += x[(iy * w + ix) * ci + c] * k[((o * kh + dy) * kw + dx) * ci + c];
            }
            y[(oy * ow + ox) * co + o] = (float) (relu ? Math.max(0, acc) : acc);
        }
        return y;
    }

    /** Depthwise (multiplier 1): x [H,W,C], w [1,KH,KW,C]; SAME. */
    static float[] depthwise(float[] x, int h, int w, int c, float[] k, int kh, int kw, float[] bias, int s) {
        int oh = (h + s - 1) / s, ow = (w + s - 1) / s, pt = padBefore(h, kh, s), pl = padBefore(w, kw, s);
        float[] y = new float[oh * ow * c];
        for (int oy = 0; oy < oh; oy++) for (int ox = 0; ox < ow; ox++) for (int ch = 0; ch < c; ch++) {
            double acc = bias[ch];
            for (int dy = 0; dy < kh; dy++) for (int dx = 0; dx < kw; dx++) {
                int iy = oy * s - pt + dy, ix = ox * s - pl + dx;
                if (iy < 0 || ix < 0 || iy >= h || ix >= w) continue;
                acc += x[(iy * w + ix) * c + ch] * k[(dy * kw + dx) * c + ch];
            }
            y[(oy * ow + ox) * c + ch] = (float) acc;
        }
        return y;
    }

    @Test
    void everyFaceModelOperatorMatchesTfliteSemantics() throws Exception {
        Random r = new Random(12);
        int h = 6, w = 6;
        Graph g = new Graph();
        int x = g.tensor(TfliteModel.FLOAT32, null, 1, h, w, 2);
        float[] w1 = random(r, 3 * 3 * 3 * 2);
        int w1h = g.tensor(TfliteModel.FLOAT16, f16(w1), 3, 3, 3, 2);
        int w1f = g.tensor(TfliteModel.FLOAT32, null, 3, 3, 3, 2);
        float[] b1 = random(r, 3);
        int b1t = g.tensor(TfliteModel.FLOAT32, f32(b1), 3);
        int a = g.tensor(TfliteModel.FLOAT32, null, 1, 6, 6, 3);
        float[] dw = random(r, 9 * 3);
        int dwt = g.tensor(TfliteModel.FLOAT32, f32(dw), 1, 3, 3, 3);
        float[] db = random(r, 3);
        int dbt = g.tensor(TfliteModel.FLOAT32, f32(db), 3);
        int d = g.tensor(TfliteModel.FLOAT32, null, 1, 3, 3, 3);
        int p = g.tensor(TfliteModel.FLOAT32, null, 1, 3, 3, 3);
        int padding = g.tensor(TfliteModel.INT32, i32(new int[]{0, 0, 0, 0, 0, 0, 0, 1}), 4, 2);
        int pp = g.tensor(TfliteModel.FLOAT32, null, 1, 3, 3, 4);
        float[] w2 = random(r, 4 * 3);
        int w2t = g.tensor(TfliteModel.FLOAT32, f32(w2), 4, 1, 1, 3);
        float[] b2 = random(r, 4);
        int b2t = g.tensor(TfliteModel.FLOAT32, f32(b2), 4);
        int c2 = g.tensor(TfliteModel.FLOAT32, null, 1, 3, 3, 4);
        int s = g.tensor(TfliteModel.FLOAT32, null, 1, 3, 3, 4);
        float[] alpha = {0.1f, -0.2f, 0.3f, 0.05f};
        int alphat = g.tensor(TfliteModel.FLOAT32, f32(alpha), 1, 1, 4);
        int pr = g.tensor(TfliteModel.FLOAT32, null, 1, 3, 3, 4);
        int y1 = g.tensor(TfliteModel.FLOAT32, null, 1, 9, 4);
        int y2 = g.tensor(TfliteModel.FLOAT32, null, 1, 3, 3, 8);
        g.op(TfliteToOnnx.DEQUANTIZE, null, new int[]{w1h}, w1f);
        g.op(TfliteToOnnx.CONV_2D, new int[]{0, 1, 1, 1}, new int[]{x, w1f, b1t}, a);          // SAME, stride 1, RELU
        g.op(TfliteToOnnx.DEPTHWISE_CONV_2D, new int[]{0, 2, 2, 1, 0}, new int[]{a, dwt, dbt}, d); // SAME, stride 2
        g.op(TfliteToOnnx.MAX_POOL_2D, new int[]{1, 2, 2, 2, 2, 0}, new int[]{a}, p);            // VALID 2x2 stride 2
        g.op(TfliteToOnnx.PAD, null, new int[]{p, padding}, pp);
        g.op(TfliteToOnnx.CONV_2D, new int[]{1, 1, 1, 0}, new int[]{d, w2t, b2t}, c2);
        g.op(TfliteToOnnx.ADD, new int[]{0}, new int[]{pp, c2}, s);
        g.op(TfliteToOnnx.PRELU, null, new int[]{s, alphat}, pr);
        g.op(TfliteToOnnx.RESHAPE, new int[]{1, 9, 4}, new int[]{pr}, y1);
        g.op(TfliteToOnnx.CONCATENATION, new int[]{3, 0}, new int[]{pr, pp}, y2);
        byte[] tflite = g.build(new int[]{x}, new int[]{y1, y2});

        float[] input = random(r, h * w * 2);
        float[][] got = run(TfliteToOnnx.convert(TfliteModel.read(tflite), Map.of()).toByteArray(), input, new long[]{1, h, w, 2});

        // the reference, on NHWC arrays
        float[] ra = conv(input, h, w, 2, w1, 3, 3, 3, b1, 1, true);
        float[] rd = depthwise(ra, 6, 6, 3, dw, 3, 3, db, 2);
        float[] rp = new float[3 * 3 * 3];
        for (int yy = 0; yy < 3; yy++) for (int xx = 0; xx < 3; xx++) for (int c = 0; c < 3; c++) {
            float m = Float.NEGATIVE_INFINITY;
            for (int dy = 0; dy < 2; dy++) for (int dx = 0; dx < 2; dx++) m = Math.max(m, ra[((2 * yy + dy) * 6 + 2 * xx + dx) * 3 + c]);
            rp[(yy * 3 + xx) * 3 + c] = m;
        }
        float[] rpp = new float[9 * 4];
        for (int i = 0; i < 9; i++) System.arraycopy(rp, i * 3, rpp, i * 4, 3);
        float[] rc2 = conv(rd, 3, 3, 3, w2, 4, 1, 1, b2, 1, false);
        float[] rpr = new float[9 * 4];
        for (int i = 0; i < rpr.length; i++) {
            float v = rpp[i] + rc2[i];
            rpr[i] = v >= 0 ? v : alpha[i % 4] * v;
        }
        float[] ry2 = new float[9 * 8];
        for (int i = 0; i < 9; i++) {
            System.arraycopy(rpr, i * 4, ry2, i * 8, 4);
            System.arraycopy(rpp, i * 4, ry2, i * 8 + 4, 4);
        }
        assertArrayEquals(rpr, got[0], 1e-4f, "RESHAPE output [1,9,4] (NHWC order)");
        assertArrayEquals(ry2, got[1], 1e-4f, "CONCATENATION on channels, output back in NHWC");
    }

    @Test
    void refusesAnOperatorItDoesNotKnow() {
        Graph g = new Graph();
        int x = g.tensor(TfliteModel.FLOAT32, null, 1, 4);
        int y = g.tensor(TfliteModel.FLOAT32, null, 1, 4);
        g.op(25, null, new int[]{x}, y); // SOFTMAX
        TfliteModel m = TfliteModel.read(g.build(new int[]{x}, new int[]{y}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TfliteToOnnx.convert(m, Map.of()));
        assertTrue(e.getMessage().contains("code 25"), e.getMessage());
    }

    @Test
    void refusesWhatIsNotTflite() {
        assertThrows(IllegalArgumentException.class, () -> TfliteModel.read(new byte[]{1, 2, 3}));
        byte[] junk = new byte[64];
        System.arraycopy("TFL3".getBytes(), 0, junk, 4, 4);
        junk[0] = 60; // root table offset pointing at garbage
        assertThrows(IllegalArgumentException.class, () -> TfliteModel.read(junk));
    }

    static float[][] run(byte[] onnx, float[] input, long[] shape) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(onnx, o);
                 OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), shape);
                 OrtSession.Result r = session.run(Map.of(session.getInputNames().iterator().next(), t))) {
                float[][] out = new float[r.size()][];
                for (int i = 0; i < out.length; i++) {
                    FloatBuffer fb = ((OnnxTensor) r.get(i)).getFloatBuffer();
                    out[i] = new float[fb.remaining()];
                    fb.get(out[i]);
                }
                return out;
            }
        }
    }
}
