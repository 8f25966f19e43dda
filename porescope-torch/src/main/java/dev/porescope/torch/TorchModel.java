package dev.porescope.torch;

import dev.porescope.core.image.Plane;
import dev.porescope.core.model.RuntimeModel;
import dev.porescope.core.parity.Golden;
import dev.porescope.core.unet.UNetSpec;
import dev.porescope.torch.nativ.Torch;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.IValueVector;
import org.bytedeco.pytorch.JitModule;

import java.nio.file.Path;
import java.util.Map;

/**
 * A PoreScope {@code .pt} file served on the JVM: the file is checked in pure Java first
 * ({@link TorchFiles}), then loaded, put in eval mode and frozen as {@link #SERVING} (BatchNorm folded), then checked
 * on the golden pairs of its card. {@link #predict} runs without gradients on the calling thread
 * and is safe to call from several threads at once.
 */
public final class TorchModel extends RuntimeModel {
    private final Path file;
    private final UNetModule module;
    private final JitModule frozen;

    private TorchModel(Path file, UNetModule module, JitModule frozen) {
        super(module.card(), file.toString());
        this.file = file;
        this.module = module;
        this.frozen = frozen;
    }

    /**
     * How the server runs the network: oneDNN for every convolution, transposed ones included
     * (1.2-1.4x faster than plain freezing at 512x512 for the paper and slim specs, probabilities
     * within 1e-5; README, "Training speed").
     */
    public static final UNetModule.Serving SERVING = UNetModule.Serving.OPTIMIZED_UPCONV_CHANNELS_LAST;

    /** Loads {@code file}; a file that is not a PoreScope model, or no longer computes its golden outputs, is refused. */
    public static TorchModel load(Path file) {
        UNetModule module = UNetModule.load(file);
        TorchModel model;
        try {
            module.train(false);
            model = new TorchModel(file, module, module.frozen(SERVING));
        } catch (RuntimeException e) {
            module.close();
            throw e;
        }
        return Golden.verifiedOnLoad(model, file.toString());
    }

    @Override
    protected Plane run(Plane tile) {
        return Torch.inference("predicting a " + tile.width() + "x" + tile.height() + " tile with " + file.getFileName(), () -> {
            IValueVector input = new IValueVector(new IValue(SERVING.input(Torch.tensor(tile.values(), 1, 1, tile.height(), tile.width()))));
            return Torch.plane(frozen.forward(input).toTensor(), 0, 1);
        });
    }

    public UNetSpec spec() { return card().spec(); }

    public Path file() { return file; }

    /** Every parameter and buffer by {@link UNetSpec#parameters()} name (BatchNorm not folded), for exporters. */
    public Map<String, float[]> weights() {
        return module.weights();
    }

    /** The loaded (unfrozen, eval-mode) module, for exporters in this module. */
    public UNetModule module() { return module; }

    @Override
    protected void release() {
        frozen.close();
        module.close();
    }
}
