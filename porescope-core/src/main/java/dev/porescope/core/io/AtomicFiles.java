package dev.porescope.core.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The one way PoreScope writes a file: into a hidden temporary folder beside it
 * ({@code .NAME.RANDOM.tmp/NAME}, so the file has its final name while it is written, which
 * libtorch puts inside its zips), then renamed into place. A reader never sees half a file, and a
 * failed write leaves the old file as it was and no temporary behind.
 *
 * <p>Native writers (libtorch's save, ONNX Runtime's optimised model) abort the process when the
 * disk fills instead of reporting it, so they pass the size they will need: the folder's free
 * space and the process's file size limit are checked first, in Java.
 */
public final class AtomicFiles {
    /** Room kept free besides a native writer's estimate (zip headers, code, card). */
    static final long NATIVE_MARGIN_BYTES = 1 << 20;

    private AtomicFiles() { }

    /** Something that writes the file it is given (the temporary one). */
    @FunctionalInterface
    public interface Writer {
        void write(Path temporary) throws IOException;
    }

    /** Writes {@code bytes} to {@code file} atomically. */
    public static void writeBytes(Path file, byte[] bytes) {
        write(file, tmp -> Files.write(tmp, bytes));
    }

    /** Writes {@code text} (UTF-8) to {@code file} atomically. */
    public static void writeString(Path file, String text) {
        write(file, tmp -> Files.writeString(tmp, text, java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Runs {@code writer} on a temporary file and renames it to {@code file} (its folder is created). */
    public static void write(Path file, Writer writer) {
        write(file, 0, writer);
    }

    /**
     * Like {@link #write(Path, Writer)} for a writer in native code that needs about
     * {@code bytesNeeded}: refused before it runs when the folder has less room (plus
     * {@value #NATIVE_MARGIN_BYTES} bytes) or the process may not write a file that big.
     */
    public static void write(Path file, long bytesNeeded, Writer writer) {
        Path target = file.toAbsolutePath().normalize();
        Path dir = target.getParent();
        Path tmpDir = null;
        try {
            Files.createDirectories(dir);
            if (bytesNeeded > 0) requireRoom(file, dir, bytesNeeded + NATIVE_MARGIN_BYTES);
            tmpDir = Files.createTempDirectory(dir, "." + target.getFileName() + ".");
            Path tmp = tmpDir.resolve(target.getFileName());
            writer.write(tmp);
            if (!Files.isRegularFile(tmp)) throw new IOException("nothing was written");
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new WriteFailedException(file, e);
        } finally {
            deleteTree(tmpDir);
        }
    }

    /** Fails when {@code dir} has less than {@code bytes} free or the process may not write a file that big. */
    static void requireRoom(Path file, Path dir, long bytes) throws IOException {
        long free = Files.getFileStore(dir).getUsableSpace();
        if (free < bytes) {
            throw new NoRoomException(file, "it needs about " + megabytes(bytes) + " and " + dir + " has "
                    + megabytes(free) + " free");
        }
        long limit = fileSizeLimit();
        if (limit < bytes) {
            throw new NoRoomException(file, "it needs about " + megabytes(bytes) + " and this process may write files of at most "
                    + megabytes(limit) + " (ulimit -f)");
        }
    }

    /** Free bytes where {@code path} is or would be (its nearest existing folder); unlimited when unknown. */
    public static long usableSpace(Path path) {
        Path existing = path.toAbsolutePath().normalize();
        while (existing != null && !Files.exists(existing)) existing = existing.getParent();
        try {
            return existing == null ? Long.MAX_VALUE : Files.getFileStore(existing).getUsableSpace();
        } catch (IOException e) {
            return Long.MAX_VALUE; // cannot tell: the writes will say
        }
    }

    /** The process's file size limit in bytes (Linux {@code /proc/self/limits}; unlimited elsewhere). */
    static long fileSizeLimit() {
        Path limits = Path.of("/proc/self/limits");
        if (!Files.isReadable(limits)) return Long.MAX_VALUE;
        try {
            for (String line : Files.readAllLines(limits)) {
                if (!line.startsWith("Max file size")) continue;
                String soft = line.substring("Max file size".length()).strip().split("\\s+")[0];
                return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
            }
        } catch (IOException | RuntimeException e) {
            return Long.MAX_VALUE; // cannot tell: the write itself will say
        }
        return Long.MAX_VALUE;
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    /** Deletes a temporary folder and what is in it; best effort (the error being reported says why). */
    public static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> all = walk.sorted(Comparator.reverseOrder()).toList();
            for (Path p : all) Files.deleteIfExists(p);
        } catch (IOException | RuntimeException ignored) {
            // a leftover hidden temporary folder is harmless
        }
    }

    /** Not enough room for a native writer: said before it runs. */
    static final class NoRoomException extends FileSystemException {
        NoRoomException(Path file, String why) {
            super(file.toString(), null, why);
        }

        @Override
        public String getMessage() {
            return "not enough room: " + getReason();
        }
    }

    /** Why a write failed, as one line: which file, why, and what to do. */
    static String describe(Path file, IOException e) {
        if (e instanceof NoRoomException) {
            return "cannot write " + file + " (" + e.getMessage() + "); free some space or write it elsewhere";
        }
        if (e instanceof AccessDeniedException a) {
            return "cannot write " + file + " (permission denied: " + a.getFile() + "); write it to a folder you may write to";
        }
        // a file system error names the hidden temporary file; its reason alone says what happened
        String why = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage();
        String reason = String.valueOf(why).strip().replaceAll("\\s*\\R\\s*", " ");
        return "cannot write " + file + " (" + reason + "); check that its folder is writable and the disk is not full";
    }
}
