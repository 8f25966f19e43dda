package dev.porescope.android;

import dev.porescope.core.image.Plane;
import dev.porescope.core.model.RuntimeModel;
import dev.porescope.core.modelfile.ModelFile;
import dev.porescope.core.modelfile.ModelFileException;
import dev.porescope.core.modelfile.ModelFileReader;

import org.pytorch.IValue;
import org.pytorch.LiteModuleLoader;
import org.pytorch.Module;
import org.pytorch.Tensor;

import java.io.File;

/** A {@code .ptl} model on PyTorch Mobile's lite interpreter: the paper's Algorithm 2 runtime. */
final class LiteRuntime extends RuntimeModel {
    private final Module module;
    /** Module.forward is not documented as thread-safe, so calls are serialised (on a lock of their own). */
    private final Object forward = new Object();

    private LiteRuntime(ModelFile file, Module module) {
        super(file.card(), file.name());
        this.module = module;
    }

    /**
     * Hands a file that core's {@link ModelFileReader} has read and checked (archive, CRCs, card,
     * bytecode version) to the native loader, if pytorch_android_lite reads its bytecode.
     */
    static LiteRuntime load(ModelFile file) {
        if (!file.androidReadable()) {
            throw new ModelFileException(file.name() + ": has lite bytecode version " + file.bytecodeVersion()
                    + "; pytorch_android_lite 1.12.2 reads versions up to " + ModelFileReader.MAX_ANDROID_BYTECODE_VERSION
                    + ": export it again with porescope export --format ptl");
        }
        Module module;
        try {
            module = LiteModuleLoader.load(new File(file.name()).getAbsolutePath());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("PyTorch Mobile cannot load " + file.name() + " (" + e.getMessage()
                    + "); pytorch_android_lite 1.12.2 reads bytecode up to version 8", e);
        }
        return new LiteRuntime(file, module);
    }

    @Override
    protected Plane run(Plane tile) {
        int w = tile.width();
        int h = tile.height();
        Tensor output;
        synchronized (forward) {
            Tensor input = Tensor.fromBlob(tile.values(), new long[] {1, 1, h, w});
            IValue result = module.forward(IValue.from(input));
            output = result.isTuple() ? result.toTuple()[0].toTensor() : result.toTensor();
        }
        return RuntimeModel.poreChannel(output.getDataAsFloatArray(), output.shape(), w, h);
    }

    @Override
    protected void release() {
        module.destroy();
    }
}
