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

    /** Rows (their tags) that fold {@code j} trains on. */
    private static java.util.SortedSet<Integer> trainingRows(Folds folds, int j) {
        return tags(folds.training().get(j));
    }

    /** The rows of the original photo (their tags) that some pieces hold. */
    private static java.util.SortedSet<Integer> tags(List<LabelledImage> pieces) {
        java.util.SortedSet<Integer> rows = new java.util.TreeSet<>();
        for (LabelledImage t : pieces) {
            assertEquals(t.luma().height(), t.label().height());
            assertEquals(t.luma().height(), t.roi().height());
            for (int y = 0; y < t.luma().height(); y++) rows.add((int) t.luma().get(0, y));
        }
        return rows;
    }

    private static java.util.SortedSet<Integer> rows(int... ranges) {
        java.util.SortedSet<Integer> rows = new java.util.TreeSet<>();
        for (int i = 0; i < ranges.length; i += 2) for (int y = ranges[i]; y <= ranges[i + 1]; y++) rows.add(y);
        return rows;
    }

    @Test
    void trainingOnNFoldsTakesTheNearestBandsAndNothingOfTheTestOrUnusedBands() {
        // a full-width ROI on 500 rows: 5 bands of equal ROI share are rows 0-99, 100-199, ..., 400-499
        int w = 8, h = 500, gap = 20;
        LabelledImage photo = tagged(w, h);
        Mask full = new Mask(w, h);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) full.set(x, y, true);
        photo = new LabelledImage("p", photo.luma(), photo.label(), full);
        Folds one = Folds.of(List.of(photo), 5, gap, 1);
        assertEquals(rows(120, 199), trainingRows(one, 0), "fold 1, 1 band: band 2 less the gap");
        assertEquals(rows(100, 179), trainingRows(one, 2), "fold 3, 1 band: a tie, the band above (2) less the gap");
        assertEquals(rows(300, 379), trainingRows(one, 4), "fold 5, 1 band: band 4 less the gap");
        Folds two = Folds.of(List.of(photo), 5, gap, 2);
        assertEquals(rows(120, 299), trainingRows(two, 0), "fold 1, 2 bands: bands 2 and 3");
        assertEquals(rows(0, 79, 220, 299), trainingRows(two, 1), "fold 2, 2 bands: bands 1 and 3");
        assertEquals(rows(100, 179, 320, 399), trainingRows(two, 2), "fold 3, 2 bands: bands 2 and 4");
        assertEquals(rows(200, 379), trainingRows(two, 4), "fold 5, 2 bands: bands 3 and 4");
        Folds four = Folds.of(List.of(photo), 5, gap, 4);
        assertEquals(rows(0, 179, 320, 499), trainingRows(four, 2), "fold 3, all 4 other bands");
        assertEquals(rows(0, 379), trainingRows(four, 4), "fold 5, all 4 other bands");
        for (int j = 0; j < 5; j++) {
            assertEquals(rows(100 * j, 100 * j + 99), tags(four.test().get(j)),
                    "fold " + (j + 1) + " tests band " + (j + 1));
        }
        Folds none = Folds.of(List.of(photo), 5, gap, 0);
        for (int j = 0; j < 5; j++) {
            assertTrue(none.training().get(j).isEmpty(), "0 bands: fold " + (j + 1) + " trains on nothing");
            assertEquals(100, none.test().get(j).get(0).luma().height());
        }
        assertThrows(IllegalArgumentException.class, () -> Folds.of(List.of(tagged(20, 300)), 3, 0, 3));
    }

    @Test
    void tooManyFoldsOrTooBigAGapIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Folds.of(List.of(tagged(20, 30)), 1, 0));
        assertThrows(IllegalArgumentException.class, () -> Folds.of(List.of(tagged(20, 30)), 2, 40));
    }
}
