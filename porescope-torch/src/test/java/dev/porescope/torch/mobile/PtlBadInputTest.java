package dev.porescope.torch.mobile;

import dev.porescope.core.model.ModelCard;
import dev.porescope.core.unet.UNetSpec;
import dev.porescope.core.modelfile.ModelFileException;
import dev.porescope.core.modelfile.ModelFileReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Files that are not usable .ptl models: clear exceptions, raised before libtorch sees them. */
class PtlBadInputTest {

    @TempDir static Path shared;
    static Path pt;
    static Path ptl;

    @TempDir Path dir;

    @BeforeAll
    static void exportOnce() {
        pt = shared.resolve("model.pt");
        ptl = shared.resolve("model.ptl");
        TinyUNet.save(TinyUNet.SPEC, 9, pt);
        new PtlExporter().export(pt, ptl);
    }

    private static void assertRejected(Path file, String... fragments) {
        ModelFileException e = assertThrows(ModelFileException.class, () -> PtlModel.open(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        for (String f : fragments) assertTrue(e.getMessage().contains(f), "'" + f + "' not in: " + e.getMessage());
    }

    @Test
    void truncatedPtl() throws IOException {
        byte[] bytes = Files.readAllBytes(ptl);
        for (int keep : new int[]{0, 10, bytes.length / 2, bytes.length - 30}) {
            Path cut = dir.resolve("cut" + keep + ".ptl");
            Files.write(cut, Arrays.copyOf(bytes, keep));
            assertRejected(cut, "truncated");
        }
    }

    @Test
    void fileThatIsNotAZip() throws IOException {
        Path png = dir.resolve("photo.ptl");
        Files.write(png, "\u0089PNG\r\n\u001a\n not a model".getBytes(StandardCharsets.ISO_8859_1));
        assertRejected(png, "neither a zip archive");
        assertRejected(dir.resolve("missing.ptl"), "does not exist");
    }

    @Test
    void zipWithoutCard() throws IOException {
        Path noCard = rewrite("nocard.ptl", name -> name.endsWith("extra/porescope.json") ? null : name, Map.of());
        assertRejected(noCard, "not a PoreScope model", "porescope.json");
    }

    @Test
    void serverModelInsteadOfPtl() {
        assertRejected(pt, "no bytecode.pkl", "--format ptl");
    }

    @Test
    void cardForAnotherRuntime() throws IOException {
        Path onnxCard = rewrite("onnx-card.ptl", UnaryOperator.identity(), Map.of("extra/porescope.json",
                Cards.asciiJson(ModelFileReader.read(ptl).card().withRuntime("onnx", "fp32")).getBytes(StandardCharsets.UTF_8)));
        assertRejected(onnxCard, "runtime 'onnx'");
        Path notJson = rewrite("bad-json.ptl", UnaryOperator.identity(), Map.of("extra/porescope.json",
                "{not json".getBytes(StandardCharsets.UTF_8)));
        assertRejected(notJson, "not a PoreScope model card");
        Path foreign = rewrite("foreign.ptl", UnaryOperator.identity(), Map.of("extra/porescope.json",
                "{\"format\": \"someone-else/2\"}".getBytes(StandardCharsets.UTF_8)));
        assertRejected(foreign, "not a PoreScope model");

        // a card whose spec is not the network in the file: caught by the output check at open
        ModelCard card = ModelFileReader.read(ptl).card();
        UNetSpec s = card.spec();
        UNetSpec other = new UNetSpec(s.name(), s.inChannels(), 3, s.widths(), s.convsPerLevel(), s.kernel(),
                s.poolKernel(), s.batchNorm(), s.leakySlope());
        ModelCard wrong = new ModelCard(card.format(), card.name(), other, card.preprocessing(), card.threshold(),
                card.minArea(), card.runtime(), card.precision(), card.dataDigest(), card.seed(), card.steps(),
                card.validation(), card.libraries(), card.golden(), card.extra());
        Path mismatched = rewrite("mismatch.ptl", UnaryOperator.identity(), Map.of("extra/porescope.json",
                Cards.asciiJson(wrong).getBytes(StandardCharsets.UTF_8)));
        assertRejected(mismatched, "does not match its model card");
    }

    @Test
    void corruptEntriesAndGarbageBytecode() throws IOException {
        byte[] bytes = Files.readAllBytes(ptl);
        // flip bytes inside the stored card data (entries are stored uncompressed): CRC mismatch
        Path flipped = dir.resolve("flipped.ptl");
        byte[] copy = bytes.clone();
        int at = indexOf(copy, "porescope-model/1".getBytes(StandardCharsets.US_ASCII));
        assertTrue(at > 0);
        copy[at] ^= 0x55;
        Files.write(flipped, copy);
        assertRejected(flipped, "corrupt");

        Path garbage = rewrite("garbage.ptl", UnaryOperator.identity(), Map.of("bytecode.pkl", new byte[]{1, 2, 3, 4}));
        assertRejected(garbage, "bytecode version");

        Path liteOnly = rewrite("lite-only.ptl", name -> name.contains("/code/") ? null : name, Map.of());
        assertRejected(liteOnly, "only lite bytecode");
    }

    @Test
    void exporterRejectsNonPoreScopeInputsBeforeLoading() throws IOException {
        PtlExporter exporter = new PtlExporter();
        Path out = dir.resolve("out.ptl");
        Path plain = dir.resolve("plain.pt");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(plain))) {
            z.putNextEntry(new ZipEntry("plain/data.pkl"));
            z.write(new byte[]{(byte) 0x80, 2, 'N', '.'});
        }
        ModelFileException e = assertThrows(ModelFileException.class, () -> exporter.export(plain, out));
        assertTrue(e.getMessage().contains("not a PoreScope model"), e.getMessage());
        assertThrows(ModelFileException.class, () -> exporter.export(ptl, out));   // runtime 'ptl', not a server model
        Path cut = dir.resolve("cut.pt");
        byte[] bytes = Files.readAllBytes(pt);
        Files.write(cut, Arrays.copyOf(bytes, bytes.length / 3));
        assertThrows(ModelFileException.class, () -> exporter.export(cut, out));
        assertFalse(Files.exists(out));
    }

    /**
     * A copy of the exported .ptl with entries renamed or dropped ({@code rename} returns null) and
     * some replaced (keys are paths below the archive folder).
     */
    private Path rewrite(String name, UnaryOperator<String> rename, Map<String, byte[]> replace) throws IOException {
        Path out = dir.resolve(name);
        try (ZipFile in = new ZipFile(ptl.toFile()); OutputStream os = Files.newOutputStream(out);
             ZipOutputStream z = new ZipOutputStream(os)) {
            for (ZipEntry e : java.util.Collections.list(in.entries())) {
                String n = rename.apply(e.getName());
                if (n == null) continue;
                String local = n.substring(n.indexOf('/') + 1);
                byte[] data = replace.containsKey(local) ? replace.get(local) : in.getInputStream(e).readAllBytes();
                z.putNextEntry(new ZipEntry(n));
                z.write(data);
                z.closeEntry();
            }
        }
        return out;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
