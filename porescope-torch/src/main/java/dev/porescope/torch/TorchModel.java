package dev.porescope.torch;

import dev.porescope.core.image.Plane;
import dev.porescope.core.model.ModelCard;
import dev.porescope.core.model.SegmentationModel;
import dev.porescope.core.unet.UNetSpec;
import dev.porescope.torch.nativ.Torch;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.IValueVector;
import org.bytedeco.pytorch.JitModule;
import org.bytedeco.pytorch.global.torch;

import java.nio.file.Path;
import java.util.Map;

/**
 * A PoreScope {@code .pt} file served on the JVM: the file is checked in pure Java first, then
 * loaded, put in eval mode and frozen (BatchNorm folded). {@link #predict} runs without
 * gradients on the calling thread and is safe to call from several threads at once.
 */
public final class TorchModel implements SegmentationModel {
    private final Path file;
    private final UNetModule module;
    private final JitModule frozen;
    private final ModelCard card;
    private volatile boolean closed;

    private TorchModel(Path file, UNetModule module, JitModule frozen) {
        this.file = file;
        this.module = module;
        this.frozen = frozen;
        this.card = module.card();
    }

    /** Loads {@code file}; a file that is not a PoreScope model is refused before libtorch sees it. */
    public static TorchModel load(Path file) {
        UNetModule module = UNetModule.load(file);
        try {
            module.train(false);
            JitModule frozen;
            try {
                frozen = torch.freeze(module.jit());
            } catch (RuntimeException e) {
                throw Torch.error("freezing " + file, e);
            }
            return new TorchModel(file, module, frozen);
        } catch (RuntimeException e) {
            module.close();
            throw e;
        }
    }

    @Override
    public Plane predict(Plane tile) {
        if (closed) throw new IllegalStateException(file + " is closed");
        int m = sizeMultiple();
        if (tile.width() % m != 0 || tile.height() % m != 0) {
            throw new IllegalArgumentException("tile " + tile.width() + "x" + tile.height() + " is not a multiple of " + m
                    + " for model " + file.getFileName());
        }
        return Torch.inference("predicting a " + tile.width() + "x" + tile.height() + " tile with " + file.getFileName(), () -> {
            IValueVector input = new IValueVector(new IValue(Torch.tensor(tile.values(), 1, 1, tile.height(), tile.width())));
            return Torch.plane(frozen.forward(input).toTensor(), 0, 1);
        });
    }

    @Override
    public int margin() { return spec().margin(); }

    @Override
    public int sizeMultiple() { return spec().sizeMultiple(); }

    @Override
    public ModelCard card() { return card; }

    public UNetSpec spec() { return card.spec(); }

    public Path file() { return file; }

    /** Every parameter and buffer by {@link UNetSpec#parameters()} name (BatchNorm not folded), for exporters. */
    public Map<String, float[]> weights() {
        return module.weights();
    }

    /** The loaded (unfrozen, eval-mode) module, for exporters in this module. */
    public UNetModule module() { return module; }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        frozen.close();
        module.close();
    }
}
