package dev.porescope.torch.mobile;

import dev.porescope.core.image.Plane;
import dev.porescope.core.io.AtomicFiles;
import dev.porescope.core.model.ModelCard;
import dev.porescope.core.unet.UNetSpec;
import dev.porescope.torch.ModelFiles;
import dev.porescope.torch.UNetModule;
import dev.porescope.torch.nativ.Torch;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.pytorch.ExtraFilesMap;
import org.bytedeco.pytorch.JitModule;
import org.bytedeco.pytorch.StringVectorOptional;
import org.bytedeco.pytorch.global.torch;

import java.nio.file.Files;
import java.nio.file.Path;
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
 * temporary file; check its bytecode version (at most {@value PtlFile#MAX_ANDROID_BYTECODE_VERSION});
 * load it back and compare with the server model on the golden inputs and one non-square input;
 * only then rename it to its final name.
 */
public final class PtlExporter {

    /** Largest accepted |ptl - server| on the verification inputs. */
    public static final double DEFAULT_TOLERANCE = 1e-4;
    /** Side of the golden tiles (rounded up to the spec's size multiple). */
    static final int GOLDEN_SIDE = 64;

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
                    file, bytecodeVersion, PtlFile.MAX_ANDROID_BYTECODE_VERSION, bytes / 1024.0, maxAbsDiff, samples,
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
        ModelCard card = ModelFiles.readCard(serverPt);
        if (!"torchscript".equals(card.runtime())) {
            throw Cards.bad(serverPt, "its model card says runtime '" + card.runtime()
                    + "'; export from the server model (.pt, runtime 'torchscript')");
        }
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

        // Golden pairs and one non-square input, all computed by the server model.
        List<Plane> inputs = sampleInputs(spec, card.seed());
        List<Plane> expected = new ArrayList<>();
        for (Plane in : inputs) expected.add(PtlModel.poreProbability(server, in, spec.classes()));
        List<ModelCard.GoldenPair> golden = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Plane in = inputs.get(i);
            golden.add(new ModelCard.GoldenPair(in.width(), in.height(), Cards.encode(in.values()),
                    Cards.encode(expected.get(i).values())));
        }
        ModelCard ptlCard = withExportDetails(card.withRuntime(PtlFile.RUNTIME, "fp32").withGolden(golden));

        // Written under its final name inside a hidden temporary folder next to the target (torch
        // names the zip's top folder after the file), checked there, then renamed into place.
        String json = Cards.asciiJson(ptlCard);
        Result[] result = new Result[1];
        AtomicFiles.write(out, 4 * spec.parameterCount(), tmp -> {
            Torch.run("writing " + out, () -> {
                JitModule frozen = torch.freeze(server, new StringVectorOptional(), true);
                ExtraFilesMap extra = new ExtraFilesMap();
                extra.put(new BytePointer(ModelCard.FILE_NAME), json);
                frozen._save_for_mobile(tmp.toString(), extra, false, false);
            });
            PtlFile written = PtlFile.inspect(tmp);
            if (!written.androidReadable()) {
                throw new IllegalStateException("libtorch wrote lite bytecode version " + written.bytecodeVersion()
                        + "; Android's pytorch_android_lite 1.12/1.13 reads at most "
                        + PtlFile.MAX_ANDROID_BYTECODE_VERSION + "; nothing was written");
            }
            double maxDiff = 0;
            try (PtlModel back = PtlModel.open(tmp)) {
                for (int i = 0; i < inputs.size(); i++) {
                    maxDiff = Math.max(maxDiff, PtlModel.maxAbsDiff(back.predict(inputs.get(i)).values(),
                            expected.get(i).values()));
                }
            }
            if (!(maxDiff <= tolerance)) {
                throw new IllegalStateException("the exported .ptl differs from the server model by " + maxDiff
                        + " (tolerance " + tolerance + "); nothing was written");
            }
            result[0] = new Result(out, written.bytecodeVersion(), maxDiff, inputs.size(), golden.size(), Files.size(tmp));
        });
        return result[0];
    }

    private static ModelCard withExportDetails(ModelCard c) {
        Map<String, String> extra = new LinkedHashMap<>(c.extra() == null ? Map.of() : c.extra());
        extra.put("ptl.frozen", "true");
        extra.put("ptl.bytecode_version", Long.toString(torch.kProducedBytecodeVersion()));
        Map<String, String> libraries = new LinkedHashMap<>(c.libraries() == null ? Map.of() : c.libraries());
        libraries.put("org.bytedeco:pytorch", "2.10.0-1.5.13");
        return new ModelCard(c.format(), c.name(), c.spec(), c.preprocessing(), c.threshold(), c.minArea(),
                c.runtime(), c.precision(), c.dataDigest(), c.seed(), c.steps(), c.validation(), libraries,
                c.golden(), extra);
    }

    /**
     * Inputs the server and the {@code .ptl} are compared on, deterministic from {@code seed}:
     * two golden tiles (standard-normal noise; dark blobs on a textured background, standardised)
     * and one non-square tile.
     */
    static List<Plane> sampleInputs(UNetSpec spec, long seed) {
        int m = spec.sizeMultiple();
        int side = (GOLDEN_SIDE + m - 1) / m * m;
        Random random = new Random(seed ^ 0x5eedL);
        Plane noise = new Plane(side, side);
        float[] v = noise.values();
        for (int i = 0; i < v.length; i++) v[i] = (float) random.nextGaussian();

        Plane blobs = new Plane(side, side);
        float[] b = blobs.values();
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                b[y * side + x] = (float) (0.6 + 0.05 * Math.sin(x * 0.3) * Math.cos(y * 0.2) + 0.02 * random.nextGaussian());
            }
        }
        for (int k = 0; k < 12; k++) {
            double cx = random.nextDouble() * side;
            double cy = random.nextDouble() * side;
            double r = 1.5 + 2.5 * random.nextDouble();
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    double d2 = ((x - cx) * (x - cx) + (y - cy) * (y - cy)) / (r * r);
                    b[y * side + x] -= (float) (0.25 * Math.exp(-d2));
                }
            }
        }
        standardize(b);

        Plane wide = new Plane(side + 2 * m, Math.max(m, side / 2 / m * m));
        float[] w = wide.values();
        for (int i = 0; i < w.length; i++) w[i] = (float) random.nextGaussian();
        return List.of(noise, blobs, wide);
    }

    private static void standardize(float[] v) {
        double sum = 0;
        double sq = 0;
        for (float f : v) { sum += f; sq += (double) f * f; }
        double mean = sum / v.length;
        double std = Math.sqrt(Math.max(sq / v.length - mean * mean, 1e-12));
        for (int i = 0; i < v.length; i++) v[i] = (float) ((v[i] - mean) / std);
    }
}
