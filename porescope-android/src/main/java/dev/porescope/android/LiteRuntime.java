package dev.porescope.android;

import dev.porescope.core.image.Plane;
import dev.porescope.core.model.ModelCard;
import dev.porescope.core.model.SegmentationModel;

import org.pytorch.IValue;
import org.pytorch.LiteModuleLoader;
import org.pytorch.Module;
import org.pytorch.Tensor;

import java.io.File;

/** A {@code .ptl} model on PyTorch Mobile's lite interpreter: the paper's Algorithm 2 runtime. */
final class LiteRuntime implements SegmentationModel {
    private final Module module;
    private final ModelCard card;
    private boolean closed;

    private LiteRuntime(Module module, ModelCard card) {
        this.module = module;
        this.card = card;
    }

    /** Reads and checks the card in pure Java, and only then hands the file to the native loader. */
    static LiteRuntime load(File file) {
        ModelCards.checkReadable(file);
        ModelCard card = ModelCards.parse(ModelCards.ptlCardJson(file), file, ModelFileType.PTL);
        Module module;
        try {
            module = LiteModuleLoader.load(file.getAbsolutePath());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("PyTorch Mobile cannot load " + file.getName() + " (" + e.getMessage()
                    + "); pytorch_android_lite 1.12.2 reads bytecode up to version 8", e);
        }
        return new LiteRuntime(module, card);
    }

    /** Module.forward is not documented as thread-safe, so calls are serialised. */
    @Override
    public synchronized Plane predict(Plane tile) {
        if (closed) {
            throw new IllegalStateException("the PyTorch Mobile model was closed");
        }
        int w = tile.width();
        int h = tile.height();
        Tensor input = Tensor.fromBlob(tile.values(), new long[] {1, 1, h, w});
        IValue result = module.forward(IValue.from(input));
        Tensor output = result.isTuple() ? result.toTuple()[0].toTensor() : result.toTensor();
        return ModelOutputs.poreProbability(output.getDataAsFloatArray(), output.shape(), w, h);
    }

    @Override
    public int margin() { return card.spec() == null ? 0 : card.spec().margin(); }

    @Override
    public int sizeMultiple() { return card.spec() == null ? 1 : card.spec().sizeMultiple(); }

    @Override
    public ModelCard card() { return card; }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            module.destroy();
        }
    }
}
