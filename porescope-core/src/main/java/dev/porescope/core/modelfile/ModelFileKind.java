package dev.porescope.core.modelfile;

import dev.porescope.core.model.ModelCard;

import java.util.Locale;

/** The model files PoreScope makes, told apart by their content; each has one extension and one runtime. */
public enum ModelFileKind {
    /** Server model: TorchScript zip archive (code/, data.pkl), run by libtorch. */
    TORCHSCRIPT("pt", ModelCard.RUNTIME_TORCHSCRIPT, "TorchScript server model"),
    /** PyTorch Mobile lite-interpreter zip archive (bytecode.pkl beside the TorchScript). */
    PTL("ptl", ModelCard.RUNTIME_PTL, "PyTorch Mobile lite model"),
    /** ONNX protobuf ModelProto. */
    ONNX("onnx", ModelCard.RUNTIME_ONNX, "ONNX model"),
    /** ONNX Runtime's own format (flatbuffer, file identifier "ORTM"). */
    ORT("ort", ModelCard.RUNTIME_ORT, "ONNX Runtime format (.ort) model");

    private final String extension;
    private final String runtime;
    private final String description;

    ModelFileKind(String extension, String runtime, String description) {
        this.extension = extension;
        this.runtime = runtime;
        this.description = description;
    }

    /** File extension without the dot. */
    public String extension() { return extension; }

    /** The card runtime of files of this kind. */
    public String runtime() { return runtime; }

    public String description() { return description; }

    /** The description with its article ("an ONNX model", "a TorchScript server model"). */
    public String aDescription() {
        return ("AEIOU".indexOf(description.charAt(0)) >= 0 ? "an " : "a ") + description;
    }

    /** Whether a card saying {@code cardRuntime} may sit in a file of this kind (an .ort may keep its .onnx card). */
    public boolean accepts(String cardRuntime) {
        if (this == ORT) return ModelCard.RUNTIME_ORT.equals(cardRuntime) || ModelCard.RUNTIME_ONNX.equals(cardRuntime);
        if (this == ONNX) return ModelCard.RUNTIME_ONNX.equals(cardRuntime) || ModelCard.RUNTIME_ORT.equals(cardRuntime);
        return runtime.equals(cardRuntime);
    }

    /** Whether ONNX Runtime runs it. */
    public boolean onnxRuntime() { return this == ONNX || this == ORT; }

    /** The kind a file name's extension announces, or null for another extension. */
    public static ModelFileKind ofName(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        if (dot < 0) return null;
        String ext = name.substring(dot + 1);
        for (ModelFileKind k : values()) if (k.extension.equals(ext)) return k;
        return null;
    }
}
