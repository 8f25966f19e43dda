package dev.porescope.onnx;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Numeric precision of an exported ONNX model; the model's interface is float32 in all three. */
public enum Precision {
    /** float32 weights and activations. */
    FP32,
    /** float16 weights and activations; Cast nodes keep the input and output float32. */
    FP16,
    /** int8 QDQ: per-channel int8 weights, int32 biases, uint8 activations calibrated on photos. */
    INT8;

    /** The name used on the command line and in model cards ("fp32", "fp16", "int8"). */
    public String label() { return name().toLowerCase(Locale.ROOT); }

    /** Parses "fp32", "fp16" or "int8" (any case); the error lists the accepted names. */
    public static Precision parse(String text) {
        for (Precision p : values()) {
            if (p.label().equalsIgnoreCase(text == null ? "" : text.trim())) return p;
        }
        throw new IllegalArgumentException("unknown precision '" + text + "'; use one of "
                + Arrays.stream(values()).map(Precision::label).collect(Collectors.joining(", ")));
    }
}
