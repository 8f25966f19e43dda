package dev.porescope.core.testing;

import dev.porescope.core.data.LabelledImage;
import dev.porescope.core.image.Luma;
import dev.porescope.core.image.Mask;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test-only reader of the shared real labelled photo (javax.imageio is fine in tests, not in main). */
public final class RealData {
    private RealData() { }

    /** The real-left folder, or null where it is absent (tests then skip). */
    public static Path folder() {
        String override = System.getProperty("porescope.realData");
        Path p = override != null ? Path.of(override) : Path.of("../../shared/data/real-left");
        if (!Files.isDirectory(p)) p = Path.of("/work/shared/data/real-left");
        return Files.isDirectory(p.resolve("images")) ? p : null;
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
