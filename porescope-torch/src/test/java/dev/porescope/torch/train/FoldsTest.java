package dev.porescope.torch.train;

import dev.porescope.core.data.LabelledImage;
import dev.porescope.core.image.Mask;
import dev.porescope.torch.TestImages;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FoldsTest {

    /** A photo whose ROI is a triangle, so equal-ROI bands have unequal heights; each row tagged by its index. */
    private static LabelledImage tagged(int w, int h) {
        LabelledImage d = TestImages.discs("p", w, h, 5, 1);
        Mask roi = new Mask(w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                roi.set(x, y, x < (long) w * (y + 1) / h);
                d.luma().set(x, y, y); // the row it came from
            }
        }
        return new LabelledImage("p", d.luma(), d.label(), roi);
    }

    private static long roiPixels(LabelledImage p) {
        long n = 0;
        for (boolean b : p.roi().bits()) if (b) n++;
        return n;
    }

    @Test
    void bandsHoldEqualRoiSharesAndTrainingStaysAGapAwayFromTheTestRows() {
        int w = 60, h = 300, gap = 20;
        LabelledImage photo = tagged(w, h);
        Folds folds = Folds.of(List.of(photo), 3, gap);
        assertEquals(3, folds.count());
        long total = roiPixels(photo);
        int rowsTested = 0;
        for (int j = 0; j < 3; j++) {
            LabelledImage test = folds.test().get(j).get(0);
            assertEquals(total / 3.0, roiPixels(test), w, "fold " + (j + 1) + " ROI share");
            int first = (int) test.luma().get(0, 0);
            int last = (int) test.luma().get(0, test.luma().height() - 1);
            assertEquals(first + test.luma().height() - 1, last, "a test band is contiguous rows");
            rowsTested += test.luma().height();
            for (LabelledImage t : folds.training().get(j)) {
                for (int y = 0; y < t.luma().height(); y++) {
                    int row = (int) t.luma().get(0, y);
                    assertTrue(row < first - gap + 1 || row > last + gap - 1,
                            "training row " + row + " within " + gap + " rows of the test rows " + first + "-" + last);
                }
            }
        }
        assertEquals(h, rowsTested, "the test bands cover every row once");
        // the triangle ROI grows downwards, so the top band is the tallest
        assertTrue(folds.test().get(0).get(0).luma().height() > folds.test().get(2).get(0).luma().height());
    }

    @Test
    void tooManyFoldsOrTooBigAGapIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Folds.of(List.of(tagged(20, 30)), 1, 0));
        assertThrows(IllegalArgumentException.class, () -> Folds.of(List.of(tagged(20, 30)), 2, 40));
    }
}
