package dev.porescope.torch.nativ;

import dev.porescope.core.image.Plane;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import java.util.List;
import java.util.function.Supplier;

/**
 * The one place that knows libtorch's JavaCPP habits: thread set-up (once, before any work),
 * one {@link PointerScope} per unit of work so that temporaries are freed when it ends, no-grad
 * per thread for inference, float arrays in and out of tensors, and readable errors.
 *
 * <p>Objects that must outlive a unit of work (modules, optimizers, parameter lists) are created
 * outside {@link #step}/{@link #inference} and closed by their owners.
 */
public final class Torch {
    private static final System.Logger LOG = System.getLogger("dev.porescope.torch");
    /** System property that sets the intra-op thread count (default: available processors). */
    public static final String THREADS_PROPERTY = "porescope.threads";

    /** libtorch's switch for transparent huge pages in its CPU allocator. */
    static final String THP_ENV = "THP_MEM_ALLOC_ENABLE";

    private static volatile int threads;

    static {
        TorchLibraries.extract(); // before any libtorch class loads its libraries (first run on an empty cache)
    }

    private Torch() { }

    /**
     * Sets libtorch's thread counts once ({@code requestedThreads <= 0}: {@value #THREADS_PROPERTY} or all
     * cores); libtorch cannot change them later, so later calls with another count are ignored with a warning.
     */
    public static synchronized void init(int requestedThreads) {
        if (threads != 0 && requestedThreads <= 0) {
            return; // "the default" once set up is whatever was set up
        }
        int n = requestedThreads > 0 ? requestedThreads : defaultThreads();
        if (threads != 0) {
            if (n != threads) {
                LOG.log(System.Logger.Level.WARNING, "libtorch already runs on " + threads + " threads; ignoring " + n);
            }
            return;
        }
        try {
            // Before libtorch's first allocation (it reads this once): buffers of 2 MB and more get
            // transparent huge pages (madvise), where every pass of a large image otherwise faults in
            // its fresh activations 4 KB at a time (paper spec at 512x512: 1.3x faster; README,
            // "Training speed"). Results are unchanged; a setting in the environment wins.
            torch.set_env(THP_ENV, "1", false);
            torch.set_num_threads(n);
            torch.set_num_interop_threads(1);
        } catch (RuntimeException e) {
            throw error("setting libtorch threads", e);
        }
        threads = n;
    }

    /** Sets up threads from {@value #THREADS_PROPERTY} (or all cores) unless already done. */
    public static void init() {
        if (threads == 0) init(0);
    }

    /** Threads libtorch uses (after {@link #init}). */
    public static int threads() {
        init();
        return threads;
    }

    private static int defaultThreads() {
        String p = System.getProperty(THREADS_PROPERTY);
        if (p != null && !p.isBlank()) {
            try {
                return Math.max(1, Integer.parseInt(p.strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(THREADS_PROPERTY + " must be a whole number, got '" + p + "'");
            }
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * Runs one unit of work (a training step, a save) inside its own pointer scope: every native
     * object made inside is freed at the end, so results must leave as Java values.
     */
    public static <T> T step(String doing, Supplier<T> work) {
        init();
        try (PointerScope ignored = new PointerScope()) {
            return work.get();
        } catch (TorchException e) {
            throw e;
        } catch (RuntimeException e) {
            if (isNative(e)) throw error(doing, e);
            throw e;
        }
    }

    /** {@link #step} without a result. */
    public static void run(String doing, Runnable work) {
        step(doing, () -> {
            work.run();
            return null;
        });
    }

    /** Inference on the calling thread: its own scope and no-grad mode (grad mode is per thread). */
    public static <T> T inference(String doing, Supplier<T> work) {
        return step(doing, () -> {
            try (NoGradGuard noGrad = new NoGradGuard()) {
                return work.get();
            }
        });
    }

    /** Wraps a libtorch failure with what was being done, and logs libtorch's whole message. */
    public static TorchException error(String doing, RuntimeException e) {
        LOG.log(System.Logger.Level.ERROR, "libtorch failed while " + doing + ":\n" + e.getMessage());
        return new TorchException(doing, e);
    }

    /** JavaCPP reports C++ exceptions as plain RuntimeExceptions, without a Java subclass. */
    private static boolean isNative(RuntimeException e) {
        return e.getClass() == RuntimeException.class;
    }

    // ---- conversion ------------------------------------------------------------------------

    /** A float32 tensor of {@code shape} holding a copy of {@code values}. */
    public static Tensor tensor(float[] values, long... shape) {
        long n = 1;
        for (long d : shape) n *= d;
        if (n != values.length) {
            throw new IllegalArgumentException("tensor of shape " + java.util.Arrays.toString(shape) + " needs " + n + " values, got " + values.length);
        }
        Tensor t = torch.empty(shape);
        new FloatPointer(t.data_ptr_float()).capacity(values.length).put(values);
        return t;
    }

    /** The values of a float32 tensor, row-major. */
    public static float[] floats(Tensor t) {
        Tensor c = t.contiguous();
        int n = Math.toIntExact(c.numel());
        float[] out = new float[n];
        new FloatPointer(c.data_ptr_float()).capacity(n).get(out);
        return out;
    }

    /** The shape of a tensor. */
    public static long[] shape(Tensor t) {
        long[] s = new long[(int) t.dim()];
        for (int i = 0; i < s.length; i++) s[i] = t.size(i);
        return s;
    }

    /** Planes of one size as an [N, 1, H, W] tensor. */
    public static Tensor batch(List<Plane> planes) {
        Plane first = planes.get(0);
        int w = first.width();
        int h = first.height();
        float[] all = new float[planes.size() * w * h];
        for (int i = 0; i < planes.size(); i++) {
            Plane p = planes.get(i);
            if (!p.sameSize(w, h)) {
                throw new IllegalArgumentException("batch planes differ in size: " + first + " and " + p);
            }
            System.arraycopy(p.values(), 0, all, i * w * h, w * h);
        }
        return tensor(all, planes.size(), 1, h, w);
    }

    /** Channel {@code channel} of item {@code index} of an [N, C, H, W] tensor. */
    public static Plane plane(Tensor t, int index, int channel) {
        int h = (int) t.size(2);
        int w = (int) t.size(3);
        return new Plane(w, h, floats(t.select(0, index).select(0, channel)));
    }
}
