package dev.porescope.android;

import dev.porescope.core.json.Json;
import dev.porescope.core.model.ModelCard;
import dev.porescope.core.modelfile.ModelFileReader;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads and checks the card of a model file before any native runtime sees the file: a file
 * without a PoreScope card, or with a card made for another runtime, is refused here.
 */
final class ModelCards {
    /** Cards hold a few golden tiles as base64; anything much larger is not a card. */
    private static final long MAX_CARD_BYTES = 64L << 20;

    private ModelCards() { }

    /** Plain file checks an app developer can act on (path wrong, asset not copied, empty download). */
    static void checkReadable(File file) {
        if (!file.exists()) {
            throw new IllegalArgumentException("model file " + file + " does not exist");
        }
        if (!file.isFile() || !file.canRead()) {
            throw new IllegalArgumentException("model file " + file + " is not a readable file");
        }
        if (file.length() == 0) {
            throw new IllegalArgumentException("model file " + file + " is empty (an interrupted download or copy?)");
        }
    }

    /** Highest lite bytecode version that org.pytorch:pytorch_android_lite 1.12.2 (and 1.13.1) loads. */
    static final long MAX_BYTECODE_VERSION = ModelFileReader.MAX_ANDROID_BYTECODE_VERSION;

    /**
     * The card JSON inside a {@code .ptl} file, after checking the archive in pure Java: PyTorch Mobile
     * files are zip archives with one top folder holding {@code bytecode.pkl} (its first pickled value
     * is the bytecode version) and, from {@code _save_for_mobile}'s extra files, {@code extra/porescope.json}.
     * Every entry's checksum is verified, so a corrupt copy never reaches the native loader.
     */
    static String ptlCardJson(File file) {
        String cardJson = null;
        byte[] bytecode = null;
        try (ZipFile zip = new ZipFile(file)) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                if (entry.isDirectory()) continue;
                String inArchive = entry.getName().substring(entry.getName().indexOf('/') + 1);
                boolean card = inArchive.equals("extra/" + ModelCard.FILE_NAME);
                boolean program = inArchive.equals("bytecode.pkl");
                byte[] data;
                try (InputStream in = zip.getInputStream(entry)) {
                    data = readChecked(in, entry, file, card || program);
                }
                if (card) cardJson = new String(data, StandardCharsets.UTF_8);
                if (program) bytecode = data;
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(file.getName() + " is not a PyTorch Mobile lite (.ptl) file: it cannot be"
                    + " read as a zip archive (" + e.getMessage() + "); the file may be truncated, copy or export it again", e);
        }
        if (bytecode == null) {
            throw new IllegalArgumentException(file.getName() + " is not a PyTorch Mobile lite-interpreter file (no bytecode.pkl"
                    + " inside; a TorchScript .pt renamed?); export it with: porescope export --format ptl");
        }
        if (cardJson == null) {
            throw new IllegalArgumentException(file.getName() + " is a PyTorch Mobile file but not a PoreScope model: it has no "
                    + ModelCard.FILE_NAME + " model card (make phone models with: porescope export --format ptl)");
        }
        long version = bytecodeVersion(bytecode);
        if (version < 0 || version > MAX_BYTECODE_VERSION) {
            throw new IllegalArgumentException(file.getName() + " has lite bytecode version " + (version < 0 ? "(unreadable)" : version)
                    + "; pytorch_android_lite 1.12.2 reads versions up to " + MAX_BYTECODE_VERSION
                    + ": export it again with porescope export --format ptl");
        }
        return cardJson;
    }

    /**
     * First element of the tuple pickled in {@code bytecode.pkl} (core's {@link ModelFileReader#bytecodeVersion}),
     * or -1.
     */
    static long bytecodeVersion(byte[] pkl) {
        return ModelFileReader.bytecodeVersion(pkl).orElse(-1);
    }

    /** Reads an entry, verifying its CRC; keeps the bytes only when asked (cards, bytecode). */
    private static byte[] readChecked(InputStream in, ZipEntry entry, File file, boolean keep) throws IOException {
        CRC32 crc = new CRC32();
        ByteArrayOutputStream out = keep ? new ByteArrayOutputStream() : null;
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = in.read(buffer)) > 0; ) {
            crc.update(buffer, 0, n);
            if (out != null) {
                out.write(buffer, 0, n);
                if (out.size() > MAX_CARD_BYTES) {
                    throw new IllegalArgumentException(file.getName() + ": entry " + entry.getName() + " is larger than "
                            + MAX_CARD_BYTES + " bytes");
                }
            }
        }
        if (entry.getCrc() != -1 && crc.getValue() != entry.getCrc()) {
            throw new IllegalArgumentException(file.getName() + ": entry " + entry.getName()
                    + " is corrupt (checksum mismatch); copy or export the file again");
        }
        return out == null ? null : out.toByteArray();
    }

    /** Cheap look at the first bytes, so that an obviously wrong file gets a clear message. */
    static void checkOnnxHeader(File file, ModelFileType type) {
        byte[] head = new byte[8];
        int n;
        try (InputStream in = new FileInputStream(file)) {
            n = in.read(head);
        } catch (IOException e) {
            throw new IllegalArgumentException("model file " + file + " cannot be read: " + e.getMessage(), e);
        }
        boolean ok = type == ModelFileType.ORT
                // flatbuffers file identifier of ONNX Runtime's format
                ? n == 8 && head[4] == 'O' && head[5] == 'R' && head[6] == 'T' && head[7] == 'M'
                // protobuf ModelProto starts with field 1 (ir_version, varint): tag byte 0x08
                : n > 0 && head[0] == 0x08;
        if (!ok) {
            throw new IllegalArgumentException(file.getName() + " is not " + (type == ModelFileType.ORT
                    ? "an ONNX Runtime format (.ort) model" : "an ONNX model") + ": its first bytes do not match");
        }
    }

    /** Parses a card and checks that it is a PoreScope card made for {@code type}'s runtime. */
    static ModelCard parse(String json, File file, ModelFileType type) {
        ModelCard card;
        try {
            card = Json.readCard(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(file.getName() + ": its " + ModelCard.FILE_NAME + " model card cannot be read ("
                    + e.getMessage() + ")", e);
        }
        if (card == null || !ModelCard.FORMAT.equals(card.format())) {
            throw new IllegalArgumentException(file.getName() + " is not a PoreScope model: its card has format "
                    + (card == null ? null : card.format()) + ", expected " + ModelCard.FORMAT);
        }
        if (!type.accepts(card.runtime())) {
            throw new IllegalArgumentException(file.getName() + " is a " + type.extension + " file but its model card says it"
                    + " was made for the '" + card.runtime() + "' runtime; re-export the model with"
                    + " porescope export --format " + type.extension.substring(1));
        }
        return card;
    }
}
