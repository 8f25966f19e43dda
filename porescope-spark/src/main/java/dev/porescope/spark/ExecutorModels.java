package dev.porescope.spark;

import dev.porescope.cli.models.ModelLoader;
import dev.porescope.cli.support.UserException;
import dev.porescope.core.model.SegmentationModel;
import dev.porescope.core.pipeline.PoreAnalyzer;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What an executor JVM keeps between tasks: one loaded model (one ONNX Runtime session) per model
 * digest, shared by every task thread of the executor, and a heap budget that photos reserve before
 * they are decoded, so that several large photos in concurrent tasks wait for each other instead of
 * running the executor out of memory.
 */
final class ExecutorModels {
    private ExecutorModels() { }

    private static final Map<String, PoreAnalyzer> LOADED = new ConcurrentHashMap<>();
    private static final AtomicInteger LOADS = new AtomicInteger();

    /** Half the heap for photos: Spark's own memory (Parquet writers, broadcasts) gets the rest. */
    private static final int BUDGET_KB = (int) Math.min(Integer.MAX_VALUE, Runtime.getRuntime().maxMemory() / 2 / 1024);
    private static final Semaphore HEAP = new Semaphore(BUDGET_KB);

    static {
        // Spark loads the application jar in its own class loader on executors: let ImageIO find the
        // TwelveMonkeys JPEG reader there too (it registers plug-ins of the context class loader)
        ImageIO.scanForPlugins();
    }

    /** The analyzer of {@code model} in this JVM, loaded from the broadcast bytes on first use. */
    static PoreAnalyzer analyzer(ModelPayload model) {
        return LOADED.computeIfAbsent(model.digest(), digest -> new PoreAnalyzer(load(model)));
    }

    /** How many models this JVM has loaded (tests: one per executor JVM, however many tasks and batches). */
    static int loads() {
        return LOADS.get();
    }

    private static SegmentationModel load(ModelPayload model) {
        LOADS.incrementAndGet();
        if (model.bytes() == null) {
            return ModelLoader.load(model.name(), null);
        }
        try {
            Path file = Files.createTempFile("porescope-model-" + model.digest().substring(0, 16) + "-", "." + model.extension());
            file.toFile().deleteOnExit();
            Files.write(file, model.bytes());
            // one intra-op thread: Spark runs one task per core, each task thread runs its own tiles
            return ModelLoader.onnxModel(file, 1);
        } catch (IOException e) {
            throw new UserException("cannot write the model to the executor's temporary folder (" + e.getMessage()
                    + "); check java.io.tmpdir on the executors", e);
        }
    }

    /** Reserves heap for a photo of {@code bytes} bytes of working memory; release with {@link #release}. */
    static int reserve(long bytes) {
        int kb = (int) Math.min(BUDGET_KB, bytes / 1024 + 1);
        HEAP.acquireUninterruptibly(kb);
        return kb;
    }

    static void release(int kb) {
        HEAP.release(kb);
    }
}
