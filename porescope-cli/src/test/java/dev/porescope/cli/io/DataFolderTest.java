package dev.porescope.cli.io;

import dev.porescope.cli.TestImages;
import dev.porescope.cli.support.UserException;
import dev.porescope.core.data.LabelledImage;
import dev.porescope.core.image.Mask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataFolderTest {
    @TempDir
    Path tmp;

    @Test
    void loadsPhotosMasksAndOptionalRoisByName() throws Exception {
        Path dir = tmp.resolve("data");
        BufferedImage photoB = TestImages.rgbPhoto(20, 10);
        TestImages.png(photoB, dir.resolve("images/b.png"));
        TestImages.png(TestImages.maskImage(20, 10, 1, 1, 2, 2), dir.resolve("masks/b.png"));
        TestImages.png(TestImages.maskImage(20, 10, 0, 0, 10, 10), dir.resolve("roi/b.png"));
        Files.write(dir.resolve("images/a.jpg"), TestImages.jpeg(TestImages.rgbPhoto(16, 8)));
        TestImages.png(TestImages.maskImage(16, 8, 3, 3, 1, 1), dir.resolve("masks/a.png"));
        Files.writeString(dir.resolve("images/notes.txt"), "ignored");

        List<LabelledImage> images = DataFolder.load(dir);
        assertEquals(List.of("a", "b"), images.stream().map(LabelledImage::name).toList());
        LabelledImage a = images.get(0);
        LabelledImage b = images.get(1);
        assertEquals(Mask.full(16, 8), a.roi());
        assertEquals(1, a.label().count());
        assertTrue(a.label().get(3, 3));
        assertEquals(4, b.label().count());
        assertEquals(100, b.roi().count());
        // luma is BT.601 of the stored pixels
        int p = photoB.getRGB(7, 3);
        double expected = (0.299 * (p >> 16 & 0xFF) + 0.587 * (p >> 8 & 0xFF) + 0.114 * (p & 0xFF)) / 255;
        assertEquals(expected, b.luma().get(7, 3), 1e-6);
    }

    @Test
    void twoPhotosWithOneNameAreRefused() throws Exception {
        Path dir = tmp.resolve("twins");
        TestImages.png(TestImages.rgbPhoto(8, 8), dir.resolve("images/x.png"));
        Files.write(dir.resolve("images/x.jpg"), TestImages.jpeg(TestImages.rgbPhoto(8, 8)));
        TestImages.png(TestImages.maskImage(8, 8, 0, 0, 1, 1), dir.resolve("masks/x.png"));
        UserException e = assertThrows(UserException.class, () -> DataFolder.load(dir));
        assertTrue(e.getMessage().contains("x.png") && e.getMessage().contains("x.jpg"), e.getMessage());
    }
}
