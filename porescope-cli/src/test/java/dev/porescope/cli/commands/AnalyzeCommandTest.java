package dev.porescope.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.porescope.cli.MainTest.Run;
import dev.porescope.cli.TestImages;
import dev.porescope.cli.io.ArgbImage;
import dev.porescope.cli.io.ImageFiles;
import dev.porescope.cli.io.PngFiles;
import dev.porescope.cli.models.DefaultModel;
import dev.porescope.cli.report.Overlay;
import dev.porescope.core.baseline.DogModel;
import dev.porescope.core.image.Luma;
import dev.porescope.core.image.Mask;
import dev.porescope.core.image.Plane;
import dev.porescope.core.json.Json;
import dev.porescope.core.pipeline.PoreAnalyzer;
import dev.porescope.core.pores.Pore;
import dev.porescope.core.preprocess.Preprocessing;
import dev.porescope.core.synth.SkinSynthesizer;
import dev.porescope.core.synth.SynthConfig;
import dev.porescope.core.synth.SyntheticPhoto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.porescope.cli.MainTest.assertOneLineError;
import static dev.porescope.cli.MainTest.porescope;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code porescope analyze} on small synthetic photos with the DoG model. */
class AnalyzeCommandTest {
    @TempDir
    Path tmp;

    /** A synthetic skin photo of {@code w x h} px written as PNG. */
    private Path photo(String name, int w, int h, long seed) {
        SyntheticPhoto p = new SkinSynthesizer(SynthConfig.defaults(w, h)).generate(name, seed);
        Path file = tmp.resolve(name + ".png");
        PngFiles.writeArgb(new ArgbImage(w, h, p.argb()), file);
        return file;
    }

    /** The independent answer: core's PoreAnalyzer on the decoded photo. */
    private static PoreAnalyzer.Analysis analysis(Path photo, DogModel model, Mask roi, Double pixelSizeUm) {
        ArgbImage argb = ImageFiles.defaults().readArgb(photo);
        Plane luma = Luma.fromArgb(argb.argb(), argb.width(), argb.height());
        return new PoreAnalyzer(model).withPixelSizeUm(pixelSizeUm).analyze(luma, roi);
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.readAllLines(file);
    }

    @Test
    void maskHasThePhotosSizeAndIsTheAnalysisPoreMask() {
        Path photo = photo("a", 97, 71, 3);
        Path mask = tmp.resolve("out/a-mask.png");
        Run run = porescope("analyze", photo.toString(), "--model", "dog", "--zones", "none", "--mask", mask.toString());
        assertEquals(0, run.code(), run.err());
        Mask written = ImageFiles.defaults().readMask(mask);
        PoreAnalyzer.Analysis expected = analysis(photo, DogModel.defaults(), null, null);
        assertEquals(97, written.width());
        assertEquals(71, written.height());
        assertTrue(expected.poreMask().count() > 0, "the photo should have pores");
        assertArrayEquals(expected.poreMask().bits(), written.bits());
        assertTrue(run.out().contains(expected.pores().size() + " pores"), run.out());
    }

    @Test
    void csvHasOneImageJRowPerPore() throws IOException {
        Path photo = photo("b", 80, 64, 5);
        Path csv = tmp.resolve("b.csv");
        assertEquals(0, porescope("analyze", photo.toString(), "--model", "dog", "--zones", "none", "--csv", csv.toString()).code());
        List<Pore> pores = analysis(photo, DogModel.defaults(), null, null).pores();
        List<String> rows = lines(csv);
        assertEquals(pores.size() + 1, rows.size());
        assertEquals(" ,Area (px^2),X (px),Y (px),Perim. (px),Circ.,Feret (px),Mean,Contrast,BX (px),BY (px),Width (px),Height (px)",
                rows.get(0));
        for (int i = 0; i < pores.size(); i++) {
            String[] cells = rows.get(i + 1).split(",");
            assertEquals(13, cells.length, rows.get(i + 1));
            Pore p = pores.get(i);
            assertEquals(i + 1, Integer.parseInt(cells[0]));
            assertEquals(p.area(), Double.parseDouble(cells[1]), 1e-9);
            assertEquals(p.x(), Double.parseDouble(cells[2]), 1e-4);
            assertEquals(p.y(), Double.parseDouble(cells[3]), 1e-4);
            assertEquals(p.circularity(), Double.parseDouble(cells[5]), 1e-4);
        }
    }

    @Test
    void pixelSizeGivesMicrometres() throws IOException {
        Path photo = photo("c", 80, 64, 7);
        Path csv = tmp.resolve("c.csv");
        Path json = tmp.resolve("c.json");
        double um = 2.5;
        assertEquals(0, porescope("analyze", photo.toString(), "--model", "dog", "--zones", "none", "--pixel-size-um", "2.5",
                "--csv", csv.toString(), "--json", json.toString()).code());
        PoreAnalyzer.Analysis px = analysis(photo, DogModel.defaults(), null, null);
        List<String> rows = lines(csv);
        assertTrue(rows.get(0).startsWith(" ,Area (um^2),X (um),Y (um),Perim. (um)"), rows.get(0));
        Pore first = px.pores().get(0);
        String[] cells = rows.get(1).split(",");
        assertEquals(first.area() * um * um, Double.parseDouble(cells[1]), 1e-3);
        assertEquals(first.x() * um, Double.parseDouble(cells[2]), 1e-3);
        assertEquals(first.feret() * um, Double.parseDouble(cells[6]), 1e-3);
        JsonNode summary = Json.read(Files.readString(json), JsonNode.class).get("summary");
        assertEquals("um^2", summary.get("areaUnit").asText());
        double cm2 = 80 * 64 * (um * 1e-4) * (um * 1e-4);
        assertEquals(px.pores().size() / cm2, summary.get("perCm2").asDouble(), 1e-6 * summary.get("perCm2").asDouble());
        assertEquals(px.summary().medianArea() * um * um, summary.get("medianArea").asDouble(), 1e-6);
    }

    @Test
    void jsonHasSummaryCardWithoutGoldenPreprocessingTimingsAndPores() throws IOException {
        Path photo = photo("d", 90, 60, 11);
        Path json = tmp.resolve("d.json");
        assertEquals(0, porescope("analyze", photo.toString(), "--model", "dog", "--flatten-sigma", "12",
                "--json", json.toString()).code());
        JsonNode r = Json.read(Files.readString(json), JsonNode.class);
        // the override replaces the card's flattening: the same as a DoG whose card says so
        Preprocessing flattened = new Preprocessing(12, 0, 1, 0, Preprocessing.STANDARDIZE);
        DogModel base = DogModel.defaults();
        DogModel expectedModel = new DogModel(base.sigma1(), base.sigma2(), base.offset(), base.slope(), flattened,
                base.card().minArea(), Map.of());
        PoreAnalyzer.Analysis expected = analysis(photo, expectedModel, null, null);
        assertEquals(expected.pores().size(), r.get("summary").get("count").asInt());
        assertEquals(expected.pores().size(), r.get("pores").size());
        assertEquals(90, r.get("width").asInt());
        assertEquals(60, r.get("height").asInt());
        assertEquals(12.0, r.get("preprocessing").get("flattenSigma").asDouble());
        assertEquals(12.0, r.get("preprocessing_overrides").get("flattenSigma").asDouble());
        assertEquals("standardize", r.get("preprocessing").get("normalize").asText());
        assertEquals("dog", r.get("model_card").get("runtime").asText());
        assertEquals(0, r.get("model_card").get("golden").size());
        for (String stage : List.of("read", "luma", "preprocess", "model", "pores", "write", "total")) {
            assertTrue(r.get("timings_ms").has(stage), stage);
        }
        assertTrue(r.get("summary").get("areaHistogram").size() > 0);
        JsonNode firstPore = r.get("pores").get(0);
        assertEquals(expected.pores().get(0).area(), firstPore.get("area").asInt());
    }

    @Test
    void overlayOutlinesEveryPoreAndNothingElse() {
        Path photo = photo("e", 72, 56, 13);
        Path overlay = tmp.resolve("e-overlay.png");
        // --zones none: the whole photo, so that only pore outlines change pixels
        assertEquals(0, porescope("analyze", photo.toString(), "--model", "dog", "--zones", "none", "--overlay",
                overlay.toString()).code());
        ArgbImage original = ImageFiles.defaults().readArgb(photo);
        ArgbImage drawn = ImageFiles.defaults().readArgb(overlay);
        int w = 72;
        int h = 56;
        assertEquals(w, drawn.width());
        assertEquals(h + Overlay.legendHeight(w), drawn.height());
        PoreAnalyzer.Analysis a = analysis(photo, DogModel.defaults(), null, null);
        Mask pores = a.poreMask();
        // brute force: the background pixels that have a pore pixel among their 8 neighbours
        boolean[] ring = new boolean[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (pores.get(x, y)) continue;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int xx = x + dx;
                        int yy = y + dy;
                        if (xx >= 0 && yy >= 0 && xx < w && yy < h && pores.get(xx, yy)) ring[y * w + x] = true;
                    }
                }
            }
        }
        int changed = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean differs = (original.get(x, y) & 0xFFFFFF) != (drawn.get(x, y) & 0xFFFFFF);
                if (differs) {
                    changed++;
                    assertTrue(ring[y * w + x], "pixel " + x + "," + y + " changed but touches no pore");
                }
            }
        }
        for (Pore p : a.pores()) {
            boolean outlined = false;
            for (int y = Math.max(0, p.by() - 1); y <= Math.min(h - 1, p.by() + p.height()) && !outlined; y++) {
                for (int x = Math.max(0, p.bx() - 1); x <= Math.min(w - 1, p.bx() + p.width()) && !outlined; x++) {
                    outlined = ring[y * w + x] && (original.get(x, y) & 0xFFFFFF) != (drawn.get(x, y) & 0xFFFFFF);
                }
            }
            assertTrue(outlined, "pore " + p.id() + " has no outline");
        }
        assertTrue(changed > 0);
    }

    @Test
    void histogramIsAPng() throws IOException {
        Path photo = photo("f", 64, 64, 17);
        Path png = tmp.resolve("f-hist.png");
        assertEquals(0, porescope("analyze", photo.toString(), "--model", "dog", "--histogram", png.toString()).code());
        byte[] head = Arrays.copyOf(Files.readAllBytes(png), 8);
        // the PNG signature (RFC 2083): 137 'P' 'N' 'G' CR LF SUB LF
        assertArrayEquals(new byte[] {(byte) 137, 'P', 'N', 'G', '\r', '\n', 26, '\n'}, head);
        ArgbImage chart = ImageFiles.defaults().readArgb(png);
        assertTrue(chart.width() > 100 && chart.height() > 100);
        long colours = Arrays.stream(chart.argb()).distinct().count();
        assertTrue(colours > 2, "a chart draws axes, bars and text, not " + colours + " colour(s)");
    }

    @Test
    void batchGoesOnPastABadPhotoAndSaysWhichFailed() throws IOException {
        Path folder = tmp.resolve("photos");
        Files.createDirectories(folder);
        Files.move(photo("p1", 64, 48, 21), folder.resolve("p1.png"));
        Files.move(photo("p2", 48, 64, 22), folder.resolve("p2.png"));
        Files.writeString(folder.resolve("broken.png"), "not an image");
        Path truncated = folder.resolve("cut.png");
        Files.move(photo("cut", 64, 64, 23), truncated);
        TestImages.truncate(truncated, 0.5);
        Path out = tmp.resolve("out");
        Run run = porescope("analyze", folder.toString(), "--model", "dog", "--out-dir", out.toString());
        assertEquals(1, run.code(), run.err());
        for (String name : List.of("p1", "p2")) {
            for (String suffix : List.of(".mask.png", ".overlay.png", ".json", ".csv", ".histogram.png")) {
                assertTrue(Files.isRegularFile(out.resolve(name + suffix)), name + suffix);
            }
        }
        assertEquals(64, ImageFiles.defaults().readMask(out.resolve("p1.mask.png")).width());
        assertFalse(Files.exists(out.resolve("broken.mask.png")));
        assertTrue(run.err().lines().anyMatch(l -> l.startsWith("porescope: ") && l.contains("broken.png")
                && l.contains("not a PNG or JPEG")), run.err());
        assertTrue(run.err().lines().anyMatch(l -> l.contains("cut.png") && l.contains("truncated")), run.err());
        List<String> summary = run.out().lines().toList();
        // header, two failures, and for each good photo (skin close-ups: no face) its row and its "skin" zone row
        assertEquals(7, summary.size(), run.out());
        assertEquals(2, summary.stream().filter(l -> l.contains(",ok,") && l.contains(",skin,")).count(), run.out());
        assertTrue(summary.get(0).startsWith("photo,status,"));
        assertTrue(summary.stream().anyMatch(l -> l.contains("broken.png,failed,") && l.contains("not a PNG or JPEG")), run.out());
        assertTrue(summary.stream().anyMatch(l -> l.contains("p1.png,ok,64,48,")), run.out());
        assertTrue(summary.stream().anyMatch(l -> l.contains("p2.png,ok,48,64,")), run.out());
    }

    @Test
    void summaryCsvFileAndPixelLimitFailure() throws IOException {
        Path small = photo("small", 40, 40, 31);
        Path big = photo("big", 120, 100, 32);
        Path summary = tmp.resolve("summary.csv");
        Run run = porescope("analyze", small.toString(), big.toString(), "--model", "dog", "--max-megapixels", "0.01",
                "--summary-csv", summary.toString());
        assertEquals(1, run.code(), run.err());
        List<String> rows = lines(summary);
        assertEquals(4, rows.size(), "header, the photo, its skin zone, the failure");
        assertTrue(rows.get(1).contains("small.png,ok,40,40,") && rows.get(1).contains(",all,"), rows.get(1));
        assertTrue(rows.get(2).contains("small.png,ok,40,40,") && rows.get(2).contains(",skin,"), rows.get(2));
        assertTrue(rows.get(3).contains("big.png,failed,") && rows.get(3).contains("over the limit"), rows.get(3));
        assertTrue(run.err().contains("big.png is 120x100"), run.err());
    }

    @Test
    void roiLimitsThePoresAndMustHaveThePhotosSize() {
        Path photo = photo("g", 80, 60, 41);
        Path roi = TestImages.png(TestImages.maskImage(80, 60, 0, 0, 40, 60), tmp.resolve("roi.png"));
        Path mask = tmp.resolve("g-mask.png");
        assertEquals(0, porescope("analyze", photo.toString(), "--model", "dog", "--roi", roi.toString(),
                "--mask", mask.toString()).code());
        Mask roiMask = ImageFiles.defaults().readMask(roi);
        assertArrayEquals(analysis(photo, DogModel.defaults(), roiMask, null).poreMask().bits(),
                ImageFiles.defaults().readMask(mask).bits());

        Path wrongRoi = TestImages.png(TestImages.maskImage(60, 80, 0, 0, 10, 10), tmp.resolve("wrong.png"));
        Run run = porescope("analyze", photo.toString(), "--model", "dog", "--roi", wrongRoi.toString());
        assertOneLineError(run, "wrong.png", "60x80", "80x60", "ROI");
    }

    @Test
    void singleFileOutputsNeedOnePhoto() {
        Path a = photo("h1", 32, 32, 51);
        Path b = photo("h2", 32, 32, 52);
        Run run = porescope("analyze", a.toString(), b.toString(), "--model", "dog", "--mask", tmp.resolve("m.png").toString());
        assertEquals(2, run.code());
        assertTrue(run.err().contains("--out-dir"), run.err());
        assertEquals(2, porescope("analyze", a.toString(), "--model", "dog", "--pixel-size-um", "-1").code());
    }

    @Test
    void withoutModelTheEmbeddedDefaultNetworkRuns() throws IOException {
        // the DoG fallback for a build without embedded models is DefaultModelTest's
        Path photo = photo("i", 48, 48, 61);
        Path json = tmp.resolve("default.json");
        Run run = porescope("analyze", photo.toString(), "--json", json.toString());
        assertEquals(0, run.code(), run.err());
        assertFalse(run.err().contains(DefaultModel.FALLBACK_NOTE), run.err());
        JsonNode card = Json.mapper().readTree(Files.readString(json)).get("model_card");
        assertEquals("onnx", card.get("runtime").asText());
        assertEquals("fp32", card.get("precision").asText());
        assertEquals("slim", card.get("spec").get("name").asText());
    }

    @Test
    void aBadSinglePhotoIsOneLineAndARowInTheSummary() throws IOException {
        Path bad = tmp.resolve("bad.jpg");
        Files.writeString(bad, "no pixels here");
        Path summary = tmp.resolve("one.csv");
        Run run = porescope("analyze", bad.toString(), "--model", "dog", "--summary-csv", summary.toString());
        assertOneLineError(run, "bad.jpg", "not a PNG or JPEG");
        List<String> rows = lines(summary);
        assertEquals(2, rows.size());
        assertTrue(rows.get(1).contains("bad.jpg,failed,"), rows.get(1));
    }

    @Test
    void aFileThatCannotBeWrittenIsNamedWhileTheOthersAreWrittenBesideIt() throws IOException {
        Path photo = photo("w", 64, 48, 8);
        Path notAFolder = tmp.resolve("plain-file");
        Files.writeString(notAFolder, "a file, not a folder");
        Path json = tmp.resolve("w.json");
        Path csv = tmp.resolve("w.csv");
        // the overlay cannot be written; the mask, CSV and JSON are written at the same time
        Run run = porescope("analyze", photo.toString(), "--model", "dog", "--overlay", notAFolder.resolve("w.png").toString(),
                "--csv", csv.toString(), "--json", json.toString());
        assertOneLineError(run, "plain-file", "cannot write");
        assertFalse(Files.exists(json), "no JSON claims a run whose files failed");
    }

    @Test
    void exifOrientationTurnsTheMaskUpright() throws IOException {
        SyntheticPhoto p = new SkinSynthesizer(SynthConfig.defaults(64, 40)).generate("r", 71);
        BufferedImage stored = new BufferedImage(64, 40, BufferedImage.TYPE_INT_RGB);
        stored.setRGB(0, 0, 64, 40, p.argb(), 0, 64);
        Path jpeg = tmp.resolve("rotated.jpg");
        // orientation 6: the stored image is shown turned 90 degrees clockwise
        Files.write(jpeg, TestImages.insertSegment(TestImages.jpeg(stored), TestImages.exifOrientation(6)));
        Path mask = tmp.resolve("rotated-mask.png");
        assertEquals(0, porescope("analyze", jpeg.toString(), "--model", "dog", "--zones", "none", "--mask", mask.toString()).code());
        Mask written = ImageFiles.defaults().readMask(mask);
        assertEquals(40, written.width());
        assertEquals(64, written.height());
        assertArrayEquals(analysis(jpeg, DogModel.defaults(), null, null).poreMask().bits(), written.bits());
    }
}
