package dev.porescope.torch;

import dev.porescope.core.model.ModelCard;
import dev.porescope.core.modelfile.ModelFile;
import dev.porescope.core.modelfile.ModelFileException;
import dev.porescope.core.modelfile.ModelFileKind;
import dev.porescope.core.modelfile.ModelFileReader;
import dev.porescope.core.unet.UNetSpec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;

/**
 * What libtorch may open: a {@code .pt}/{@code .ptl} that core's pure-Java {@link ModelFileReader}
 * accepts as the expected kind, whose TorchScript code is the code PoreScope generates from its
 * card's spec ({@link GeneratedCode}). A file that fails never reaches {@code torch.load}.
 */
public final class TorchFiles {
    private static final String PYTORCH_VERSION = loadVersion();

    private TorchFiles() { }

    /** The org.bytedeco:pytorch version this build runs (the parent pom's one {@code pytorch.version}). */
    public static String pytorchVersion() { return PYTORCH_VERSION; }

    /** Reads and checks {@code file} as a model of {@code kind}; {@link ModelFileException} otherwise. */
    public static ModelFile check(Path file, ModelFileKind kind) {
        ModelFile f = ModelFileReader.read(file);
        if (kind == ModelFileKind.PTL && f.kind() == ModelFileKind.TORCHSCRIPT) {
            throw new ModelFileException(file + ": is a TorchScript server model, not a PyTorch Mobile lite-interpreter file"
                    + " (no bytecode.pkl inside); export it with 'porescope export --format ptl'");
        }
        if (f.kind() != kind) {
            throw new ModelFileException(file + ": is " + f.kind().aDescription() + ", not " + kind.aDescription()
                    + "; use a ." + kind.extension() + " file");
        }
        GeneratedCode.check(f);
        return f;
    }

    /** The card of a server {@code .pt}, after {@link #check}. */
    public static ModelCard serverCard(Path file) {
        return check(file, ModelFileKind.TORCHSCRIPT).card();
    }

    /**
     * Checks that a module's tensors are exactly the spec's parameters and buffers (names and
     * shapes), so that a card cannot describe weights other than the ones in the file.
     */
    static void checkTensors(Path file, UNetSpec spec, Map<String, long[]> shapes) {
        for (UNetSpec.Param p : spec.parameters()) {
            long[] actual = shapes.get(p.name());
            if (actual == null) {
                throw new ModelFileException(file + ": its card says spec '" + spec.name() + "' but the module has no tensor '"
                        + p.name() + "'; card and weights do not match");
            }
            if (!Arrays.equals(actual, p.shape())) {
                throw new ModelFileException(file + ": tensor '" + p.name() + "' has shape " + Arrays.toString(actual)
                        + " but spec '" + spec.name() + "' needs " + Arrays.toString(p.shape()) + "; card and weights do not match");
            }
        }
        long expected = spec.parameters().size();
        if (shapes.size() != expected) {
            throw new ModelFileException(file + ": the module holds " + shapes.size() + " tensors but spec '" + spec.name()
                    + "' has " + expected + "; card and weights do not match");
        }
    }

    private static String loadVersion() {
        try (InputStream in = TorchFiles.class.getResourceAsStream("versions.properties")) {
            Properties p = new Properties();
            if (in != null) p.load(in);
            return p.getProperty("pytorch.version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
