package dev.porescope.core.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AtomicFilesTest {
    @TempDir
    Path tmp;

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void theFileHasItsFinalNameWhileWrittenAndAppearsOnlyWhenDone() throws IOException {
        Path out = tmp.resolve("sub/model.pt");
        AtomicFiles.write(out, temporary -> {
            assertEquals("model.pt", temporary.getFileName().toString(), "libtorch names its zip folder after the file");
            assertFalse(Files.exists(out), "nothing under the final name before the rename");
            Files.writeString(temporary, "new");
        });
        assertEquals("new", Files.readString(out));
        try (Stream<Path> s = Files.list(out.getParent())) {
            assertEquals(List.of("model.pt"), s.map(p -> p.getFileName().toString()).toList(), "no temporary left");
        }
    }

    @Test
    void aFailedWriteKeepsTheOldFileAndLeavesNoTemporary() throws IOException {
        Path out = Files.writeString(tmp.resolve("a.json"), "old");
        WriteFailedException e = assertThrows(WriteFailedException.class, () -> AtomicFiles.write(out, temporary -> {
            Files.writeString(temporary, "half");
            throw new IOException("No space left on device");
        }));
        assertEquals("cannot write " + out + " (No space left on device); check that its folder is writable and the disk is not full",
                e.getMessage());
        assertEquals("old", Files.readString(out));
        assertEquals(List.of("a.json"), names());
    }

    @Test
    void aWriterThatWritesNothingIsAFailure() throws IOException {
        Path out = tmp.resolve("x.ort");
        assertThrows(WriteFailedException.class, () -> AtomicFiles.write(out, temporary -> { }));
        assertEquals(List.of(), names());
    }

    @Test
    void aNativeWriterIsRefusedBeforeItRunsWhenTheFolderHasNoRoom() throws IOException {
        Path out = tmp.resolve("m.ptl");
        long free = Files.getFileStore(tmp).getUsableSpace();
        AtomicBoolean ran = new AtomicBoolean();
        WriteFailedException e = assertThrows(WriteFailedException.class,
                () -> AtomicFiles.write(out, free + 1, temporary -> ran.set(true)));
        assertFalse(ran.get(), "the native writer never started");
        assertTrue(e.getMessage().startsWith("cannot write " + out + " (not enough room: it needs about "), e.getMessage());
        assertTrue(e.getMessage().endsWith("free some space or write it elsewhere"), e.getMessage());
        assertEquals(List.of(), names());
        // and with room, it runs
        AtomicFiles.write(out, 10, temporary -> Files.write(temporary, new byte[10]));
        assertEquals(10, Files.size(out));
    }

    @Test
    void theFileSizeLimitIsReadFromTheProcessLimits() throws Exception {
        Path limits = Path.of("/proc/self/limits");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(limits), "no /proc/self/limits on this system");
        String line = Files.readAllLines(limits).stream().filter(l -> l.startsWith("Max file size")).findFirst().orElseThrow();
        String soft = line.substring("Max file size".length()).strip().split("\\s+")[0];
        assertEquals(soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft), AtomicFiles.fileSizeLimit());
    }
}
