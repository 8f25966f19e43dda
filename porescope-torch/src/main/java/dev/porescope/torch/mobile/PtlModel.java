package dev.porescope.torch.mobile;

import dev.porescope.core.image.Plane;
import dev.porescope.core.model.ModelCard;
import dev.porescope.core.model.SegmentationModel;
import dev.porescope.core.unet.UNetSpec;
import dev.porescope.torch.nativ.Torch;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.IValueVector;
import org.bytedeco.pytorch.JitModule;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A {@code .ptl} (PyTorch Mobile lite) model on the JVM.
 *
 * <p>What runs: the JavaCPP presets for libtorch bind no mobile loader ({@code _load_for_mobile}
 * and {@code mobile::Module} are absent from org.bytedeco:pytorch 2.10.0-1.5.13). A {@code .ptl}
 * written by {@code _save_for_mobile} carries the frozen module twice over the same tensor data:
 * as lite bytecode ({@code bytecode.pkl}, what the phone's lite interpreter runs) and as
 * TorchScript ({@code code/}, {@code data.pkl}). This class checks the file in pure Java
 * ({@link PtlFile#inspect}) and then loads it with {@code torch.jit.load}, so it runs the same
 * frozen graph with the same weights and ATen kernels through the full TorchScript interpreter.
 * That the bytecode computes the same thing is proven separately by the lite interpreter itself
 * (PyTorch 1.13's {@code torch.jit.mobile._load_for_lite_interpreter}, the phone's runtime code)
 * on the golden pairs in the card: see {@code interop/}.
 */
public final class PtlModel implements SegmentationModel {

    private final PtlFile file;
    private final JitModule module;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed;

    private PtlModel(PtlFile file, JitModule module) {
        this.file = file;
        this.module = module;
    }

    /**
     * Opens a {@code .ptl}. The file is checked before any native call (zip intact, lite
     * bytecode, PoreScope card with runtime "ptl"); then the output shape is checked against
     * the card's spec on one small input.
     */
    public static PtlModel open(Path path) {
        PtlFile info = PtlFile.inspect(path);
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
        PtlModel model = new PtlModel(info, module);
        try {
            int side = 2 * info.card().spec().sizeMultiple();
            model.predict(new Plane(side, side));
        } catch (RuntimeException e) {
            model.close();
            throw Cards.bad(path, "the network does not match its model card: " + e.getMessage(), e);
        }
        return model;
    }

    /** What the file says about itself (card, bytecode version). */
    public PtlFile file() { return file; }

    @Override
    public Plane predict(Plane tile) {
        int m = sizeMultiple();
        if (tile.width() % m != 0 || tile.height() % m != 0) {
            throw new IllegalArgumentException("tile " + tile.width() + "x" + tile.height()
                    + " is not a multiple of " + m + " on each side");
        }
        lock.readLock().lock();
        try {
            if (closed) throw new IllegalStateException(file.file() + ": model is closed");
            return poreProbability(module, tile, spec().classes());
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Runs the golden inputs of the card and returns the largest absolute difference from the
     * server model's outputs stored with them; NaN when the card has no golden pairs.
     */
    public double goldenMaxDiff() {
        List<ModelCard.GoldenPair> golden = file.card().golden();
        if (golden == null || golden.isEmpty()) return Double.NaN;
        double max = 0;
        for (ModelCard.GoldenPair g : golden) {
            Plane out = predict(new Plane(g.width(), g.height(), Cards.decode(g.input())));
            max = Math.max(max, maxAbsDiff(out.values(), Cards.decode(g.probability())));
        }
        return max;
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

    static double maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) throw new IllegalArgumentException("sizes differ: " + a.length + " vs " + b.length);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            double d = Math.abs((double) a[i] - b[i]);
            if (!(d <= max)) max = d;   // NaN counts as the largest difference
        }
        return max;
    }

    @Override
    public int margin() { return spec().margin(); }

    @Override
    public int sizeMultiple() { return spec().sizeMultiple(); }

    private UNetSpec spec() { return file.card().spec(); }

    @Override
    public ModelCard card() { return file.card(); }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                module.close();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
