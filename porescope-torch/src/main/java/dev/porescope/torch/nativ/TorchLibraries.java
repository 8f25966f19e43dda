package dev.porescope.torch.nativ;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.pytorch.global.torch;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Puts all of libtorch's native libraries into JavaCPP's cache before the first one is loaded.
 *
 * <p>Why: JavaCPP loads the preset's libraries in the order {@code c10, torch, torch_cpu} and
 * extracts each one just before loading it. On an empty cache, {@code libtorch.so} is loaded
 * while its dependency {@code libtorch_cpu.so} is not yet next to it, so the dynamic linker takes
 * the first {@code libtorch_cpu.so} on the system path: on a machine with Debian's
 * {@code libtorch-dev} that is libtorch 1.13, and two libtorch versions in one process die in
 * {@code pthread_mutex_lock} (SIGSEGV) when the second registers its operators with the first's
 * dispatcher. The second run worked because the cache was full by then. With the whole folder
 * extracted first, {@code libtorch.so}'s {@code $ORIGIN} run path finds its own libraries.
 */
final class TorchLibraries {
    private TorchLibraries() { }

    /** The resource folder of this platform's libtorch libraries inside the pytorch jar. */
    static String folder() {
        return "/org/bytedeco/pytorch/" + Loader.getPlatform() + "/";
    }

    /**
     * Extracts the whole folder (a check of sizes and dates when it is already there). The class
     * literal does not initialise {@code torch}, so nothing native is loaded here.
     */
    static void extract() {
        try {
            Loader.cacheResources(torch.class, folder());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack libtorch's native libraries into JavaCPP's cache ("
                    + cacheDir() + "): " + e.getMessage()
                    + "; free disk space there or set JAVA_OPTS=-Dorg.bytedeco.javacpp.cachedir=DIR", e);
        }
    }

    private static String cacheDir() {
        try {
            return String.valueOf(Loader.getCacheDir());
        } catch (IOException e) {
            return "~/.javacpp/cache";
        }
    }
}
