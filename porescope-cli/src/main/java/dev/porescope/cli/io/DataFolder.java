package dev.porescope.cli.io;

import dev.porescope.cli.support.UserException;
import dev.porescope.core.data.LabelledImage;
import dev.porescope.core.image.Luma;
import dev.porescope.core.image.Mask;
import dev.porescope.core.image.Plane;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * A PoreScope data folder: {@code DIR/images/NAME.(png|jpg|jpeg)}, its label {@code DIR/masks/NAME.png}
 * (255 = pore) and optionally its region of interest {@code DIR/roi/NAME.png} (255 = evaluate here).
 */
public final class DataFolder {
    public static final String LAYOUT = "a data folder holds images/NAME.png|jpg, masks/NAME.png (255 = pore)"
            + " and optionally roi/NAME.png";
    private static final List<String> PHOTO_EXTENSIONS = List.of("png", "jpg", "jpeg");

    private DataFolder() { }

    /** The photos of one folder with their labels, sorted by name, with the default pixel limit. */
    public static List<LabelledImage> load(Path dir) {
        return load(dir, ImageFiles.defaults());
    }

    public static List<LabelledImage> load(Path dir, ImageFiles files) {
        Map<String, Path> photos = photos(dir);
        List<String> names = new ArrayList<>(photos.keySet());
        Path masks = dir.resolve("masks");
        Path rois = dir.resolve("roi");
        // Every pairing is checked before any pixel is decoded: a missing mask fails in milliseconds.
        for (String name : names) {
            Path mask = masks.resolve(name + ".png");
            if (!Files.isRegularFile(mask)) {
                throw new UserException(photos.get(name) + " has no mask " + mask
                        + "; add its label (255 = pore) or move the photo out of the folder");
            }
        }
        Object[] loaded = new Object[names.size()];
        IntStream.range(0, names.size()).parallel().forEach(i -> {
            String name = names.get(i);
            try {
                Path roi = rois.resolve(name + ".png");
                loaded[i] = loadOne(name, photos.get(name), masks.resolve(name + ".png"),
                        Files.isRegularFile(roi) ? roi : null, files);
            } catch (RuntimeException e) {
                loaded[i] = e;
            }
        });
        List<LabelledImage> images = new ArrayList<>(names.size());
        for (Object item : loaded) {
            // the first failure in name order, so that the message does not depend on thread timing
            if (item instanceof RuntimeException e) throw e;
            images.add((LabelledImage) item);
        }
        return images;
    }

    /** One labelled photo; {@code roiFile} may be null (then the whole photo counts). */
    public static LabelledImage loadOne(String name, Path photoFile, Path maskFile, Path roiFile, ImageFiles files) {
        ArgbImage photo = files.readArgb(photoFile);
        Mask label = files.readMask(maskFile);
        requireSameSize(photoFile, photo, maskFile, label);
        Mask roi;
        if (roiFile != null) {
            roi = files.readMask(roiFile);
            requireSameSize(photoFile, photo, roiFile, roi);
            if (roi.count() == 0) {
                throw new UserException(roiFile + " is all zero: no pixel of " + photoFile + " would be scored or trained on;"
                        + " mark the region to use with nonzero pixels, or delete the ROI file to use the whole photo");
            }
        } else {
            roi = Mask.full(photo.width(), photo.height());
        }
        return new LabelledImage(name, luma(photo), label, roi);
    }

    /** BT.601 luma in [0, 1]. */
    public static Plane luma(ArgbImage photo) {
        return Luma.fromArgb(photo.argb(), photo.width(), photo.height());
    }

    private static void requireSameSize(Path photoFile, ArgbImage photo, Path maskFile, Mask mask) {
        if (mask.width() != photo.width() || mask.height() != photo.height()) {
            throw new UserException(maskFile + " is " + mask.width() + "x" + mask.height() + " but its photo "
                    + photoFile + " is " + photo.width() + "x" + photo.height()
                    + (mask.width() == photo.height() && mask.height() == photo.width()
                        ? " (turned by its EXIF orientation?)" : "")
                    + "; make them the same size");
        }
    }

    /**
     * One photo of a data folder and its optional files, nothing decoded.
     *
     * @param mask its label, or null when the folder has none for it
     * @param roi  its region of interest, or null
     */
    public record Entry(String name, Path photo, Path mask, Path roi) {
        public boolean labelled() { return mask != null; }
    }

    /**
     * The photos of a data folder, sorted by name, with their masks and ROIs where present. With
     * {@code requireLabels} a photo without a mask is an error (as in {@link #load}); without it,
     * unlabelled photos are allowed (for comparing two models, which needs no labels).
     */
    public static List<Entry> entries(Path dir, boolean requireLabels) {
        Map<String, Path> photos = photos(dir);
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, Path> e : photos.entrySet()) {
            Path mask = dir.resolve("masks").resolve(e.getKey() + ".png");
            Path roi = dir.resolve("roi").resolve(e.getKey() + ".png");
            boolean hasMask = Files.isRegularFile(mask);
            if (requireLabels && !hasMask) {
                throw new UserException(e.getValue() + " has no mask " + mask
                        + "; add its label (255 = pore) or move the photo out of the folder");
            }
            entries.add(new Entry(e.getKey(), e.getValue(), hasMask ? mask : null, Files.isRegularFile(roi) ? roi : null));
        }
        return entries;
    }

    /**
     * Photo files of a folder of photos, or of a data folder's {@code images/}, sorted by name (for
     * int8 calibration); {@code what} names the folder's role in the error messages.
     */
    public static List<Path> photoFiles(Path dir, String what) {
        if (!Files.isDirectory(dir)) {
            throw new UserException(what + " " + dir + (Files.exists(dir) ? " is a file, not a folder" : " does not exist")
                    + "; give a folder of photos (.png, .jpg) or a data folder with images/");
        }
        Path images = Files.isDirectory(dir.resolve("images")) ? dir.resolve("images") : dir;
        Map<String, Path> photos = listPhotos(images);
        if (photos.isEmpty()) {
            throw new UserException(what + " " + dir + " has no photos (.png, .jpg, .jpeg)"
                    + (images == dir ? "" : " in images/") + "; give a folder of photos like the ones the model will see");
        }
        return List.copyOf(photos.values());
    }

    /** Photo files by name (file name without extension), sorted. */
    private static Map<String, Path> photos(Path dir) {
        if (!Files.exists(dir)) {
            throw new UserException("data folder " + dir + " does not exist; " + LAYOUT);
        }
        if (!Files.isDirectory(dir)) {
            throw new UserException(dir + " is a file, not a data folder; " + LAYOUT);
        }
        Path images = dir.resolve("images");
        if (!Files.isDirectory(images)) {
            throw new UserException("data folder " + dir + " has no images/ folder; " + LAYOUT);
        }
        Map<String, Path> photos = listPhotos(images);
        if (photos.isEmpty()) {
            throw new UserException("data folder " + dir + " has no photos in images/ (.png, .jpg, .jpeg); " + LAYOUT);
        }
        return photos;
    }

    private static Map<String, Path> listPhotos(Path images) {
        Map<String, Path> photos = new TreeMap<>();
        try (Stream<Path> entries = Files.list(images)) {
            for (Path file : (Iterable<Path>) entries.sorted()::iterator) {
                String fileName = file.getFileName().toString();
                int dot = fileName.lastIndexOf('.');
                if (dot <= 0 || fileName.startsWith(".") || !Files.isRegularFile(file)) continue;
                String ext = fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
                if (!PHOTO_EXTENSIONS.contains(ext)) continue;
                String name = fileName.substring(0, dot);
                Path before = photos.put(name, file);
                if (before != null) {
                    throw new UserException(images + " holds two photos named " + name + " (" + before.getFileName()
                            + " and " + fileName + "); keep one, since both would share masks/" + name + ".png");
                }
            }
        } catch (IOException e) {
            throw new UserException("cannot list " + images + " (" + e.getMessage() + "); check its permissions", e);
        }
        return photos;
    }
}
