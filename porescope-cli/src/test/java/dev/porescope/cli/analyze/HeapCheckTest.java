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
        // 7000 x 7000 = 49 MP: at 20 bytes a pixel, 980 MB (934 MiB) against 512
        UserException e = assertThrows(UserException.class, () ->
                PhotoAnalysis.requireHeap(new ImageFiles.Size(7000, 7000), Path.of("big.jpg"), HEAP_512_MB));
        String m = e.getMessage();
        assertTrue(m.startsWith("big.jpg is 7000x7000 (49 MP)"), m);
        assertTrue(m.contains("at least 934 MB") && m.contains("this one has 512 MB"), m);
        assertTrue(m.contains("JAVA_OPTS=-Xmx") && !m.contains("\n"), m);
    }

    @Test
    void aTwelveMegapixelPhotoFitsTheDefault512MbHeap() {
        // 4000 x 3000 at 20 bytes a pixel: 229 MiB, within 512 (the README's memory table runs it there)
        assertDoesNotThrow(() -> PhotoAnalysis.requireHeap(new ImageFiles.Size(4000, 3000), Path.of("p.jpg"), HEAP_512_MB));
    }
}
