package dev.porescope.torch;

import dev.porescope.core.model.ModelCard;
import dev.porescope.core.unet.UNetSpec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Recognises PoreScope model files in pure Java, before any byte reaches libtorch (a native
 * crash on a foreign or truncated file would kill the JVM). A TorchScript {@code .pt} (and a
 * {@code .ptl}) file is a zip archive; a PoreScope one carries its card as the extra file
 * {@code <archive>/extra/porescope.json}.
 */
public final class ModelFiles {
    private static final String CARD_SUFFIX = "/extra/" + ModelCard.FILE_NAME;
    private static final int MAX_CARD_BYTES = 64 << 20;

    private ModelFiles() { }

    /** Thrown for a file that is not a (readable) PoreScope model; the message names the file and what to do. */
    public static final class NotAModelException extends IllegalArgumentException {
        public NotAModelException(String message) { super(message); }

        public NotAModelException(String message, Throwable cause) { super(message, cause); }
    }

    /** The card of a TorchScript model file; throws {@link NotAModelException} with a clear message otherwise. */
    public static ModelCard readCard(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new NotAModelException(file + ": no such model file");
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry cardEntry = null;
            boolean hasCode = false;
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                String name = entry.getName();
                if (name.endsWith(CARD_SUFFIX) && name.indexOf('/') == name.length() - CARD_SUFFIX.length()) {
                    cardEntry = entry;
                }
                if (name.endsWith("/data.pkl") || name.endsWith("/bytecode.pkl")) {
                    hasCode = true;
                }
            }
            if (cardEntry == null) {
                throw new NotAModelException(file + ": not a PoreScope model (a zip archive without a "
                        + ModelCard.FILE_NAME + " card); use a model made by 'porescope train' or 'porescope export'");
            }
            if (!hasCode) {
                throw new NotAModelException(file + ": carries a PoreScope card but no TorchScript module; the file is damaged, export or train it again");
            }
            if (cardEntry.getSize() > MAX_CARD_BYTES) {
                throw new NotAModelException(file + ": its model card is implausibly large (" + cardEntry.getSize() + " bytes)");
            }
            String json;
            try (InputStream in = zip.getInputStream(cardEntry)) {
                json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            return parseCard(file, json);
        } catch (ZipException e) {
            throw new NotAModelException(file + ": not a PoreScope model file (not a complete zip archive: "
                    + e.getMessage() + "); the file may be truncated or of another kind", e);
        } catch (IOException e) {
            throw new NotAModelException(file + ": cannot read model file: " + e.getMessage(), e);
        }
    }

    /** Parses and checks a card read from {@code file}. */
    static ModelCard parseCard(Path file, String json) {
        ModelCard card;
        try {
            card = Cards.read(json);
        } catch (RuntimeException e) {
            throw new NotAModelException(file + ": its " + ModelCard.FILE_NAME + " card is not valid: " + e.getMessage(), e);
        }
        if (card == null || !ModelCard.FORMAT.equals(card.format())) {
            throw new NotAModelException(file + ": its card has format '" + (card == null ? null : card.format())
                    + "', expected '" + ModelCard.FORMAT + "'; made by another (newer?) PoreScope");
        }
        if (card.spec() == null) {
            throw new NotAModelException(file + ": its card has no network spec, so it is not a U-Net model");
        }
        return card;
    }

    /**
     * Checks that a module's tensors are exactly the spec's parameters and buffers (names and
     * shapes), so that a card cannot describe weights other than the ones in the file.
     */
    public static void checkTensors(Path file, UNetSpec spec, Map<String, long[]> shapes) {
        for (UNetSpec.Param p : spec.parameters()) {
            long[] actual = shapes.get(p.name());
            if (actual == null) {
                throw new NotAModelException(file + ": its card says spec '" + spec.name() + "' but the module has no tensor '"
                        + p.name() + "'; card and weights do not match");
            }
            if (!Arrays.equals(actual, p.shape())) {
                throw new NotAModelException(file + ": tensor '" + p.name() + "' has shape " + Arrays.toString(actual)
                        + " but spec '" + spec.name() + "' needs " + Arrays.toString(p.shape()) + "; card and weights do not match");
            }
        }
        long expected = spec.parameters().size();
        if (shapes.size() != expected) {
            throw new NotAModelException(file + ": the module holds " + shapes.size() + " tensors but spec '" + spec.name()
                    + "' has " + expected + "; card and weights do not match");
        }
    }
}
