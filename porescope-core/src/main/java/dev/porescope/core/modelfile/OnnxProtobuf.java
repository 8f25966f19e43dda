package dev.porescope.core.modelfile;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A bounded protobuf walk of an ONNX ModelProto (onnx.proto3): the top level to the end, the
 * metadata, and the graph's inputs, outputs, initializer names and nodes (op type, inputs, outputs).
 * Attributes and tensor data are skipped, never decoded. Errors are {@link IllegalArgumentException}s.
 */
final class OnnxProtobuf {
    private static final int IR_VERSION = 1, GRAPH = 7, METADATA_PROPS = 14;
    private static final int G_NODE = 1, G_INITIALIZER = 5, G_INPUT = 11, G_OUTPUT = 12;
    private static final int N_INPUT = 1, N_OUTPUT = 2, N_OP_TYPE = 4, N_DOMAIN = 7;

    private OnnxProtobuf() { }

    /** The parts read: metadata and the graph. */
    record Parsed(Map<String, String> metadata, OnnxGraph graph) { }

    static Parsed parse(byte[] b) {
        Map<String, String> metadata = new LinkedHashMap<>();
        OnnxGraph graph = null;
        boolean ir = false;
        Reader r = new Reader(b, 0, b.length);
        while (r.more()) {
            long tag = r.varint();
            int field = (int) (tag >>> 3), wire = (int) (tag & 7);
            if (field <= 0 || field > 100) throw new IllegalArgumentException("unexpected field " + field + " at byte " + r.pos);
            if (wire == 2) {
                Reader sub = r.sub();
                if (field == GRAPH) {
                    if (graph != null) throw new IllegalArgumentException("two graphs");
                    graph = graph(sub);
                }
                if (field == METADATA_PROPS) entry(sub, metadata);
            } else {
                if (field == IR_VERSION && wire == 0) ir = true;
                r.skip(wire);
            }
        }
        if (!ir) throw new IllegalArgumentException("no ir_version");
        if (graph == null) throw new IllegalArgumentException("no graph");
        return new Parsed(metadata, graph);
    }

    private static OnnxGraph graph(Reader r) {
        List<OnnxGraph.Value> inputs = new ArrayList<>(), outputs = new ArrayList<>();
        List<OnnxGraph.Node> nodes = new ArrayList<>();
        Set<String> initializers = new HashSet<>();
        while (r.more()) {
            long tag = r.varint();
            int field = (int) (tag >>> 3), wire = (int) (tag & 7);
            if (wire != 2) { r.skip(wire); continue; }
            Reader sub = r.sub();
            switch (field) {
                case G_NODE -> nodes.add(node(sub));
                case G_INITIALIZER -> { String n = stringField(sub, 8); if (n != null) initializers.add(n); }
                case G_INPUT -> inputs.add(value(sub));
                case G_OUTPUT -> outputs.add(value(sub));
                default -> { }
            }
        }
        return new OnnxGraph(inputs, outputs, nodes, initializers);
    }

    private static OnnxGraph.Node node(Reader r) {
        List<String> in = new ArrayList<>(), out = new ArrayList<>();
        String op = "", domain = "";
        while (r.more()) {
            long tag = r.varint();
            int field = (int) (tag >>> 3), wire = (int) (tag & 7);
            if (wire != 2) { r.skip(wire); continue; }
            Reader sub = r.sub();
            switch (field) {
                case N_INPUT -> in.add(sub.string());
                case N_OUTPUT -> out.add(sub.string());
                case N_OP_TYPE -> op = sub.string();
                case N_DOMAIN -> domain = sub.string();
                default -> { }
            }
        }
        return new OnnxGraph.Node(op, domain, in, out);
    }

    /** ValueInfoProto: name (1), type (2) -> TypeProto.tensor_type (1) -> elem_type (1), shape (2) -> dim (1). */
    private static OnnxGraph.Value value(Reader r) {
        String name = "";
        int elemType = 0;
        List<Object> dims = null;
        while (r.more()) {
            long tag = r.varint();
            int field = (int) (tag >>> 3), wire = (int) (tag & 7);
            if (wire != 2) { r.skip(wire); continue; }
            Reader sub = r.sub();
            if (field == 1) name = sub.string();
            if (field == 2) {
                while (sub.more()) {
                    long t = sub.varint();
                    if ((t & 7) != 2) { sub.skip((int) (t & 7)); continue; }
                    Reader tensor = sub.sub();
                    if ((t >>> 3) != 1) continue; // not a tensor type
                    while (tensor.more()) {
                        long u = tensor.varint();
                        int f = (int) (u >>> 3), w = (int) (u & 7);
                        if (f == 1 && w == 0) { elemType = (int) tensor.varint(); continue; }
                        if (f == 2 && w == 2) { dims = shape(tensor.sub()); continue; }
                        tensor.skip(w);
                    }
                }
            }
        }
        return new OnnxGraph.Value(name, elemType, dims);
    }

    /** Dimensions: a Long (dim_value), a String (dim_param) or null (unknown). */
    private static List<Object> shape(Reader r) {
        List<Object> dims = new ArrayList<>();
        while (r.more()) {
            long tag = r.varint();
            if ((tag & 7) != 2) { r.skip((int) (tag & 7)); continue; }
            Reader dim = r.sub();
            if ((tag >>> 3) != 1) continue;
            Object d = null;
            while (dim.more()) {
                long t = dim.varint();
                int f = (int) (t >>> 3), w = (int) (t & 7);
                if (f == 1 && w == 0) d = dim.varint();
                else if (f == 2 && w == 2) d = dim.sub().string();
                else dim.skip(w);
            }
            dims.add(d);
            if (dims.size() > 64) throw new IllegalArgumentException("a tensor of more than 64 dimensions");
        }
        return dims;
    }

    /** The first string field {@code field} of a message, or null. */
    private static String stringField(Reader r, int field) {
        while (r.more()) {
            long tag = r.varint();
            int wire = (int) (tag & 7);
            if (wire != 2) { r.skip(wire); continue; }
            Reader sub = r.sub();
            if ((tag >>> 3) == field) return sub.string();
        }
        return null;
    }

    private static void entry(Reader r, Map<String, String> out) {
        String key = null, value = null;
        while (r.more()) {
            long tag = r.varint();
            if ((tag & 7) != 2) throw new IllegalArgumentException("bad metadata entry");
            String s = r.sub().string();
            if ((tag >>> 3) == 1) key = s; else if ((tag >>> 3) == 2) value = s;
        }
        if (key != null) out.put(key, value == null ? "" : value);
    }

    /** A cursor over b[pos, end). */
    private static final class Reader {
        private final byte[] b;
        private int pos;
        private final int end;

        Reader(byte[] b, int pos, int end) { this.b = b; this.pos = pos; this.end = end; }

        boolean more() { return pos < end; }

        long varint() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= end) throw new IllegalArgumentException("file ends inside a field");
                byte x = b[pos++];
                v |= (long) (x & 0x7f) << shift;
                if (x >= 0) return v;
            }
            throw new IllegalArgumentException("malformed varint");
        }

        /** The length-delimited field at the cursor, as its own reader; the cursor moves past it. */
        Reader sub() {
            long len = varint();
            if (len < 0 || len > end - pos) throw new IllegalArgumentException("a field of " + len + " bytes runs past the end of the file");
            Reader r = new Reader(b, pos, pos + (int) len);
            pos += (int) len;
            return r;
        }

        String string() {
            String s = new String(b, pos, end - pos, StandardCharsets.UTF_8);
            pos = end;
            return s;
        }

        void skip(int wire) {
            switch (wire) {
                case 0 -> varint();
                case 1 -> advance(8);
                case 5 -> advance(4);
                case 2 -> sub();
                default -> throw new IllegalArgumentException("bad wire type " + wire + " at byte " + pos);
            }
        }

        private void advance(int n) {
            if (n > end - pos) throw new IllegalArgumentException("file ends inside a field");
            pos += n;
        }
    }
}
