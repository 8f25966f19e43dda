package dev.porescope.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnx.proto.OnnxMl.ModelProto;
import dev.porescope.core.image.Plane;

import java.nio.FloatBuffer;
import java.util.Map;

/** Runs a ModelProto directly in ONNX Runtime (tests only). */
final class Ort {
    private Ort() { }

    static float[] run(ModelProto model, Plane input) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(1);
            try (OrtSession s = env.createSession(model.toByteArray(), o);
                 OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(input.values()),
                         new long[]{1, 1, input.height(), input.width()});
                 OrtSession.Result r = s.run(Map.of("x", x))) {
                FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
                float[] out = new float[fb.remaining()];
                fb.get(out);
                return out;
            }
        }
    }

    static double maxDiff(float[] a, float[] b) {
        if (a.length != b.length) throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }
}
