package dev.porescope.android;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;

/**
 * Tiny ONNX models written byte by byte (protobuf wire format), so that the ONNX Runtime path can be
 * tested on the JVM without the ONNX writer of another module: {@code y = Sigmoid(x)} on a
 * {@code [1, 1, h, w]} float input, with metadata entries.
 */
final class OnnxFiles {
    private OnnxFiles() { }

    static File sigmoidModel(File dir, String name, Map<String, String> metadata) throws IOException {
        Proto graph = new Proto()
                .message(1, new Proto().string(1, "x").string(2, "y").string(3, "sigmoid").string(4, "Sigmoid"))
                .string(2, "porescope_test")
                .message(11, valueInfo("x"))
                .message(12, valueInfo("y"));
        Proto model = new Proto()
                .varint(1, 8)                                              // ir_version
                .message(8, new Proto().string(1, "").varint(2, 13))       // opset_import ai.onnx 13
                .message(7, graph);
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            model.message(14, new Proto().string(1, e.getKey()).string(2, e.getValue()));
        }
        File file = new File(dir, name);
        Files.write(file.toPath(), model.bytes());
        return file;
    }

    private static Proto valueInfo(String name) {
        Proto shape = new Proto()
                .message(1, new Proto().varint(1, 1))
                .message(1, new Proto().varint(1, 1))
                .message(1, new Proto().string(2, "h"))
                .message(1, new Proto().string(2, "w"));
        Proto tensor = new Proto().varint(1, 1).message(2, shape);  // elem_type FLOAT
        return new Proto().string(1, name).message(2, new Proto().message(1, tensor));
    }

    /** A protobuf message under construction. */
    static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Proto varint(int field, long value) {
            writeVarint((long) field << 3);
            writeVarint(value);
            return this;
        }

        Proto string(int field, String value) {
            return bytes(field, value.getBytes(StandardCharsets.UTF_8));
        }

        Proto message(int field, Proto value) {
            return bytes(field, value.bytes());
        }

        private Proto bytes(int field, byte[] value) {
            writeVarint(((long) field << 3) | 2);
            writeVarint(value.length);
            out.write(value, 0, value.length);
            return this;
        }

        byte[] bytes() { return out.toByteArray(); }

        private void writeVarint(long v) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }
    }
}
