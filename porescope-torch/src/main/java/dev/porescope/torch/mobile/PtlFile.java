package dev.porescope.torch.mobile;

import dev.porescope.core.json.Json;
import dev.porescope.core.model.ModelCard;
import dev.porescope.core.model.PtlArchive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * What a {@code .ptl} (PyTorch Mobile lite interpreter) file holds, read in pure Java so that a
 * truncated, corrupt or foreign file is rejected before it reaches libtorch.
 *
 * <p>A {@code .ptl} written by {@code _save_for_mobile} is a zip with one top folder
 * ({@code <archive>/...}): {@code bytecode.pkl} (the lite interpreter's program; its first
 * pickled value is the bytecode version), {@code constants.pkl}, {@code data.pkl} and
 * {@code code/} (the same module as TorchScript), and {@code extra/porescope.json} (the card).
 *
 * @param file            the file
 * @param card            the PoreScope model card
 * @param bytecodeVersion the lite bytecode version (Android's pytorch_android_lite 1.12/1.13 reads up to 8)
 * @param hasTorchScript  whether the archive also carries the TorchScript code and data
 *                        ({@code code/}, {@code data.pkl}) that {@code torch.jit.load} reads
 */
public record PtlFile(Path file, ModelCard card, long bytecodeVersion, boolean hasTorchScript) {

    /** Highest lite bytecode version that org.pytorch:pytorch_android_lite 1.12.2 and 1.13.1 load. */
    public static final long MAX_ANDROID_BYTECODE_VERSION = 8;
    /** The card's runtime value for this format. */
    public static final String RUNTIME = "ptl";

    private static final String CARD_ENTRY = "extra/" + ModelCard.FILE_NAME;

    /** Reads and checks {@code file}; throws {@link dev.porescope.torch.ModelFiles.NotAModelException} with a clear message otherwise. */
    public static PtlFile inspect(Path file) {
        List<String> names = checkedEntries(file);
        String bytecode = find(names, "bytecode.pkl");
        if (bytecode == null) {
            throw Cards.bad(file, "not a PyTorch Mobile lite-interpreter file (no bytecode.pkl inside)"
                    + (find(names, "data.pkl") != null ? "; it looks like a TorchScript .pt: export it with"
                    + " 'porescope export --format ptl'" : ""));
        }
        String cardText = readText(file, names, CARD_ENTRY);
        if (cardText == null) {
            throw Cards.bad(file, "not a PoreScope model: it has no " + ModelCard.FILE_NAME
                    + " model card; export it from a PoreScope .pt with 'porescope export --format ptl'");
        }
        ModelCard card = parseCard(file, cardText);
        if (!RUNTIME.equals(card.runtime())) {
            throw Cards.bad(file, "its model card says runtime '" + card.runtime()
                    + "', not '" + RUNTIME + "'; open it with the runtime it was made for");
        }
        if (card.spec() == null) {
            throw Cards.bad(file, "its model card has no network spec; a .ptl must hold a U-Net");
        }
        long version = bytecodeVersion(file, readBytes(file, bytecode));
        boolean hasTorchScript = find(names, "data.pkl") != null
                && names.stream().anyMatch(n -> n.contains("/code/"));
        return new PtlFile(file, card, version, hasTorchScript);
    }

    /** Whether a phone's pytorch_android_lite 1.12.2/1.13.1 can read this file's bytecode. */
    public boolean androidReadable() {
        return bytecodeVersion <= MAX_ANDROID_BYTECODE_VERSION;
    }

    // ---- zip reading ------------------------------------------------------------------------

    /** Entry names after checking the zip opens and every entry's data matches its CRC. */
    private static List<String> checkedEntries(Path file) {
        if (!Files.isRegularFile(file)) {
            throw Cards.bad(file, "no such file");
        }
        List<String> names = new ArrayList<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            byte[] buffer = new byte[1 << 16];
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                names.add(e.getName());
                if (e.isDirectory()) continue;
                CRC32 crc = new CRC32();
                try (InputStream in = zip.getInputStream(e)) {
                    for (int n; (n = in.read(buffer)) > 0; ) crc.update(buffer, 0, n);
                }
                if (e.getCrc() != -1 && crc.getValue() != e.getCrc()) {
                    throw Cards.bad(file, "entry " + e.getName() + " is corrupt (checksum mismatch);"
                            + " copy or export the file again");
                }
            }
        } catch (ZipException e) {
            throw Cards.bad(file, "not a model file: not a zip archive, or truncated ("
                    + e.getMessage() + "); copy or export it again", e);
        } catch (IOException e) {
            throw Cards.bad(file, "cannot be read: " + e.getMessage(), e);
        }
        if (names.isEmpty()) {
            throw Cards.bad(file, "not a model file: empty zip archive");
        }
        return names;
    }

    /** The entry {@code <archive>/suffix} (torch writes one top folder), or null. */
    private static String find(List<String> names, String suffix) {
        for (String n : names) {
            int slash = n.indexOf('/');
            if (slash > 0 && n.substring(slash + 1).equals(suffix)) return n;
        }
        return null;
    }

    private static String readText(Path file, List<String> names, String suffix) {
        String entry = find(names, suffix);
        return entry == null ? null : new String(readBytes(file, entry), StandardCharsets.UTF_8);
    }

    private static byte[] readBytes(Path file, String entry) {
        try (ZipFile zip = new ZipFile(file.toFile()); InputStream in = zip.getInputStream(zip.getEntry(entry))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw Cards.bad(file, "cannot read " + entry + ": " + e.getMessage(), e);
        }
    }

    private static ModelCard parseCard(Path file, String text) {
        try {
            return Json.readCard(text);
        } catch (IllegalArgumentException e) {
            throw Cards.bad(file, "its " + ModelCard.FILE_NAME + " is not a PoreScope model card ("
                    + e.getMessage().lines().findFirst().orElse("") + "); export the model again", e);
        }
    }

    // ---- bytecode.pkl -----------------------------------------------------------------------

    /**
     * The bytecode version: the first element of the tuple pickled in {@code bytecode.pkl}
     * (read by core's {@link PtlArchive#bytecodeVersion}).
     */
    static long bytecodeVersion(Path file, byte[] pkl) {
        return PtlArchive.bytecodeVersion(pkl).orElseThrow(() -> Cards.bad(file,
                "bytecode.pkl does not start with a bytecode version; not a lite-interpreter file"));
    }
}
