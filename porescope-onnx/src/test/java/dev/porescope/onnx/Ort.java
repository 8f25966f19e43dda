package dev.porescope.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.porescope.core.image.Plane;
import dev.porescope.ort.OnnxModel;
import dev.porescope.ort.OrtRunner;

import java.nio.file.Path;

/** ONNX Runtime for the tests: a ModelProto run directly, and a file loaded the way the desktop loads it. */
final class Ort {
    private Ort() { }

    /** The first output of {@code model} for a [1, 1, H, W] input. */
    static float[] run(ModelProto model, Plane input) throws Exception {
        try (OrtRunner runner = new OrtRunner(model.toByteArray(), 1)) {
            return runner.run(input.values(), 1, 1, input.height(), input.width()).get(0).values();
        }
    }

    /** {@code file} as the command line loads it: core's reader, this module's graph check, ONNX Runtime, golden pairs. */
    static OnnxModel load(Path file) {
        return OnnxModel.load(file, OnnxModel.DEFAULT_THREADS, GraphCheck::check);
    }

    static double maxDiff(float[] a, float[] b) {
        if (a.length != b.length) throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }
}
