package dev.porescope.core.testing;

import dev.porescope.core.data.LabelledImage;
import dev.porescope.core.image.Luma;
import dev.porescope.core.image.Mask;
import org.junit.jupiter.api.Assumptions;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The one way tests find the shared real labelled photo: {@code ../shared/data/real-left} beside the
 * project's folder (the one with the parent {@code pom.xml}), wherever Maven runs the tests from.
 * It is never committed and never needed: a test that wants it is skipped, with the reason, when it
 * is absent. javax.imageio is fine in tests, not in main.
 */
public final class RealData {
    private RealData() { }

    /** The real-left folder, or null where it is absent. */
    public static Path folder() {
        Path p = expected();
        return p != null && Files.isDirectory(p.resolve("images")) ? p : null;
    }

    /** The real-left folder; the calling test is skipped (JUnit assumption, with the path looked at) where it is absent. */
    public static Path folderOrSkip() {
        Path p = folder();
        Assumptions.assumeTrue(p != null, () -> "real-data test skipped: " + (expected() == null
                ? "the project folder (with porescope-core/) was not found above " + Path.of("").toAbsolutePath()
                : expected() + " is absent") + " (../shared is never committed)");
        return p;
    }

    /** {@code <project>/../shared/data/real-left}; null when no project folder is above the working directory. */
    static Path expected() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("porescope-core"))) {
                return dir.resolveSibling("shared").resolve("data").resolve("real-left").normalize();
            }
        }
        return null;
    }

    public static List<LabelledImage> load(Path folder) throws IOException {
        List<LabelledImage> out = new ArrayList<>();
        try (var files = Files.list(folder.resolve("images"))) {
            for (Path image : files.sorted().toList()) {
                String file = image.getFileName().toString();
                String name = file.substring(0, file.lastIndexOf('.'));
                BufferedImage photo = ImageIO.read(image.toFile());
                int w = photo.getWidth();
                int h = photo.getHeight();
                int[] argb = photo.getRGB(0, 0, w, h, null, 0, w);
                Mask label = mask(folder.resolve("masks").resolve(file));
                Path roiFile = folder.resolve("roi").resolve(file);
                Mask roi = Files.exists(roiFile) ? mask(roiFile) : Mask.full(w, h);
                out.add(new LabelledImage(name, Luma.fromArgb(argb, w, h), label, roi));
            }
        }
        return out;
    }

    private static Mask mask(Path file) throws IOException {
        BufferedImage img = ImageIO.read(file.toFile());
        int w = img.getWidth();
        int h = img.getHeight();
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        boolean[] bits = new boolean[argb.length];
        for (int i = 0; i < argb.length; i++) bits[i] = (argb[i] & 0xFF) >= 128;
        return new Mask(w, h, bits);
    }
}
