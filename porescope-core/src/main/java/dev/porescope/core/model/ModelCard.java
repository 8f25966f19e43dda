package dev.porescope.core.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.porescope.core.preprocess.Preprocessing;
import dev.porescope.core.unet.UNetSpec;

import java.util.List;
import java.util.Map;

/**
 * What a PoreScope model file says about itself (stored as {@code porescope.json} inside the
 * {@code .pt}/{@code .ptl} file and as ONNX metadata). A model file without its card is not a
 * PoreScope model.
 *
 * @param format        always {@link #FORMAT}; how a file is recognised as a PoreScope model
 * @param name          model name (spec name or the name given at training time)
 * @param spec          network topology; null for the DoG baseline
 * @param preprocessing steps applied to the luma photo before the model
 * @param threshold     decision threshold on the pore probability
 * @param minArea       smallest pore kept (px); pores below are dropped by the extractor
 * @param runtime       where this file runs: "torchscript", "ptl", "onnx", "ort", "dog"
 * @param precision     "fp32", "fp16" or "int8"
 * @param dataDigest    SHA-256 over the training data, or null
 * @param seed          training seed
 * @param steps         training steps done
 * @param validation    validation metrics by name (dice, pore_f1, ...)
 * @param libraries     library versions used to make the file
 * @param golden        golden input/output pairs to check a runtime against the server
 * @param extra         anything else (DoG parameters, export details)
 */
public record ModelCard(@JsonProperty("format") String format, @JsonProperty("name") String name,
                        @JsonProperty("spec") UNetSpec spec, @JsonProperty("preprocessing") Preprocessing preprocessing,
                        @JsonProperty("threshold") double threshold, @JsonProperty("minArea") int minArea,
                        @JsonProperty("runtime") String runtime, @JsonProperty("precision") String precision,
                        @JsonProperty("dataDigest") String dataDigest, @JsonProperty("seed") long seed,
                        @JsonProperty("steps") long steps, @JsonProperty("validation") Map<String, Double> validation,
                        @JsonProperty("libraries") Map<String, String> libraries,
                        @JsonProperty("golden") List<GoldenPair> golden, @JsonProperty("extra") Map<String, String> extra) {

    /** Explicit creator and names: Android's D8 turns records into plain classes, which Jackson cannot read as records. */
    @JsonCreator
    public ModelCard { }

    public static final String FORMAT = "porescope-model/1";
    /** Name of the card inside model files (TorchScript extra file, ONNX metadata key). */
    public static final String FILE_NAME = "porescope.json";

    /**
     * A model input and the server model's output for it, so that another runtime can prove it
     * computes the same thing.
     *
     * @param width       tile width
     * @param height      tile height
     * @param input       preprocessed input, base64 of little-endian float32, row-major
     * @param probability server pore probability, same encoding
     */
    public record GoldenPair(@JsonProperty("width") int width, @JsonProperty("height") int height,
                             @JsonProperty("input") String input, @JsonProperty("probability") String probability) {
        @JsonCreator
        public GoldenPair { }
    }

    /** Runtime names a card's {@code runtime} holds (one file format each; "dog" is the pure-Java baseline). */
    public static final String RUNTIME_TORCHSCRIPT = "torchscript";
    public static final String RUNTIME_PTL = "ptl";
    public static final String RUNTIME_ONNX = "onnx";
    public static final String RUNTIME_ORT = "ort";
    public static final String RUNTIME_DOG = "dog";
    /** Precisions a card's {@code precision} holds. */
    public static final String FP32 = "fp32";
    public static final String FP16 = "fp16";
    public static final String INT8 = "int8";
    /** Provenance key of the libtorch binding in {@code libraries} (its value: the one version in {@code porescope-torch}). */
    public static final String LIBRARY_PYTORCH = "org.bytedeco:pytorch";

    public ModelCard withRuntime(String newRuntime, String newPrecision) {
        return new ModelCard(format, name, spec, preprocessing, threshold, minArea, newRuntime, newPrecision,
                dataDigest, seed, steps, validation, libraries, golden, extra);
    }

    public ModelCard withGolden(List<GoldenPair> newGolden) {
        return new ModelCard(format, name, spec, preprocessing, threshold, minArea, runtime, precision,
                dataDigest, seed, steps, validation, libraries, newGolden, extra);
    }

    public ModelCard withPreprocessing(Preprocessing newPreprocessing) {
        return new ModelCard(format, name, spec, newPreprocessing, threshold, minArea, runtime, precision,
                dataDigest, seed, steps, validation, libraries, golden, extra);
    }

    public ModelCard withThreshold(double newThreshold) {
        return new ModelCard(format, name, spec, preprocessing, newThreshold, minArea, runtime, precision,
                dataDigest, seed, steps, validation, libraries, golden, extra);
    }

    /** This card with {@code entries} added to (or replacing those in) {@code extra}. */
    public ModelCard withExtra(Map<String, String> entries) {
        return new ModelCard(format, name, spec, preprocessing, threshold, minArea, runtime, precision,
                dataDigest, seed, steps, validation, libraries, golden, merged(extra, entries));
    }

    /** This card with {@code entries} added to (or replacing those in) {@code libraries}. */
    public ModelCard withLibraries(Map<String, String> entries) {
        return new ModelCard(format, name, spec, preprocessing, threshold, minArea, runtime, precision,
                dataDigest, seed, steps, validation, merged(libraries, entries), golden, extra);
    }

    private static Map<String, String> merged(Map<String, String> base, Map<String, String> entries) {
        Map<String, String> out = new java.util.LinkedHashMap<>(base == null ? Map.of() : base);
        out.putAll(entries);
        return java.util.Collections.unmodifiableMap(out);
    }
}
