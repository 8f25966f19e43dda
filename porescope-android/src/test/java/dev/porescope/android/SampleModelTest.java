package dev.porescope.android;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import dev.porescope.core.image.Luma;
import dev.porescope.core.pores.Pore;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The sample app's real model on the JVM: android-sample's {@code porescope-default.onnx} loads through
 * {@link PoreScope#load}, passes its self-test on ONNX Runtime, and finds in a photo exactly the pores
 * that the command line ({@code porescope analyze --model ... --csv}) writes for the same photo file.
 */
public class SampleModelTest {
    static final File ASSET = new File("../android-sample/app/src/main/assets/porescope-default.onnx");

    @Rule public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void theSampleModelPassesItsSelfTestAndFindsTheCommandLinesPores() throws Exception {
        assumeTrue("the sample's model " + ASSET + " is missing (see android-sample/app/src/main/assets/README.md)", ASSET.isFile());
        // a photo file written by the command line
        Path dir = tmp.getRoot().toPath();
        assertEquals("synth", 0, porescope("synth", "--out", dir.resolve("data").toString(), "--count", "1", "--size", "192",
                "--seed", "7", "--preset", "calibrated"));
        Path photo = dir.resolve("data/images/synth-0000.png");
        Path csv = dir.resolve("cli.csv");
        assertEquals("analyze", 0, porescope("analyze", photo.toString(), "--model", ASSET.getPath(), "--csv", csv.toString()));
        List<String> rows = Files.readAllLines(csv, StandardCharsets.UTF_8);

        try (PoreModel model = PoreScope.load(ASSET)) {
            SelfTestResult check = model.selfTest();
            assertTrue(check.message(), check.passed());
            assertTrue("the sample's model carries golden pairs", check.pairs() > 0);

            BufferedImage image = ImageIO.read(photo.toFile());
            int w = image.getWidth();
            int h = image.getHeight();
            int[] argb = image.getRGB(0, 0, w, h, null, 0, w);   // what Bitmap.getPixels gives for this PNG
            PoreReport report = model.analyze(Luma.fromArgb(argb, w, h), null, null);
            assertTrue("the photo must have pores", report.count() > 10);
            assertEquals("pore count (one CSV row per pore)", rows.size() - 1, report.count());
            for (int i = 0; i < report.count(); i++) {
                Pore p = report.pores().get(i);
                String[] c = rows.get(i + 1).split(",");
                String where = "pore " + (i + 1) + ": " + rows.get(i + 1);
                assertEquals(where, Integer.parseInt(c[1]), p.area());
                assertEquals(where, Double.parseDouble(c[2]), p.x(), 1e-4);
                assertEquals(where, Double.parseDouble(c[3]), p.y(), 1e-4);
                assertEquals(where, Integer.parseInt(c[9]), p.bx());
                assertEquals(where, Integer.parseInt(c[10]), p.by());
                assertEquals(where, Integer.parseInt(c[11]), p.width());
                assertEquals(where, Integer.parseInt(c[12]), p.height());
            }
        }
    }

    /** Runs the porescope command in this JVM; its output goes to the test log only on failure. */
    private static int porescope(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = dev.porescope.cli.Main.run(new PrintStream(out, true), new PrintStream(err, true), args);
        if (code != 0) {
            System.err.println(out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8));
        }
        return code;
    }
}
