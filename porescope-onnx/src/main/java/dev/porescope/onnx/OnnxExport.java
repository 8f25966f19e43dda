package dev.porescope.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.porescope.core.image.Plane;
import dev.porescope.core.io.AtomicFiles;
import dev.porescope.core.model.ModelCard;
import dev.porescope.core.model.ModelCard.GoldenPair;
import dev.porescope.core.unet.UNetSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * {@code porescope export --format onnx|ort}: trained weights + model card to an ONNX file, and an
 * ONNX file to ONNX Runtime's mobile format. Every file written carries the card (runtime,
 * precision) and golden input/output pairs, and is loaded back and checked against them before
 * it replaces {@code out} (written to a temporary name, then renamed).
 */
public final class OnnxExport {

    /** Golden pairs made when the card brings none: this many tiles of this side. */
    static final int GOLDEN_COUNT = 2;
    static final int GOLDEN_SIDE = 64;
    /** Card extra keys written by the export. */
    public static final String EXTRA_GOLDEN_MAX_DIFF = "golden_max_diff";
    public static final String EXTRA_OPSET = "onnx_opset";
    public static final String EXTRA_CALIBRATION_TILES = "int8_calibration_tiles";
    public static final String EXTRA_KEEP_FLOAT = "int8_keep_float";
    /**
     * Layers an int8 export keeps in float unless told otherwise (see {@link OnnxWriter#keepFloatLayers}):
     * the first conv (it alone reads the unquantized photo) and the last decoder conv + head.
     */
    public static final String DEFAULT_KEEP_FLOAT = "first,last";

    private OnnxExport() { }

    /**
     * Writes {@code out} (.onnx) and returns the card written into it.
     *
     * @param card        the trained model's card (spec, preprocessing, threshold, provenance); its
     *                    golden pairs, if any, are the server's and are kept; otherwise pairs are
     *                    made from the fp32 graph on calibration tiles or a seeded test pattern
     * @param weights     parameters by {@link UNetSpec#parameters()} name
     * @param calibration preprocessed photos; needed for int8, ignored otherwise
     */
    public static ModelCard export(ModelCard card, Map<String, float[]> weights, Precision precision,
                                   List<Plane> calibration, Path out) {
        return export(card, weights, precision, calibration, DEFAULT_KEEP_FLOAT, out);
    }

    /**
     * As {@link #export(ModelCard, Map, Precision, List, Path)}, with the int8 layers to keep in
     * float ({@code first}, {@code last}, {@code none} or layer names, comma-separated; ignored
     * for fp32 and fp16).
     */
    public static ModelCard export(ModelCard card, Map<String, float[]> weights, Precision precision,
                                   List<Plane> calibration, String keepFloat, Path out) {
        if (card == null || card.spec() == null) {
            throw new IllegalArgumentException("model card has no network spec; only U-Net models can be exported to ONNX");
        }
        if (precision == Precision.INT8 && (calibration == null || calibration.isEmpty())) {
            throw new IllegalArgumentException("int8 export needs calibration photos, got none; pass --calibration DIR with photos");
        }
        OnnxWriter writer = new OnnxWriter(card.spec(), weights);
        Map<String, Calibration.Range> ranges = Map.of();
        List<Plane> tiles = List.of();
        if (precision == Precision.INT8) {
            tiles = Calibration.tiles(calibration, card.spec().sizeMultiple());
            ranges = Calibration.measure(writer, calibration, OnnxModel.DEFAULT_THREADS);
        }
        java.util.Set<String> keep = precision == Precision.INT8
                ? OnnxWriter.keepFloatLayers(card.spec(), keepFloat) : java.util.Set.of();
        ModelProto model = writer.model(precision, ranges, keep);

        List<GoldenPair> golden = card.golden() != null && !card.golden().isEmpty()
                ? card.golden() : goldenPairs(writer.fp32(), card.spec(), calibration);
        double diff = maxDifference(model.toByteArray(), card.spec(), golden);

        Map<String, String> extra = new LinkedHashMap<>(card.extra() == null ? Map.of() : card.extra());
        extra.put(EXTRA_OPSET, Long.toString(OnnxWriter.OPSET));
        extra.put(EXTRA_GOLDEN_MAX_DIFF, String.format(Locale.ROOT, "%.6g", diff));
        if (precision == Precision.INT8) {
            extra.put(EXTRA_CALIBRATION_TILES, Integer.toString(tiles.size()));
            extra.put(EXTRA_KEEP_FLOAT, keep.isEmpty() ? "none" : String.join(",", keep));
        }
        ModelCard written = withExtra(card.withRuntime("onnx", precision.label()).withGolden(golden), extra);
        AtomicFiles.writeBytes(out, OnnxWriter.withCard(model, written).toByteArray());
        return written;
    }

    /**
     * Converts an exported {@code .onnx} file to ONNX Runtime's mobile format through ONNX
     * Runtime's own optimiser (EXTENDED level: portable across CPUs; no optimisation for fp16,
     * which the CPU optimiser would turn back into fp32). The card inside says runtime "ort".
     * The result is loaded back and must reproduce the golden pairs as well as the .onnx did.
     */
    public static ModelCard toOrt(Path onnx, Path ort) {
        ModelFile source = ModelFile.read(onnx);
        if (source.format() != ModelFile.Format.ONNX) {
            throw new IllegalArgumentException("model file " + onnx + " is already in ORT format");
        }
        ModelCard card = source.card();
        ModelCard ortCard = card.withRuntime("ort", card.precision());
        byte[] bytes;
        try {
            bytes = OnnxWriter.withCard(ModelProto.parseFrom(source.bytes()), ortCard).toByteArray();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("model file " + onnx + " is not a valid ONNX model: " + e.getMessage(), e);
        }
        OptLevel level = Precision.FP16.label().equals(card.precision()) ? OptLevel.NO_OPT : OptLevel.EXTENDED_OPT;
        ModelCard[] converted = new ModelCard[1];
        // ONNX Runtime writes the optimised model itself: room is checked first
        AtomicFiles.write(ort, 2L * bytes.length, tmp -> {
            try (OrtRunner ignored = new OrtRunner(bytes, card.spec().classes(), 1, level, tmp)) {
                // creating the session writes the optimised model to tmp
            } catch (OrtException e) {
                throw new IllegalStateException("ONNX Runtime could not convert " + onnx + ": " + e.getMessage(), e);
            }
            ModelFile written = ModelFile.read(tmp);
            double onnxDiff = maxDifference(source.bytes(), card.spec(), card.golden());
            double ortDiff = maxDifference(written.bytes(), card.spec(), card.golden());
            if (ortDiff > Math.max(1e-4, 2 * onnxDiff)) {
                throw new IllegalStateException("converted " + ort + " differs from the golden outputs by " + ortDiff
                        + " where " + onnx + " differs by " + onnxDiff);
            }
            converted[0] = written.card();
        });
        return converted[0];
    }

    /** Golden pairs from the fp32 graph: centre crops of calibration tiles, else seeded smooth noise. */
    static List<GoldenPair> goldenPairs(ModelProto fp32, UNetSpec spec, List<Plane> calibration) {
        int m = spec.sizeMultiple();
        int side = Math.max(m, GOLDEN_SIDE / m * m);
        List<Plane> inputs = new ArrayList<>();
        if (calibration != null) {
            for (Plane p : calibration) {
                if (inputs.size() == GOLDEN_COUNT) break;
                int w = Math.min(side, p.width() / m * m), h = Math.min(side, p.height() / m * m);
                if (w > 0 && h > 0) inputs.add(p.crop((p.width() - w) / 2 / m * m, (p.height() - h) / 2 / m * m, w, h));
            }
        }
        Random random = new Random(20240601L);
        while (inputs.size() < GOLDEN_COUNT) inputs.add(smoothNoise(side, side, random));
        List<GoldenPair> pairs = new ArrayList<>();
        try (OrtRunner runner = new OrtRunner(fp32.toByteArray(), spec.classes(), OnnxModel.DEFAULT_THREADS,
                OptLevel.BASIC_OPT, null)) {
            for (Plane in : inputs) pairs.add(Golden.of(in, runner.pore(in)));
        } catch (OrtException e) {
            throw new IllegalStateException("cannot compute golden pairs: " + e.getMessage(), e);
        }
        return pairs;
    }

    /** Standard-normal noise blurred by a 3x3 box and re-standardised: image-like model input. */
    private static Plane smoothNoise(int w, int h, Random random) {
        float[] noise = new float[w * h];
        for (int i = 0; i < noise.length; i++) noise[i] = (float) random.nextGaussian();
        float[] v = new float[w * h];
        double sum = 0, sq = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double s = 0;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        s += noise[Math.floorMod(y + dy, h) * w + Math.floorMod(x + dx, w)];
                    }
                }
                v[y * w + x] = (float) s;
                sum += s;
                sq += s * s;
            }
        }
        double mean = sum / v.length, sd = Math.sqrt(Math.max(1e-12, sq / v.length - mean * mean));
        for (int i = 0; i < v.length; i++) v[i] = (float) ((v[i] - mean) / sd);
        return new Plane(w, h, v);
    }

    private static double maxDifference(byte[] model, UNetSpec spec, List<GoldenPair> golden) {
        if (golden == null || golden.isEmpty()) return 0;
        double worst = 0;
        try (OrtRunner runner = new OrtRunner(model, spec.classes(), OnnxModel.DEFAULT_THREADS, OptLevel.ALL_OPT, null)) {
            for (GoldenPair g : golden) {
                float[] expected = Golden.probability(g).values();
                float[] actual = runner.pore(Golden.input(g)).values();
                for (int i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
            }
        } catch (OrtException e) {
            throw new IllegalStateException("cannot run the exported model on its golden pairs: " + e.getMessage(), e);
        }
        return worst;
    }

    private static ModelCard withExtra(ModelCard c, Map<String, String> extra) {
        return new ModelCard(c.format(), c.name(), c.spec(), c.preprocessing(), c.threshold(), c.minArea(), c.runtime(),
                c.precision(), c.dataDigest(), c.seed(), c.steps(), c.validation(), c.libraries(), c.golden(), Map.copyOf(extra));
    }
}
