package dev.porescope.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.porescope.cli.MainTest.Run;
import dev.porescope.cli.TestImages;
import dev.porescope.cli.io.ImageFiles;
import dev.porescope.core.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import static dev.porescope.cli.MainTest.assertOneLineError;
import static dev.porescope.cli.MainTest.porescope;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code analyze --zones}: a face drawn with java.awt, its zones, the per-zone report and the refusals. */
class ZonesCommandTest {
    @TempDir
    Path tmp;

    /**
     * A frontal face with its eyes {@code d} px apart around (cx, cy): skin oval, brows, closed-eye
     * lash lines, nostrils, lips, and darker dots as pores on the skin, on a grey-blue background.
     */
    private Path face(String name, int w, int h, double cx, double cy, double d) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(0x7090A8));
        g.fillRect(0, 0, w, h);
        g.setColor(new Color(0xE0AC96));
        oval(g, cx, cy + 0.35 * d, 1.1 * d, 1.55 * d);
        g.setColor(new Color(0xC89886));
        Random random = new Random(5);
        for (int i = 0; i < 3000; i++) {  // pores: 3 px dots, about 10 % darker than the skin
            double x = cx + (random.nextDouble() - 0.5) * 2 * d;
            double y = cy + (random.nextDouble() - 0.5) * 2.6 * d;
            g.fillOval((int) x, (int) y, 3, 3);
        }
        for (int side = -1; side <= 1; side += 2) {
            g.setColor(new Color(0x3C2D28));
            oval(g, cx + side * 0.47 * d, cy - 0.38 * d, 0.3 * d, 0.05 * d);
            g.setColor(new Color(0x2A2020));
            oval(g, cx + side * 0.5 * d, cy, 0.18 * d, 0.035 * d);
            g.setColor(new Color(0x3A2420));
            oval(g, cx + side * 0.12 * d, cy + 0.66 * d, 0.05 * d, 0.03 * d);
        }
        g.setColor(new Color(0xB45A5A));
        oval(g, cx, cy + 1.05 * d, 0.28 * d, 0.07 * d);
        g.dispose();
        return TestImages.png(image, tmp.resolve(name + ".png"));
    }

    private static void oval(Graphics2D g, double cx, double cy, double rx, double ry) {
        g.fill(new Ellipse2D.Double(cx - rx, cy - ry, 2 * rx, 2 * ry));
    }

    @Test
    void aFrontalFaceIsCountedPerZone() throws IOException {
        Path photo = face("face", 1200, 1300, 600, 560, 440);
        Path json = tmp.resolve("face.json");
        Path zonesPng = tmp.resolve("face-zones.png");
        Path summary = tmp.resolve("summary.csv");
        Run run = porescope("analyze", photo.toString(), "--model", "dog", "--json", json.toString(),
                "--zones-mask", zonesPng.toString(), "--summary-csv", summary.toString(), "--overlay", tmp.resolve("o.png").toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("frontal face found"), run.out());

        JsonNode report = Json.mapper().readTree(json.toFile());
        assertEquals("face", report.get("zone_finder").get("status").asText());
        assertEquals("MediaPipe face detection + face mesh", report.get("zone_finder").get("by").asText(),
                "the learned models found the drawn face");
        List<String> names = new ArrayList<>();
        long zonePores = 0;
        for (JsonNode zone : report.get("zones")) {
            names.add(zone.get("name").asText());
            zonePores += zone.get("pores").asLong();
            double score = zone.get("pore_score").asDouble();
            assertTrue(score >= 0 && score < 100, zone.toString());
        }
        assertEquals(List.of("forehead", "nose", "right_cheek", "left_cheek", "chin"), names);
        assertEquals(report.get("summary").get("count").asLong(), zonePores, "every pore is in exactly one zone");
        assertTrue(zonePores > 100, "the drawn pores are found: " + zonePores);

        // the zone mask: the legend's values, the nose where the nose is, nothing on the eyes or the background
        var zones = ImageFiles.defaults().readArgb(zonesPng);
        TreeSet<Integer> values = new TreeSet<>();
        for (int p : zones.argb()) values.add(p & 0xFF);
        assertEquals(new TreeSet<>(List.of(0, 40, 80, 120, 160, 200)), values);
        assertEquals(80, zones.get(600, 690) & 0xFF, "nose");
        assertEquals(120, zones.get(314, 800) & 0xFF, "the subject's right cheek is on the image's left");
        assertEquals(0, zones.get(380, 560) & 0xFF, "eye");
        assertEquals(0, zones.get(3, 3) & 0xFF, "background");
        assertEquals(report.get("zones_legend").get("nose").asInt(), 80);

        List<String> rows = Files.readAllLines(summary);
        assertEquals(1 + 1 + 5, rows.size(), "header, the photo, five zones");
        assertTrue(rows.get(0).endsWith(",zone,pore_score"), rows.get(0));
        assertTrue(rows.get(4).contains(",right_cheek,"), rows.get(4));
    }

    @Test
    void withZonesNoneTheWholePhotoIsAnalysedAsBefore() throws IOException {
        Path photo = face("whole", 1200, 1300, 600, 560, 440);
        Path json = tmp.resolve("whole.json");
        assertEquals(0, porescope("analyze", photo.toString(), "--model", "dog", "--zones", "none", "--json", json.toString()).code());
        JsonNode report = Json.mapper().readTree(json.toFile());
        assertFalse(report.has("zones"));
        assertEquals(1200L * 1300, report.get("summary").get("roiPixels").asLong());
    }

    @Test
    void aFaceTooSmallNoSkinAndBadUsageAreOneLine() {
        Path small = face("small", 1200, 1300, 600, 560, 250);
        Run run = porescope("analyze", small.toString(), "--model", "dog");
        assertEquals(1, run.code());
        assertOneLineError(run, "small.png");
        assertTrue(run.err().contains("too small") && run.err().contains("--zones none"), run.err());

        BufferedImage blue = new BufferedImage(200, 100, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = blue.createGraphics();
        g.setColor(new Color(0x2050C0));
        g.fillRect(0, 0, 200, 100);
        g.dispose();
        Path noSkin = TestImages.png(blue, tmp.resolve("blue.png"));
        Run none = porescope("analyze", noSkin.toString(), "--model", "dog");
        assertEquals(1, none.code());
        assertTrue(none.err().contains("no skin found"), none.err());

        assertEquals(2, porescope("analyze", noSkin.toString(), "--model", "dog", "--zones", "maybe").code());
        assertEquals(2, porescope("analyze", noSkin.toString(), "--model", "dog", "--zones-mask", "z.png",
                "--roi", "r.png").code());
    }
}
