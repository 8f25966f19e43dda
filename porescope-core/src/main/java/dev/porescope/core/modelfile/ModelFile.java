package dev.porescope.core.modelfile;

import dev.porescope.core.model.ModelCard;

import java.util.Map;

/**
 * A model file checked in pure Java by {@link ModelFileReader}: what it is, its card, and what the
 * runtimes and the foreign-code checks need from it.
 *
 * @param name            how messages name the file (its path)
 * @param kind            what the content is (not only what the extension says)
 * @param card            the PoreScope model card, checked: format, spec present, runtime fits the kind
 * @param bytes           the whole file, for runtimes that load from memory
 * @param bytecodeVersion lite bytecode version ({@link ModelFileKind#PTL}); -1 otherwise
 * @param code            TorchScript code entries of a zip archive by path inside the archive's top
 *                        folder ({@code code/__torch__.py}); empty for ONNX/ORT
 * @param graph           the ONNX graph ({@link ModelFileKind#ONNX}); null otherwise
 */
public record ModelFile(String name, ModelFileKind kind, ModelCard card, byte[] bytes, long bytecodeVersion,
                        Map<String, String> code, OnnxGraph graph) {

    /** Whether the archive holds TorchScript code and data that {@code torch.jit.load} reads (a .pt, and a .ptl from PoreScope). */
    public boolean hasTorchScript() {
        return !code.isEmpty();
    }

    /** Whether Android's pytorch_android_lite reads this file's bytecode. */
    public boolean androidReadable() {
        return kind != ModelFileKind.PTL || bytecodeVersion <= ModelFileReader.MAX_ANDROID_BYTECODE_VERSION;
    }
}
