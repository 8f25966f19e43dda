package dev.porescope.core.modelfile;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads InferenceSession.model.metadata_props from ORT's flatbuffer (schema ort.fbs), bounds-checked. */
final class OrtFlatbuffer {
    private OrtFlatbuffer() { }

    private static final int SESSION_MODEL = 1, MODEL_GRAPH = 7, MODEL_METADATA = 9;

    static Map<String, String> metadata(byte[] b) {
        int session = offsetAt(b, 0);
        int model = field(b, session, SESSION_MODEL);
        if (model < 0) throw new IllegalArgumentException("no model table");
        model = offsetAt(b, model);
        if (field(b, model, MODEL_GRAPH) < 0) throw new IllegalArgumentException("no graph");
        Map<String, String> out = new LinkedHashMap<>();
        int props = field(b, model, MODEL_METADATA);
        if (props < 0) return out;
        int vector = offsetAt(b, props);
        int n = u32(b, vector);
        if (n < 0 || n > (b.length - vector - 4) / 4) throw new IllegalArgumentException("bad metadata vector");
        for (int i = 0; i < n; i++) {
            int entry = offsetAt(b, vector + 4 + 4 * i);
            int k = field(b, entry, 0), v = field(b, entry, 1);
            if (k < 0) continue;
            out.put(string(b, offsetAt(b, k)), v < 0 ? "" : string(b, offsetAt(b, v)));
        }
        return out;
    }

    /** Position of field {@code index} of the table at {@code table}, or -1 when absent. */
    private static int field(byte[] b, int table, int index) {
        int vtable = table - s32(b, table);
        check(b, vtable, 4);
        int vsize = u16(b, vtable);
        if (4 + 2 * index + 2 > vsize) return -1;
        check(b, vtable, vsize);
        int off = u16(b, vtable + 4 + 2 * index);
        if (off == 0) return -1;
        check(b, table + off, 4);
        return table + off;
    }

    private static int offsetAt(byte[] b, int pos) {
        long target = (long) pos + (u32(b, pos) & 0xffffffffL);
        if (target >= b.length) throw new IllegalArgumentException("offset past the end of the file");
        return (int) target;
    }

    private static String string(byte[] b, int pos) {
        int len = u32(b, pos);
        if (len < 0 || len > b.length - pos - 4) throw new IllegalArgumentException("string runs past the end of the file");
        return new String(b, pos + 4, len, StandardCharsets.UTF_8);
    }

    private static void check(byte[] b, int pos, int n) {
        if (pos < 0 || n < 0 || (long) pos + n > b.length) throw new IllegalArgumentException("table runs past the end of the file");
    }

    private static int u16(byte[] b, int pos) {
        check(b, pos, 2);
        return (b[pos] & 0xff) | (b[pos + 1] & 0xff) << 8;
    }

    private static int u32(byte[] b, int pos) {
        check(b, pos, 4);
        return (b[pos] & 0xff) | (b[pos + 1] & 0xff) << 8 | (b[pos + 2] & 0xff) << 16 | (b[pos + 3] & 0xff) << 24;
    }

    private static int s32(byte[] b, int pos) { return u32(b, pos); }
}
