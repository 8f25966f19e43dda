package dev.porescope.core.synth;

import dev.porescope.core.image.Mask;
import dev.porescope.core.image.Plane;
import dev.porescope.core.testing.RealData;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Synthetic versus real-left statistics side by side; skipped where ../shared/data/real-left is absent. */
class RealLeftCalibrationTest {

    @Test
    void syntheticMatchesRealLeft() throws Exception {
        Path dir = RealData.folderOrSkip();
        BufferedImage photo = ImageIO.read(dir.resolve("images/face-left.png").toFile());
        int w = photo.getWidth();
        int h = photo.getHeight();
        int[] argb = photo.getRGB(0, 0, w, h, null, 0, w);
        Plane luma = dev.porescope.core.image.Luma.fromArgb(argb, w, h);
        SkinStatistics real = SkinStatistics.measure(luma, readMask(dir.resolve("masks/face-left.png").toFile()),
                readMask(dir.resolve("roi/face-left.png").toFile()));
        // the figures in real-left's README
        assertEquals(35.4, real.poresPer100x100(), 0.5);
        assertEquals(5.05, real.medianEquivalentDiameter(), 0.1);
        assertEquals(0.084, real.poreFraction(), 0.002);

        SkinSynthesizer synth = new SkinSynthesizer(SynthConfig.defaults(512, 512));
        List<SkinStatistics> synthetic = new ArrayList<>();
        for (long seed = 0; seed < 4; seed++) synthetic.add(SkinStatistics.of(synth.generate(seed)));
        CalibrationReport report = new CalibrationReport(synthetic, List.of(real));
        System.out.print(report.table());
        assertTrue(report.syntheticInRange(), report.table());
    }

    private static Mask readMask(File file) throws Exception {
        BufferedImage img = ImageIO.read(file);
        Mask m = new Mask(img.getWidth(), img.getHeight());
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) m.set(x, y, img.getRaster().getSample(x, y, 0) > 127);
        }
        return m;
    }
}
