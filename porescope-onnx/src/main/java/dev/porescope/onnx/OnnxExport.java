package dev.porescope.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.porescope.core.image.Plane;
import dev.porescope.core.io.AtomicFiles;
import dev.porescope.core.json.FloatCodec;
import dev.porescope.core.model.ModelCard;
import dev.porescope.core.model.ModelCard.GoldenPair;
import dev.porescope.core.modelfile.ModelFile;
import dev.porescope.core.modelfile.ModelFileKind;
import dev.porescope.core.modelfile.ModelFileReader;
import dev.porescope.core.parity.Golden;
import dev.porescope.core.unet.UNetSpec;
import dev.porescope.ort.OnnxModel;
import dev.porescope.ort.OrtRunner;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code porescope export --format onnx|ort}: trained weights + model card to an ONNX file, and an
 * ONNX file to ONNX Runtime's mobile format. Every file written carries the card (runtime,
 * precision) and golden input/output pairs, and is loaded back and checked against them before
 * it replaces {@code out} (written to a temporary name, then renamed).
 */
public final class OnnxExport {

    /** Card extra keys written by the export. */
    public static final String EXTRA_GOLDEN_MAX_DIFF = "golden_max_diff";
    public static final String EXTRA_OPSET = "onnx_opset";
    public static final String EXTRA_CALIBRATION_TILES = "int8_calibration_tiles";
    public static final String EXTRA_KEEP_FLOAT = "int8_keep_float";
    /** How the int8 biases were corrected for the mean shift of their int8 weights ({@link Quantization#correctedBias}). */
    public static final String EXTRA_BIAS_CORRECTION = "int8_bias_correction";
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
        return export(card, weights, precision, calibration, KeepFloat.DEFAULT, out);
    }

    /**
     * As {@link #export(ModelCard, Map, Precision, List, Path)}, with the int8 layers to keep in
     * float ({@code first}, {@code last}, {@code none} or layer names, comma-separated; ignored
     * for fp32 and fp16).
     */
    public static ModelCard export(ModelCard card, Map<String, float[]> weights, Precision precision,
                                   List<Plane> calibration, String keepFloat, Path out) {
        return export(card, weights, precision, calibration, keepFloat, true, out);
    }

    /**
     * As {@link #export(ModelCard, Map, Precision, List, String, Path)}; {@code biasCorrection}
     * (int8 only; on in every other overload and on the command line) corrects the int8 biases
     * for their weights' mean shift ({@link Quantization#correctedBias}).
     */
    public static ModelCard export(ModelCard card, Map<String, float[]> weights, Precision precision,
                                   List<Plane> calibration, String keepFloat, boolean biasCorrection, Path out) {
        if (card == null || card.spec() == null) {
            throw new IllegalArgumentException("model card has no network spec; only U-Net models can be exported to ONNX");
        }
        if (precision == Precision.INT8 && (calibration == null || calibration.isEmpty())) {
            throw new IllegalArgumentException("int8 export needs calibration photos, got none; pass --calibration DIR with photos");
        }
        OnnxWriter writer = new OnnxWriter(card.spec(), weights);
        List<Plane> tiles = List.of();
        java.util.Set<String> keep = java.util.Set.of();
        ModelProto model;
        if (precision == Precision.INT8) {
            keep = KeepFloat.resolve(card.spec(), keepFloat);
            tiles = Calibration.tiles(calibration, card.spec().sizeMultiple());
            Calibration.Statistics measured = Calibration.statistics(writer, calibration, OnnxModel.DEFAULT_THREADS);
            model = biasCorrection ? writer.int8(measured, keep) : writer.int8(measured.ranges(), keep);
        } else {
            model = writer.model(precision, Map.of(), keep);
        }

        List<GoldenPair> golden = card.golden() != null && !card.golden().isEmpty()
                ? card.golden() : goldenPairs(writer.fp32(), card);
        double diff = maxDifference(model.toByteArray(), card.spec(), golden);

        Map<String, String> extra = new LinkedHashMap<>(card.extra() == null ? Map.of() : card.extra());
        extra.put(EXTRA_OPSET, Long.toString(OnnxWriter.OPSET));
        extra.put(EXTRA_GOLDEN_MAX_DIFF, String.format(Locale.ROOT, "%.6g", diff));
        if (precision == Precision.INT8) {
            extra.put(EXTRA_CALIBRATION_TILES, Integer.toString(tiles.size()));
            extra.put(EXTRA_KEEP_FLOAT, keep.isEmpty() ? "none" : String.join(",", keep));
            extra.put(EXTRA_BIAS_CORRECTION, biasCorrection ? "calibration input means" : "none");
        }
        ModelCard written = card.withRuntime(ModelCard.RUNTIME_ONNX, precision.label()).withGolden(golden).withExtra(extra);
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
        ModelFile source = ModelFileReader.read(onnx);
        if (source.kind() != ModelFileKind.ONNX) {
            throw new IllegalArgumentException("model file " + onnx + " is already in ORT format");
        }
        ModelCard card = source.card();
        ModelCard ortCard = card.withRuntime(ModelCard.RUNTIME_ORT, card.precision());
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
            try (OrtRunner ignored = new OrtRunner(bytes, 1, level, tmp)) {
                // creating the session writes the optimised model to tmp
            } catch (OrtException e) {
                throw new IllegalStateException("ONNX Runtime could not convert " + onnx + ": " + e.getMessage(), e);
            }
            ModelFile written = ModelFileReader.parse(ort.toString(), Files.readAllBytes(tmp));
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

    /**
     * Golden pairs when the card brings none (a direct export without the server model): core's one
     * input recipe ({@link Golden#inputs}) run through the fp32 graph.
     */
    static List<GoldenPair> goldenPairs(ModelProto fp32, ModelCard card) {
        List<GoldenPair> pairs = new ArrayList<>();
        try (OrtRunner runner = new OrtRunner(fp32.toByteArray(), OnnxModel.DEFAULT_THREADS,
                OptLevel.BASIC_OPT, null)) {
            for (Plane in : Golden.inputs(card)) {
                pairs.add(new GoldenPair(in.width(), in.height(), FloatCodec.encode(in.values()),
                        FloatCodec.encode(runner.pore(in, card.spec().classes()).values())));
            }
        } catch (OrtException e) {
            throw new IllegalStateException("cannot compute golden pairs: " + e.getMessage(), e);
        }
        return pairs;
    }

    private static double maxDifference(byte[] model, UNetSpec spec, List<GoldenPair> golden) {
        if (golden == null || golden.isEmpty()) return 0;
        double worst = 0;
        try (OrtRunner runner = new OrtRunner(model, OnnxModel.DEFAULT_THREADS)) {
            for (GoldenPair g : golden) {
                worst = Math.max(worst, Golden.maxAbsDifference(runner.pore(Golden.input(g), spec.classes()).values(),
                        Golden.probability(g).values()));
            }
        } catch (OrtException e) {
            throw new IllegalStateException("cannot run the exported model on its golden pairs: " + e.getMessage(), e);
        }
        return worst;
    }
}
