package dev.porescope.cli.models;

import dev.porescope.cli.support.UserException;
import dev.porescope.core.io.AtomicFiles;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The model {@code porescope analyze} uses without {@code --model}: the default network shipped in
 * the CLI jar under {@value #RESOURCE_DIR} (fp32 ONNX first: as fast as int8 for this small network
 * and identical to the server; then the server {@code .pt}
 * and the PyTorch Mobile {@code .ptl}). Runtimes need a file, so the resource is copied once into a
 * cache folder under a name that carries its digest. A build without the resource (or without a
 * loader for it) falls back to the DoG baseline with a one-line note.
 */
public final class DefaultModel {
    /** Where the default model files live in the jar. */
    public static final String RESOURCE_DIR = "/dev/porescope/cli/models/";
    /** Resource names, in order of preference. */
    public static final List<String> FILES = List.of("default.onnx", "default.pt", "default.ptl");
    /** The note printed (after {@code porescope: }) when the jar has no network model. */
    public static final String FALLBACK_NOTE = "no embedded network model in this build; using the DoG baseline";
    /** Environment variable naming the cache folder for extracted models. */
    public static final String CACHE_ENV = "PORESCOPE_CACHE";

    private final Function<String, InputStream> resources;
    private final Path cacheDir;

    /**
     * @param resources opens a resource by its full name (null when absent)
     * @param cacheDir  folder that receives the extracted model files
     */
    public DefaultModel(Function<String, InputStream> resources, Path cacheDir) {
        this.resources = resources;
        this.cacheDir = cacheDir;
    }

    /** The jar's own resources, cached under {@code $PORESCOPE_CACHE}, {@code $XDG_CACHE_HOME/porescope} or {@code ~/.cache/porescope}. */
    public static DefaultModel embedded() {
        return new DefaultModel(DefaultModel.class::getResourceAsStream, defaultCacheDir());
    }

    static Path defaultCacheDir() {
        String own = System.getenv(CACHE_ENV);
        if (own != null && !own.isBlank()) return Path.of(own);
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("porescope");
    }

    /**
     * What to give {@link ModelLoader#load}: the extracted file of the first embedded model that
     * {@link ModelLoader} can load, or {@code "dog"} after printing {@link #FALLBACK_NOTE} on
     * {@code err}.
     */
    public String resolve(PrintWriter err) {
        for (String name : FILES) {
            String extension = name.substring(name.lastIndexOf('.') + 1);
            if (!ModelLoader.loadsExtension(extension)) continue;
            Optional<Path> file = extract(name);
            if (file.isPresent()) return file.get().toString();
        }
        err.println("porescope: " + FALLBACK_NOTE);
        err.flush();
        return "dog";
    }

    /** The resource {@code name} copied into the cache (reused when an intact copy is there); empty when absent. */
    public Optional<Path> extract(String name) {
        byte[] bytes;
        try (InputStream in = resources.apply(RESOURCE_DIR + name)) {
            if (in == null) return Optional.empty();
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UserException("cannot read the embedded model " + name + " (" + e.getMessage()
                    + "); the porescope jar is damaged, build it again", e);
        }
        if (bytes.length == 0) {
            throw new UserException("the embedded model " + name + " is empty; the porescope jar is damaged, build it again");
        }
        String digest = sha256(bytes).substring(0, 16);
        int dot = name.lastIndexOf('.');
        Path file = cacheDir.resolve(name.substring(0, dot) + "-" + digest + name.substring(dot));
        try {
            // an earlier, interrupted copy has another size; a complete one is reused
            if (Files.isRegularFile(file) && Files.size(file) == bytes.length) {
                return Optional.of(file);
            }
        } catch (IOException ignored) {
            // fall through and write it again
        }
        AtomicFiles.write(file, tmp -> Files.write(tmp, bytes));
        try {
            long written = Files.size(file);
            if (written != bytes.length) {
                throw new UserException(String.format(Locale.ROOT,
                        "the embedded model copied to %s has %d bytes instead of %d; check the free disk space there (or set %s)",
                        file, written, bytes.length, CACHE_ENV));
            }
        } catch (IOException e) {
            throw new UserException("cannot check " + file + " (" + e.getMessage() + "); set " + CACHE_ENV
                    + " to a writable folder", e);
        }
        return Optional.of(file);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
