package dev.porescope.android;

import java.io.File;
import java.util.Locale;

/** The model files an app can run, told apart by their extension, and the runtime for each. */
enum ModelFileType {
    /** PyTorch Mobile lite interpreter ({@code org.pytorch:pytorch_android_lite}). */
    PTL(".ptl", "PyTorch Mobile lite"),
    /** ONNX Runtime, standard ONNX protobuf ({@code com.microsoft.onnxruntime:onnxruntime-android}). */
    ONNX(".onnx", "ONNX Runtime"),
    /** ONNX Runtime's own mobile format (flatbuffers). */
    ORT(".ort", "ONNX Runtime");

    final String extension;
    final String runtimeName;

    ModelFileType(String extension, String runtimeName) {
        this.extension = extension;
        this.runtimeName = runtimeName;
    }

    static ModelFileType of(File file) {
        String name = file.getName().toLowerCase(Locale.ROOT);
        for (ModelFileType type : values()) {
            if (name.endsWith(type.extension)) {
                return type;
            }
        }
        if (name.endsWith(".pt")) {
            throw new IllegalArgumentException(file.getName() + " is a server (TorchScript) model, which phones cannot run;"
                    + " export it first: porescope export --model " + file.getName() + " --format ptl|onnx|ort");
        }
        throw new IllegalArgumentException(file.getName() + " is not a PoreScope phone model: expected a file ending in"
                + " .ptl (PyTorch Mobile lite), .onnx or .ort (ONNX Runtime)");
    }

    /** Whether a model card's {@code runtime} field says the file was made for this runtime. */
    boolean accepts(String cardRuntime) {
        if (this == PTL) {
            return "ptl".equals(cardRuntime);
        }
        // .onnx and .ort files both run on ONNX Runtime; an .ort converted from an .onnx may keep its card
        return "onnx".equals(cardRuntime) || "ort".equals(cardRuntime);
    }
}
