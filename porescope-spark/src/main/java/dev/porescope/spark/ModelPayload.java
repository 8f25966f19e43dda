package dev.porescope.spark;

import dev.porescope.cli.models.DefaultModel;
import dev.porescope.cli.models.ModelLoader;
import dev.porescope.cli.support.UserException;
import dev.porescope.core.json.Json;
import dev.porescope.core.model.ModelCard;
import dev.porescope.core.model.SegmentationModel;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;

/**
 * The model as Spark ships it to the executors (one broadcast, fetched once per executor): the
 * model file's bytes, or the name of a built-in model, and the digest that identifies it in the
 * output tables.
 *
 * @param name      what the user gave (or the embedded default's cache file), for messages
 * @param cardName  the model card's name, written beside every photo
 * @param extension the file type ({@code onnx}, {@code ort}), or null for a built-in model
 * @param bytes     the model file, or null for a built-in model
 * @param digest    SHA-256 of the model card's JSON (spec, preprocessing, threshold, runtime, precision,
 *                  and the golden outputs its weights compute): the model half of the incremental key
 */
public record ModelPayload(String name, String cardName, String extension, byte[] bytes, String digest)
        implements Serializable {

    /** Model files the executors can run: ONNX Runtime only (libtorch is not shipped to them). */
    static final Set<String> EXECUTOR_FILE_TYPES = Set.of("onnx", "ort");

    /**
     * Checks and loads {@code model} once on the driver ({@code null} = the embedded default model)
     * and returns what the executors need.
     */
    public static ModelPayload resolve(String model, PrintWriter err) {
        String name = model != null ? model : DefaultModel.embedded().resolve(err);
        if (ModelLoader.fitsOnData(name)) {
            throw new UserException("model " + name + " fits itself on labelled data, which batch does not have;"
                    + " use --model dog, or a trained model file");
        }
        ModelLoader.check(name);
        String extension = null;
        byte[] bytes = null;
        Path file = Path.of(name);
        if (Files.isRegularFile(file)) {
            String fileName = file.getFileName().toString();
            extension = fileName.substring(fileName.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
            if (!EXECUTOR_FILE_TYPES.contains(extension)) {
                throw new UserException("batch runs ONNX Runtime models (.onnx, .ort) or dog on the executors, not ."
                        + extension + " (" + file + "); turn it into one with 'porescope export --model " + file
                        + " --format onnx --out model.onnx'");
            }
            try {
                bytes = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new UserException("cannot read model file " + file + " (" + e.getMessage() + "); check its permissions", e);
            }
        }
        ModelCard card;
        try (SegmentationModel loaded = ModelLoader.load(name, null)) {
            card = loaded.card();
        }
        return new ModelPayload(name, card.name(), extension, bytes, digest(card));
    }

    /** SHA-256 (hex) of the card's JSON. */
    static String digest(ModelCard card) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Json.mapper().writeValueAsBytes(card)));
        } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot digest the model card: " + e.getMessage(), e);
        }
    }
}
