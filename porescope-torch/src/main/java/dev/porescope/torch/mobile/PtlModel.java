package dev.porescope.torch.mobile;

import dev.porescope.core.image.Plane;
import dev.porescope.core.model.RuntimeModel;
import dev.porescope.core.modelfile.ModelFile;
import dev.porescope.core.modelfile.ModelFileKind;
import dev.porescope.core.parity.Golden;
import dev.porescope.torch.TorchFiles;
import dev.porescope.torch.nativ.Torch;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.IValueVector;
import org.bytedeco.pytorch.JitModule;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * A {@code .ptl} (PyTorch Mobile lite) model on the JVM.
 *
 * <p>What runs: the JavaCPP presets for libtorch bind no mobile loader ({@code _load_for_mobile}
 * and {@code mobile::Module} are absent from org.bytedeco:pytorch 2.10.0-1.5.13). A {@code .ptl}
 * written by {@code _save_for_mobile} carries the frozen module twice over the same tensor data:
 * as lite bytecode ({@code bytecode.pkl}, what the phone's lite interpreter runs) and as
 * TorchScript ({@code code/}, {@code data.pkl}). This class checks the file in pure Java
 * ({@link TorchFiles#check}: core's model-file reader, then the code against the code generated
 * from the card's spec) and then loads it with {@code torch.jit.load}, so it runs the same
 * frozen graph with the same weights and ATen kernels through the full TorchScript interpreter.
 * That the bytecode computes the same thing is proven separately by the lite interpreter itself
 * (PyTorch 1.13's {@code torch.jit.mobile._load_for_lite_interpreter}, the phone's runtime code)
 * on the golden pairs in the card: see {@code interop/}.
 */
public final class PtlModel extends RuntimeModel {

    private final ModelFile file;
    private final JitModule module;

    private PtlModel(ModelFile file, JitModule module) {
        super(file.card(), file.name());
        this.file = file;
        this.module = module;
    }

    /**
     * Opens a {@code .ptl}. The file is checked before any native call (zip intact, lite
     * bytecode, PoreScope card with runtime "ptl", generated code); after loading, it must
     * reproduce the golden pairs of its card.
     */
    public static PtlModel open(Path path) {
        ModelFile info = TorchFiles.check(path, ModelFileKind.PTL);
        if (!info.hasTorchScript()) {
            throw Cards.bad(path, "this .ptl holds only lite bytecode (no code/ and data.pkl),"
                    + " which the JVM cannot run: export it again with 'porescope export --format ptl'");
        }
        Torch.init();
        JitModule module;
        try {
            module = torch.load(path.toString());
            module.eval();
        } catch (RuntimeException e) {
            throw Cards.bad(path, "libtorch could not load it: " + e.getMessage().lines().findFirst().orElse("")
                    + "; export it again", Torch.error("loading " + path, e));
        }
        return Golden.verifiedOnLoad(new PtlModel(info, module), path.toString(), "the network does not match its model card");
    }

    /** What the file says about itself (card, bytecode version). */
    public ModelFile file() { return file; }

    @Override
    protected Plane run(Plane tile) {
        return poreProbability(module, tile, card().spec().classes());
    }

    /**
     * Pore probability of {@code tile} from a PoreScope module whose forward returns class
     * probabilities [1, classes, H, W]: channel 1.
     */
    static Plane poreProbability(JitModule module, Plane tile, int classes) {
        int w = tile.width();
        int h = tile.height();
        return Torch.inference("running the .ptl model", () -> {
            IValue out = module.forward(new IValueVector(new IValue(Torch.tensor(tile.values(), 1, 1, h, w))));
            if (!out.isTensor()) throw new IllegalStateException("model output is not a tensor");
            Tensor y = out.toTensor();
            long[] shape = Torch.shape(y);
            if (!Arrays.equals(shape, new long[]{1, classes, h, w})) {
                throw new IllegalStateException("model output has shape " + Arrays.toString(shape) + ", expected "
                        + Arrays.toString(new long[]{1, classes, h, w}));
            }
            return Torch.plane(y, 0, 1);
        });
    }

    @Override
    protected void release() {
        module.close();
    }
}
