package dev.porescope.onnx;

import dev.porescope.core.json.Json;
import dev.porescope.core.model.ModelCard;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model file read and checked in pure Java before ONNX Runtime sees it: an ONNX protobuf
 * ModelProto (top-level fields walked to the end, graph present) or an ORT-format flatbuffer
 * ("ORTM" identifier, offsets inside the file), with the PoreScope card in its metadata. A file
 * that fails is reported with its name and what to do, and never reaches native code.
 */
public final class ModelFile {

    public enum Format { ONNX, ORT }

    /** Smallest plausible model; anything shorter is certainly truncated. */
    static final int MIN_BYTES = 16;
    static final long MAX_BYTES = Integer.MAX_VALUE - 8;

    private final Path path;
    private final Format format;
    private final byte[] bytes;
    private final Map<String, String> metadata;
    private final ModelCard card;

    private ModelFile(Path path, Format format, byte[] bytes, Map<String, String> metadata, ModelCard card) {
        this.path = path;
        this.format = format;
        this.bytes = bytes;
        this.metadata = metadata;
        this.card = card;
    }

    public Path path() { return path; }
    public Format format() { return format; }
    /** The whole file; handed to ONNX Runtime as is. */
    byte[] bytes() { return bytes; }
    public Map<String, String> metadata() { return metadata; }
    public ModelCard card() { return card; }

    /** Reads and checks {@code path}; throws IllegalArgumentException naming the file and the problem. */
    public static ModelFile read(Path path) {
        if (!Files.exists(path)) throw bad(path, "does not exist");
        if (!Files.isRegularFile(path)) throw bad(path, "is not a regular file");
        byte[] bytes;
        try {
            long size = Files.size(path);
            if (size < MIN_BYTES) throw bad(path, "has only " + size + " bytes; it is empty or truncated, export it again");
            if (size > MAX_BYTES) throw bad(path, "is " + size + " bytes, too large for a PoreScope model");
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw bad(path, "cannot be read: " + e.getMessage());
        }
        return parse(path, bytes);
    }

    /** Checks bytes already in memory; {@code path} only names them in messages. */
    public static ModelFile parse(Path path, byte[] bytes) {
        Format format = looksLikeOrt(bytes) ? Format.ORT : Format.ONNX;
        Map<String, String> metadata;
        try {
            metadata = format == Format.ORT ? OrtFlatbuffer.metadata(bytes) : OnnxProtobuf.metadata(bytes);
        } catch (IllegalArgumentException e) {
            throw bad(path, "is not a valid " + (format == Format.ORT ? "ORT-format" : "ONNX") + " model ("
                    + e.getMessage() + "); it may be truncated or not a model at all, export it again");
        }
        String json = metadata.get(ModelCard.FILE_NAME);
        if (json == null) {
            throw bad(path, "is a valid " + format.name() + " model but has no PoreScope model card ('"
                    + ModelCard.FILE_NAME + "' metadata); export it with 'porescope export'");
        }
        ModelCard card;
        try {
            card = Json.readCard(json);
        } catch (IllegalArgumentException e) {
            throw bad(path, "has a broken PoreScope model card: " + e.getMessage());
        }
        if (card.spec() == null) throw bad(path, "has a model card without a network spec");
        return new ModelFile(path, format, bytes, metadata, card);
    }

    private static boolean looksLikeOrt(byte[] b) {
        return b.length >= 8 && b[4] == 'O' && b[5] == 'R' && b[6] == 'T' && b[7] == 'M';
    }

    private static IllegalArgumentException bad(Path path, String what) {
        return new IllegalArgumentException("model file " + path + " " + what);
    }

    /** Minimal protobuf walk of an ONNX ModelProto's top level. */
    static final class OnnxProtobuf {
        private static final int GRAPH = 7, METADATA_PROPS = 14, IR_VERSION = 1;

        static Map<String, String> metadata(byte[] b) {
            Map<String, String> out = new LinkedHashMap<>();
            boolean graph = false, ir = false;
            int[] pos = {0};
            while (pos[0] < b.length) {
                long tag = varint(b, pos);
                int field = (int) (tag >>> 3), wire = (int) (tag & 7);
                if (field <= 0 || field > 100) throw new IllegalArgumentException("unexpected field " + field + " at byte " + pos[0]);
                switch (wire) {
                    case 0 -> { varint(b, pos); if (field == IR_VERSION) ir = true; }
                    case 1 -> skip(b, pos, 8);
                    case 5 -> skip(b, pos, 4);
                    case 2 -> {
                        int len = length(b, pos);
                        int start = pos[0];
                        skip(b, pos, len);
                        if (field == GRAPH) graph = true;
                        if (field == METADATA_PROPS) entry(b, start, start + len, out);
                    }
                    default -> throw new IllegalArgumentException("bad wire type " + wire + " at byte " + pos[0]);
                }
            }
            if (!ir) throw new IllegalArgumentException("no ir_version");
            if (!graph) throw new IllegalArgumentException("no graph");
            return out;
        }

        private static void entry(byte[] b, int start, int end, Map<String, String> out) {
            String key = null, value = null;
            int[] pos = {start};
            while (pos[0] < end) {
                long tag = varint(b, pos);
                if ((tag & 7) != 2) throw new IllegalArgumentException("bad metadata entry");
                int len = length(b, pos);
                if (pos[0] + len > end) throw new IllegalArgumentException("metadata entry runs past its end");
                String s = new String(b, pos[0], len, StandardCharsets.UTF_8);
                pos[0] += len;
                if ((tag >>> 3) == 1) key = s; else if ((tag >>> 3) == 2) value = s;
            }
            if (key != null) out.put(key, value == null ? "" : value);
        }

        private static long varint(byte[] b, int[] pos) {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos[0] >= b.length) throw new IllegalArgumentException("file ends inside a field");
                byte x = b[pos[0]++];
                v |= (long) (x & 0x7f) << shift;
                if (x >= 0) return v;
            }
            throw new IllegalArgumentException("malformed varint");
        }

        private static int length(byte[] b, int[] pos) {
            long len = varint(b, pos);
            if (len < 0 || len > b.length - pos[0]) {
                throw new IllegalArgumentException("a field of " + len + " bytes runs past the end of the file");
            }
            return (int) len;
        }

        private static void skip(byte[] b, int[] pos, int n) {
            if (n > b.length - pos[0]) throw new IllegalArgumentException("file ends inside a field");
            pos[0] += n;
        }
    }

    /** Reads InferenceSession.model.metadata_props from ORT's flatbuffer (schema ort.fbs), bounds-checked. */
    static final class OrtFlatbuffer {
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
}
