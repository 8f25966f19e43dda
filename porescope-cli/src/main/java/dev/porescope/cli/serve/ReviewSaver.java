package dev.porescope.cli.serve;

import dev.porescope.cli.io.PngFiles;
import dev.porescope.core.image.Mask;
import dev.porescope.core.io.AtomicFiles;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Writes a reviewed photo into a data folder in the layout {@code train} reads
 * ({@code images/NAME.png|jpg}, {@code masks/NAME.png}, {@code roi/NAME.png}). NAME is the server's:
 * the upload's safe stem, the time and a counter. Each file is written under a temporary name and
 * renamed; the photo comes last, so a folder never holds a photo without its mask.
 */
public final class ReviewSaver {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final Path dataDir;

    /** @param dataDir the folder to grow; null = saving is off */
    public ReviewSaver(Path dataDir) {
        this.dataDir = dataDir == null ? null : dataDir.toAbsolutePath().normalize();
    }

    public Path dataDir() { return dataDir; }

    /**
     * What a save wrote.
     *
     * @param name          the photo's name in the data folder
     * @param files         the files written, relative to the data folder
     * @param modelPixels   pore pixels in the model's mask
     * @param savedPixels   pore pixels in the saved mask
     * @param added         pixels that are pore in the saved mask and not in the model's
     * @param removed       pixels that are pore in the model's mask and not in the saved one
     */
    public record Saved(String name, List<String> files, int modelPixels, int savedPixels, int added, int removed) { }

    /**
     * @param stored   the analysed photo
     * @param mask     the corrected mask (the photo's size)
     * @param roi      where the mask is valid; null = the whole photo
     * @param model    the model's mask, for the counts
     */
    public synchronized Saved save(AnalysisService.Stored stored, Mask mask, Mask roi, Mask model) {
        if (dataDir == null) {
            throw new ApiException(409, "this server has no data folder to save into; start it with"
                    + " 'porescope serve --data DIR'");
        }
        requireSize(stored, mask, "the corrected mask");
        if (roi != null) requireSize(stored, roi, "the ROI");
        String ext = stored.photo().getFileName().toString().endsWith(".png") ? "png" : "jpg";
        String name = freeName(stored.name() + "-" + LocalDateTime.now().format(STAMP));
        Path image = dataDir.resolve("images").resolve(name + "." + ext);
        Path maskFile = dataDir.resolve("masks").resolve(name + ".png");
        Path roiFile = dataDir.resolve("roi").resolve(name + ".png");
        PngFiles.writeMask(roi != null ? roi : Mask.full(mask.width(), mask.height()), roiFile);
        PngFiles.writeMask(mask, maskFile);
        AtomicFiles.write(image, tmp -> Files.copy(stored.photo(), tmp, StandardCopyOption.REPLACE_EXISTING));
        int added = 0;
        int removed = 0;
        boolean[] m = model.bits();
        boolean[] s = mask.bits();
        for (int i = 0; i < s.length; i++) {
            if (s[i] && !m[i]) added++;
            if (m[i] && !s[i]) removed++;
        }
        return new Saved(name, List.of("images/" + name + "." + ext, "masks/" + name + ".png", "roi/" + name + ".png"),
                model.count(), mask.count(), added, removed);
    }

    private String freeName(String base) {
        String name = base;
        for (int i = 2; taken(name); i++) name = base + "-" + i;
        return name;
    }

    private boolean taken(String name) {
        for (String ext : List.of("png", "jpg", "jpeg", "PNG", "JPG", "JPEG")) {
            if (Files.exists(dataDir.resolve("images").resolve(name + "." + ext))) return true;
        }
        return Files.exists(dataDir.resolve("masks").resolve(name + ".png"));
    }

    private static void requireSize(AnalysisService.Stored stored, Mask mask, String what) {
        if (mask.width() != stored.width() || mask.height() != stored.height()) {
            throw new ApiException(400, what + " is " + mask.width() + "x" + mask.height() + " but the photo "
                    + stored.photo().getFileName() + " is " + stored.width() + "x" + stored.height()
                    + "; send a mask of the photo's size");
        }
    }
}
