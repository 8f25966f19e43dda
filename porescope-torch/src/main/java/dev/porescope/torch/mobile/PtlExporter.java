package dev.porescope.torch.mobile;

import dev.porescope.core.image.Plane;
import dev.porescope.core.model.ModelCard;
import dev.porescope.core.unet.UNetSpec;
import dev.porescope.core.json.FloatCodec;
import dev.porescope.core.modelfile.ModelFile;
import dev.porescope.core.modelfile.ModelFileKind;
import dev.porescope.core.modelfile.ModelFileReader;
import dev.porescope.core.parity.Golden;
import dev.porescope.torch.TorchFiles;
import dev.porescope.torch.UNetModule;
import dev.porescope.torch.nativ.Torch;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.pytorch.ExtraFilesMap;
import org.bytedeco.pytorch.JitModule;
import org.bytedeco.pytorch.StringVectorOptional;
import org.bytedeco.pytorch.global.torch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The paper's Algorithm 1 from Java: a PoreScope TorchScript model to a PyTorch Mobile
 * lite-interpreter file ({@code .ptl}) that Android's {@code LiteModuleLoader.load(path)} reads.
 *
 * <p>Steps: {@code eval()}; {@code torch.freeze} (inlines the weights and folds BatchNorm into the
 * convolutions); golden input/output pairs computed by the server model; {@code _save_for_mobile}
 * with the model card (runtime "ptl", golden pairs) as the extra file {@code porescope.json}, to a
 * temporary file; check its bytecode version (at most {@value ModelFileReader#MAX_ANDROID_BYTECODE_VERSION});
 * load it back and compare with the server model on the golden inputs and one non-square input;
 * only then rename it to its final name.
 */
public final class PtlExporter {

    /** Largest accepted |ptl - server| on the verification inputs. */
    public static final double DEFAULT_TOLERANCE = 1e-4;

    /**
     * What an export produced.
     *
     * @param file            the written {@code .ptl}
     * @param bytecodeVersion lite bytecode version read back from the file
     * @param maxAbsDiff      largest |ptl - server| over the verification inputs
     * @param samples         verification inputs compared
     * @param goldenPairs     golden pairs stored in the card
     * @param bytes           file size
     */
    public record Result(Path file, long bytecodeVersion, double maxAbsDiff, int samples, int goldenPairs, long bytes) {
        /** One line for the export command to print. */
        public String describe() {
            return String.format(java.util.Locale.ROOT,
                    "%s: PyTorch Mobile lite bytecode v%d (Android pytorch_android_lite 1.12/1.13 reads <= %d), %.1f kB,"
                            + " max |ptl - server| = %.2g over %d inputs, %d golden pairs in the card",
                    file, bytecodeVersion, ModelFileReader.MAX_ANDROID_BYTECODE_VERSION, bytes / 1024.0, maxAbsDiff, samples,
                    goldenPairs);
        }
    }

    private final double tolerance;

    public PtlExporter() { this(DEFAULT_TOLERANCE); }

    public PtlExporter(double tolerance) { this.tolerance = tolerance; }

    /**
     * Exports the PoreScope TorchScript model {@code serverPt} to {@code out}. Its card is read and
     * checked in pure Java before libtorch opens the file, and its tensors are checked against the
     * card's spec after.
     */
    public Result export(Path serverPt, Path out) {
        ModelCard card = TorchFiles.serverCard(serverPt);
        try (UNetModule server = UNetModule.load(serverPt)) {
            return export(server, card, out);
        }
    }

    /**
     * Exports {@code server} described by {@code card} to {@code out}. The module runs in eval
     * mode during the export; its training mode is restored afterwards.
     */
    public Result export(UNetModule server, ModelCard card, Path out) {
        boolean wasTraining = server.isTraining();
        server.train(false);
        try {
            return exportEval(server.jit(), card, out);
        } finally {
            server.train(wasTraining);
        }
    }

    private Result exportEval(JitModule server, ModelCard card, Path out) {
        UNetSpec spec = card.spec();
        if (spec == null) throw new IllegalArgumentException("card '" + card.name() + "' has no network spec");

        // Golden pairs (core's one input recipe) and one non-square input, all computed by the server model.
        List<Plane> inputs = new ArrayList<>(Golden.inputs(card));
        inputs.add(nonSquareInput(spec, card.seed()));
        List<Plane> expected = new ArrayList<>();
        for (Plane in : inputs) expected.add(PtlModel.poreProbability(server, in, spec.classes()));
        List<ModelCard.GoldenPair> golden = new ArrayList<>();
        for (int i = 0; i < Golden.COUNT; i++) {
            Plane in = inputs.get(i);
            golden.add(new ModelCard.GoldenPair(in.width(), in.height(), FloatCodec.encode(in.values()),
                    FloatCodec.encode(expected.get(i).values())));
        }
        ModelCard ptlCard = withExportDetails(card.withRuntime(ModelCard.RUNTIME_PTL, ModelCard.FP32).withGolden(golden));

        // Written under its final name inside a hidden temporary folder next to the target (torch
        // names the zip's top folder after the file), checked there, then renamed into place.
        Path target = out.toAbsolutePath();
        Path tmpDir;
        try {
            Files.createDirectories(target.getParent());
            tmpDir = Files.createTempDirectory(target.getParent(), ".ptl-export-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
        }
        Path tmp = tmpDir.resolve(target.getFileName());
        try {
            String json = Cards.asciiJson(ptlCard);
            Torch.run("writing " + out, () -> {
                JitModule frozen = torch.freeze(server, new StringVectorOptional(), true);
                ExtraFilesMap extra = new ExtraFilesMap();
                extra.put(new BytePointer(ModelCard.FILE_NAME), json);
                frozen._save_for_mobile(tmp.toString(), extra, false, false);
            });
            ModelFile written = TorchFiles.check(tmp, ModelFileKind.PTL);
            if (!written.androidReadable()) {
                throw new IllegalStateException("libtorch wrote lite bytecode version " + written.bytecodeVersion()
                        + "; Android's pytorch_android_lite 1.12/1.13 reads at most "
                        + ModelFileReader.MAX_ANDROID_BYTECODE_VERSION + "; nothing was written");
            }
            double maxDiff = 0;
            try (PtlModel back = PtlModel.open(tmp)) {
                for (int i = 0; i < inputs.size(); i++) {
                    maxDiff = Math.max(maxDiff, Golden.maxAbsDifference(back.predict(inputs.get(i)).values(),
                            expected.get(i).values()));
                }
            }
            if (!(maxDiff <= tolerance)) {
                throw new IllegalStateException("the exported .ptl differs from the server model by " + maxDiff
                        + " (tolerance " + tolerance + "); nothing was written");
            }
            long bytes = Files.size(tmp);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return new Result(out, written.bytecodeVersion(), maxDiff, inputs.size(), golden.size(), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
                Files.deleteIfExists(tmpDir);
            } catch (IOException ignored) {
                // best effort: the temporary folder is hidden and the final name is never half-written
            }
        }
    }

    private static ModelCard withExportDetails(ModelCard c) {
        return c.withExtra(Map.of("ptl.frozen", "true",
                        "ptl.bytecode_version", Long.toString(torch.kProducedBytecodeVersion())))
                .withLibraries(Map.of(ModelCard.LIBRARY_PYTORCH, TorchFiles.pytorchVersion()));
    }

    /** A non-square tile of standard-normal noise, deterministic from {@code seed}: checks more than the golden shape. */
    static Plane nonSquareInput(UNetSpec spec, long seed) {
        int m = spec.sizeMultiple();
        int side = (Golden.SIDE + m - 1) / m * m;
        Random random = new Random(seed ^ 0x5eedL);
        Plane wide = new Plane(side + 2 * m, Math.max(m, side / 2 / m * m));
        float[] w = wide.values();
        for (int i = 0; i < w.length; i++) w[i] = (float) random.nextGaussian();
        return wide;
    }
}
