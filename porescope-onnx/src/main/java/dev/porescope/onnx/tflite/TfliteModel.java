package dev.porescope.onnx.tflite;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A TensorFlow Lite model read from its flatbuffer (schema {@code tensorflow/lite/schema/schema.fbs}):
 * the first subgraph's tensors, operators and the buffers they point to. Only what a graph
 * converter needs is read; fields are addressed by their index in the schema. Every offset is
 * checked against the buffer, so a damaged file gives an {@link IllegalArgumentException}, never a
 * read outside the bytes.
 */
public final class TfliteModel {

    /** TFLite tensor types used here (schema enum TensorType). */
    public static final int FLOAT32 = 0, FLOAT16 = 1, INT32 = 2, UINT8 = 3, INT64 = 4, INT8 = 9;

    /**
     * One tensor.
     *
     * @param shape  dimensions (NHWC for images)
     * @param type   schema TensorType
     * @param data   constant contents (little-endian), or null for an activation
     */
    public record Tensor(int index, String name, int[] shape, int type, byte[] data) {
        public int elements() {
            int n = 1;
            for (int d : shape) n *= d;
            return n;
        }

        @Override
        public String toString() {
            return index + ":" + name + Arrays.toString(shape) + (data != null ? " const" : "");
        }
    }

    /**
     * One operator.
     *
     * @param builtin  schema BuiltinOperator code (-1 for a custom op)
     * @param custom   custom op name, or null
     * @param inputs   tensor indices (-1 = optional input absent)
     * @param outputs  tensor indices
     * @param options  the builtin options table, or null
     */
    public record Operator(int builtin, String custom, int[] inputs, int[] outputs, Table options) { }

    private final List<Tensor> tensors = new ArrayList<>();
    private final List<Operator> operators = new ArrayList<>();
    private final int[] inputs;
    private final int[] outputs;

    private TfliteModel(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 8 || !"TFL3".equals(new String(bytes, 4, 4, java.nio.charset.StandardCharsets.US_ASCII))) {
            throw new IllegalArgumentException("not a TensorFlow Lite flatbuffer (no TFL3 identifier)");
        }
        Table model = new Table(b, Table.indirect(b, 0));
        List<Table> codes = model.tables(1);
        List<Table> subgraphs = model.tables(2);
        List<Table> buffers = model.tables(4);
        if (subgraphs.isEmpty()) throw new IllegalArgumentException("the model has no subgraph");
        Table g = subgraphs.get(0);
        for (Table t : g.tables(0)) {
            int bufferIndex = (int) t.uint(2, 0);
            byte[] data = null;
            if (bufferIndex > 0 && bufferIndex < buffers.size()) {
                data = buffers.get(bufferIndex).bytes(0);
                if (data != null && data.length == 0) data = null;
            }
            tensors.add(new Tensor(tensors.size(), t.string(3), t.ints(0), t.ubyte(1, FLOAT32), data));
        }
        inputs = g.ints(1);
        outputs = g.ints(2);
        for (Table op : g.tables(3)) {
            Table code = codes.get((int) op.uint(0, 0));
            int builtin = Math.max(code.ubyte(0, 0), code.integer(3, 0));
            String custom = code.string(1);
            operators.add(new Operator(custom != null ? -1 : builtin, custom, op.ints(1), op.ints(2), op.table(4)));
        }
    }

    /** Reads a model; a damaged or foreign file gives an {@link IllegalArgumentException}. */
    public static TfliteModel read(byte[] bytes) {
        try {
            return new TfliteModel(bytes);
        } catch (IndexOutOfBoundsException | java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("damaged TensorFlow Lite flatbuffer: " + e.getMessage(), e);
        }
    }

    public List<Tensor> tensors() { return tensors; }
    public Tensor tensor(int i) { return tensors.get(i); }
    public List<Operator> operators() { return operators; }
    public int[] inputs() { return inputs.clone(); }
    public int[] outputs() { return outputs.clone(); }

    /** A flatbuffer table: fields by schema index, read through its vtable. */
    public static final class Table {
        private final ByteBuffer b;
        private final int pos;

        Table(ByteBuffer b, int pos) {
            this.b = b;
            this.pos = pos;
            check(pos, 4);
        }

        static int indirect(ByteBuffer b, int at) {
            int target = at + b.getInt(at);
            if (target < 0 || target >= b.capacity()) throw new IllegalArgumentException("offset out of the file: " + target);
            return target;
        }

        private void check(int at, int len) {
            if (at < 0 || at + len > b.capacity()) throw new IllegalArgumentException("offset out of the file: " + at);
        }

        /** Position of field {@code i}, or 0 when absent. */
        private int field(int i) {
            int vtable = pos - b.getInt(pos);
            check(vtable, 4);
            int vlen = b.getShort(vtable) & 0xFFFF;
            int slot = 4 + 2 * i;
            if (slot >= vlen) return 0;
            int off = b.getShort(vtable + slot) & 0xFFFF;
            return off == 0 ? 0 : pos + off;
        }

        public int integer(int i, int dflt) {
            int f = field(i);
            return f == 0 ? dflt : b.getInt(f);
        }

        public long uint(int i, long dflt) {
            int f = field(i);
            return f == 0 ? dflt : b.getInt(f) & 0xFFFFFFFFL;
        }

        public int ubyte(int i, int dflt) {
            int f = field(i);
            return f == 0 ? dflt : b.get(f) & 0xFF;
        }

        public float float32(int i, float dflt) {
            int f = field(i);
            return f == 0 ? dflt : b.getFloat(f);
        }

        public Table table(int i) {
            int f = field(i);
            return f == 0 ? null : new Table(b, indirect(b, f));
        }

        private int vector(int i) {
            int f = field(i);
            if (f == 0) return -1;
            int v = indirect(b, f);
            check(v, 4);
            return v;
        }

        public String string(int i) {
            byte[] s = bytes(i);
            return s == null ? null : new String(s, java.nio.charset.StandardCharsets.UTF_8);
        }

        public byte[] bytes(int i) {
            int v = vector(i);
            if (v < 0) return null;
            int n = b.getInt(v);
            check(v + 4, n);
            byte[] out = new byte[n];
            b.get(v + 4, out);
            return out;
        }

        public int[] ints(int i) {
            int v = vector(i);
            if (v < 0) return new int[0];
            int n = b.getInt(v);
            check(v + 4, 4 * n);
            int[] out = new int[n];
            for (int k = 0; k < n; k++) out[k] = b.getInt(v + 4 + 4 * k);
            return out;
        }

        public List<Table> tables(int i) {
            int v = vector(i);
            if (v < 0) return List.of();
            int n = b.getInt(v);
            check(v + 4, 4 * n);
            List<Table> out = new ArrayList<>(n);
            for (int k = 0; k < n; k++) out.add(new Table(b, indirect(b, v + 4 + 4 * k)));
            return out;
        }
    }
}
