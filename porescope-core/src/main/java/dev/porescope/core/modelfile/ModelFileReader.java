package dev.porescope.core.modelfile;

import dev.porescope.core.json.Json;
import dev.porescope.core.model.ModelCard;
import dev.porescope.core.unet.UNetSpec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The one pure-Java reader of PoreScope model files, run before any native runtime (libtorch,
 * PyTorch Mobile, ONNX Runtime) sees a byte: a native crash on a foreign, truncated or hostile
 * file would kill the JVM or the app.
 *
 * <p>What it checks: the kind by content ({@link ModelFileKind}: zip with {@code bytecode.pkl} =
 * .ptl, zip with {@code data.pkl} = .pt, "ORTM" flatbuffer = .ort, protobuf ModelProto = .onnx)
 * against the extension; zip archives through their central directory with every CRC checked
 * and limits on entries and inflated bytes ({@link ZipArchive}); the ONNX protobuf and the ORT
 * flatbuffer walked to their ends with every offset bounds-checked; the card (size limit,
 * format, spec, runtime fitting the kind); the lite bytecode version. Everything it finds wrong
 * is a {@link ModelFileException} whose message is one line naming the file.
 */
public final class ModelFileReader {
    /** Cards hold a few golden tiles as base64; anything larger is not a card. */
    public static final int MAX_CARD_BYTES = 64 << 20;
    /** Largest model file read (PoreScope's paper network is about 9 MB). */
    public static final long MAX_FILE_BYTES = 1L << 30;
    /** Smallest plausible model file; anything shorter is certainly truncated. */
    public static final int MIN_FILE_BYTES = 16;
    /** Most trainable parameters a card's spec may describe (the paper's network has 2.1 million). */
    public static final long MAX_PARAMETERS = 64_000_000L;

    /** Highest lite bytecode version that org.pytorch:pytorch_android_lite 1.12.2 and 1.13.1 load. */
    public static final long MAX_ANDROID_BYTECODE_VERSION = 8;

    private static final String CARD_ENTRY = "extra/" + ModelCard.FILE_NAME;

    private ModelFileReader() { }

    /** Reads and checks {@code path}. */
    public static ModelFile read(Path path) {
        String name = path.toString();
        if (!Files.exists(path)) throw bad(name, "does not exist; check the path");
        if (!Files.isRegularFile(path)) throw bad(name, "is not a regular file");
        byte[] bytes;
        try {
            long size = Files.size(path);
            if (size > MAX_FILE_BYTES) throw bad(name, "is " + size + " bytes, too large for a PoreScope model");
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw bad(name, "cannot be read (" + e.getMessage() + "); check its permissions");
        } catch (OutOfMemoryError e) {
            throw bad(name, "is too large to read into memory");
        }
        return parse(name, bytes);
    }

    /**
     * Checks a model file held in memory; {@code name} (a path or an asset name) names it in
     * messages and its extension must fit the content. The entry point for fuzzing.
     */
    public static ModelFile parse(String name, byte[] bytes) {
        if (bytes.length < MIN_FILE_BYTES) {
            throw bad(name, "is not a PoreScope model file: it has only " + bytes.length + " bytes (empty or truncated); copy or export it again");
        }
        ModelFileKind content = kindOf(bytes);
        ModelFileKind named = ModelFileKind.ofName(name);
        if (named != null && content != null && content != ModelFileKind.TORCHSCRIPT && named != content) {
            throw bad(name, "is " + content.aDescription() + " by its content but is named ." + named.extension()
                    + "; rename it to ." + content.extension() + " (or export the kind you meant)");
        }
        if (content == null) {
            throw bad(name, "is not a model file PoreScope knows (neither a zip archive, an ONNX protobuf nor an ORT flatbuffer);"
                    + " use a .pt, .ptl, .onnx or .ort made by 'porescope train' or 'porescope export'");
        }
        return switch (content) {
            case TORCHSCRIPT, PTL -> archive(name, bytes, named);
            case ONNX -> onnx(name, bytes);
            case ORT -> ort(name, bytes);
        };
    }

    /** The kind by content (zip archives are told apart by {@link #archive}); null when none fits. */
    static ModelFileKind kindOf(byte[] b) {
        if (ZipArchive.looksLikeZip(b)) return ModelFileKind.TORCHSCRIPT;
        if (b.length >= 8 && b[4] == 'O' && b[5] == 'R' && b[6] == 'T' && b[7] == 'M') return ModelFileKind.ORT;
        // a ModelProto starts with field 1 (ir_version, varint): tag byte 0x08
        if (b.length > 0 && b[0] == 0x08) return ModelFileKind.ONNX;
        return null;
    }

    // ---- zip archives (.pt, .ptl) --------------------------------------------------------------

    private static ModelFile archive(String name, byte[] bytes, ModelFileKind named) {
        ZipArchive zip;
        try {
            zip = ZipArchive.read(bytes);
        } catch (IllegalArgumentException e) {
            throw bad(name, "is not a readable model archive (" + e.getMessage() + "); copy or export it again");
        }
        String top = null;
        for (String entry : zip.names()) {
            int slash = entry.indexOf('/');
            String folder = slash > 0 ? entry.substring(0, slash) : "";
            if (top == null) top = folder;
            if (folder.isEmpty() || !folder.equals(top)) {
                throw bad(name, "is a zip archive but not a PyTorch model (entries outside one top folder)");
            }
        }
        if (top == null) throw bad(name, "is an empty zip archive, not a model file");
        String prefix = top + "/";
        boolean bytecode = zip.entry(prefix + "bytecode.pkl") != null;
        boolean data = zip.entry(prefix + "data.pkl") != null;
        if (!bytecode && !data) throw bad(name, "is a zip archive but not a PyTorch model (no data.pkl or bytecode.pkl inside)");
        ModelFileKind kind = bytecode ? ModelFileKind.PTL : ModelFileKind.TORCHSCRIPT;
        if (named == ModelFileKind.PTL && kind == ModelFileKind.TORCHSCRIPT) {
            throw bad(name, "is a TorchScript server model, not a PyTorch Mobile lite-interpreter file (no bytecode.pkl inside);"
                    + " export it with 'porescope export --format ptl'");
        }
        if (named != null && named != kind) {
            throw bad(name, "is " + kind.aDescription() + " by its content but is named ." + named.extension()
                    + "; rename it to ." + kind.extension() + " (or export the kind you meant)");
        }
        ZipArchive.Entry cardEntry = zip.entry(prefix + CARD_ENTRY);
        if (cardEntry == null) {
            throw bad(name, "is a PyTorch model but not a PoreScope model (it has no " + ModelCard.FILE_NAME
                    + " model card); use a model made by 'porescope train' or 'porescope export'");
        }
        if (cardEntry.size() > MAX_CARD_BYTES) {
            throw bad(name, "its model card is implausibly large (" + cardEntry.size() + " bytes); not a PoreScope model");
        }
        ModelCard card = card(name, text(zip, cardEntry), kind);
        long version = -1;
        if (kind == ModelFileKind.PTL) {
            OptionalLong v = bytecodeVersion(zip.data(zip.entry(prefix + "bytecode.pkl")));
            if (v.isEmpty()) throw bad(name, "bytecode.pkl does not start with a bytecode version; not a lite-interpreter file");
            version = v.getAsLong();
        }
        Map<String, String> code = new LinkedHashMap<>();
        for (String entry : zip.names()) {
            String inside = entry.substring(prefix.length());
            if (inside.startsWith("code/") && inside.endsWith(".py")) code.put(inside, text(zip, zip.entry(entry)));
        }
        if (kind == ModelFileKind.TORCHSCRIPT && code.isEmpty()) {
            throw bad(name, "carries a PoreScope card but no TorchScript code; the file is damaged, export or train it again");
        }
        return new ModelFile(name, kind, card, bytes, version, Collections.unmodifiableMap(code), null);
    }

    private static String text(ZipArchive zip, ZipArchive.Entry entry) {
        return new String(zip.data(entry), StandardCharsets.UTF_8);
    }

    /**
     * The bytecode version: the first element of the tuple pickled in {@code bytecode.pkl}
     * (protocol 2: PROTO, MARK, then BININT1/BININT2/BININT (signed)), or empty when the bytes
     * do not start that way.
     */
    public static OptionalLong bytecodeVersion(byte[] pkl) {
        int i = 0;
        if (pkl.length > 2 && (pkl[0] & 0xff) == 0x80) i = 2;           // PROTO n
        if (i < pkl.length && pkl[i] == '(') i++;                        // MARK
        if (i + 1 < pkl.length) {
            switch (pkl[i]) {
                case 'K': return OptionalLong.of(pkl[i + 1] & 0xff);      // BININT1
                case 'M': if (i + 2 < pkl.length) return OptionalLong.of((pkl[i + 1] & 0xff) | (pkl[i + 2] & 0xff) << 8);  // BININT2
                    break;
                case 'J': if (i + 4 < pkl.length) return OptionalLong.of((pkl[i + 1] & 0xff) | (pkl[i + 2] & 0xff) << 8
                        | (pkl[i + 3] & 0xff) << 16 | (long) pkl[i + 4] << 24);   // BININT (signed)
                    break;
                default: break;
            }
        }
        return OptionalLong.empty();
    }

    // ---- ONNX Runtime files (.onnx, .ort) -------------------------------------------------------

    private static ModelFile onnx(String name, byte[] bytes) {
        OnnxProtobuf.Parsed parsed;
        try {
            parsed = OnnxProtobuf.parse(bytes);
        } catch (IllegalArgumentException e) {
            throw bad(name, "is not a valid ONNX model (" + e.getMessage() + "); it may be truncated or not a model at all,"
                    + " export it again");
        }
        ModelCard card = card(name, metadataCard(name, parsed.metadata(), "ONNX"), ModelFileKind.ONNX);
        return new ModelFile(name, ModelFileKind.ONNX, card, bytes, -1, Map.of(), parsed.graph());
    }

    private static ModelFile ort(String name, byte[] bytes) {
        Map<String, String> metadata;
        try {
            metadata = OrtFlatbuffer.metadata(bytes);
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw bad(name, "is not a valid ORT-format model (" + e.getMessage() + "); it may be truncated or not a model at all,"
                    + " export it again");
        }
        ModelCard card = card(name, metadataCard(name, metadata, "ORT"), ModelFileKind.ORT);
        return new ModelFile(name, ModelFileKind.ORT, card, bytes, -1, Map.of(), null);
    }

    private static String metadataCard(String name, Map<String, String> metadata, String format) {
        String json = metadata.get(ModelCard.FILE_NAME);
        if (json == null) {
            throw bad(name, "is a valid " + format + " model but has no PoreScope model card ('" + ModelCard.FILE_NAME
                    + "' metadata); export it with 'porescope export'");
        }
        if (json.length() > MAX_CARD_BYTES) throw bad(name, "its model card is implausibly large; not a PoreScope model");
        return json;
    }

    // ---- the card -------------------------------------------------------------------------------

    private static ModelCard card(String name, String json, ModelFileKind kind) {
        ModelCard card;
        try {
            card = Json.readCard(json);
        } catch (RuntimeException e) {
            throw bad(name, "its " + ModelCard.FILE_NAME + " is not a PoreScope model card ("
                    + e.getMessage().lines().findFirst().orElse("") + "); export the model again");
        }
        if (card.spec() == null) {
            throw bad(name, "its model card has no network spec, so it is not a U-Net model");
        }
        UNetSpec spec = card.spec();
        if (spec.widths().size() > 12 || spec.widths().stream().anyMatch(w -> w > 4096) || spec.convsPerLevel() > 8 || spec.kernel() > 15 || spec.poolKernel() > 15
                || spec.inChannels() > 16 || spec.classes() > 64 || spec.parameterCount() > MAX_PARAMETERS) {
            throw bad(name, "its model card describes a network far larger than any PoreScope U-Net (" + spec.widths().size()
                    + " levels); not a PoreScope model");
        }
        if (!kind.accepts(card.runtime())) {
            throw bad(name, "is " + kind.aDescription() + " but its model card says runtime '" + card.runtime()
                    + "'; use the file made for that runtime, or export it again with 'porescope export --format "
                    + kind.extension() + "'");
        }
        return card;
    }

    static ModelFileException bad(String name, String problem) {
        return new ModelFileException(name + ": " + problem);
    }
}
