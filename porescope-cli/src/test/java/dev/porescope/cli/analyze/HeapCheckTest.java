package dev.porescope.cli.analyze;

import dev.porescope.cli.io.ImageFiles;
import dev.porescope.cli.support.UserException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A photo the heap cannot hold is refused from its header, in one line that says what to run instead. */
class HeapCheckTest {
    private static final long HEAP_512_MB = 512L << 20;

    @Test
    void a49MegapixelPhotoUnderA512MbHeapIsRefusedWithTheHeapItNeeds() {
        // 7000 x 7000 = 49 MP: at 24 bytes a pixel, 1176 MB (1121 MiB) against 512
        UserException e = assertThrows(UserException.class, () ->
                PhotoAnalysis.requireHeap(new ImageFiles.Size(7000, 7000), Path.of("big.jpg"), HEAP_512_MB));
        String m = e.getMessage();
        assertTrue(m.startsWith("big.jpg is 7000x7000 (49 MP)"), m);
        assertTrue(m.contains("at least 1121 MB") && m.contains("this one has 512 MB"), m);
        assertTrue(m.contains("JAVA_OPTS=-Xmx") && !m.contains("\n"), m);
    }

    @Test
    void aTwelveAndASixteenMegapixelPhotoFitTheDefault512MbHeap() {
        // both ran with every output under -Xmx512m (README "Memory"); at 24 bytes a pixel 275 and 366 MiB
        assertDoesNotThrow(() -> PhotoAnalysis.requireHeap(new ImageFiles.Size(4000, 3000), Path.of("p.jpg"), HEAP_512_MB));
        assertDoesNotThrow(() -> PhotoAnalysis.requireHeap(new ImageFiles.Size(4000, 4000), Path.of("p.jpg"), HEAP_512_MB));
    }

    @Test
    void a25MegapixelPhotoThatRanOutOfA512MbHeapHalfWayIsNowRefusedFromItsHeader() {
        // 5000 x 5000 ran out of memory under -Xmx512m even with the JSON alone (README "Memory")
        UserException e = assertThrows(UserException.class, () ->
                PhotoAnalysis.requireHeap(new ImageFiles.Size(5000, 5000), Path.of("p25.png"), HEAP_512_MB));
        assertTrue(e.getMessage().contains("at least 572 MB"), e.getMessage());
    }
}
