package dev.porescope.cli.analyze;

import dev.porescope.cli.support.UserException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/** The photos that {@code analyze}'s arguments name: folders expanded, each with the name its output files get. */
public final class PhotoInputs {
    private PhotoInputs() { }

    /**
     * A photo to analyse, with the name its {@code --out-dir} files get; or an argument that already
     * failed ({@code problem}: a folder without photos).
     */
    public record Input(Path photo, String name, RuntimeException problem) { }

    /** Photos of the arguments, folders expanded (sorted); a missing path or an empty folder is a failing input. */
    public static List<Input> expand(List<Path> args) {
        List<Path> files = new ArrayList<>();
        List<Input> out = new ArrayList<>();
        for (Path arg : args) {
            if (Files.isDirectory(arg)) {
                List<Path> inFolder;
                try (Stream<Path> list = Files.list(arg)) {
                    inFolder = list.filter(p -> Files.isRegularFile(p) && isPhotoName(p)).sorted().toList();
                } catch (IOException e) {
                    throw new UserException("cannot list the folder " + arg + " (" + e.getMessage() + "); check its permissions", e);
                }
                if (inFolder.isEmpty()) {
                    out.add(new Input(arg, null, new UserException("the folder " + arg
                            + " has no photos (.png, .jpg, .jpeg); give photos or a folder of them")));
                }
                files.addAll(inFolder);
            } else {
                files.add(arg);
            }
        }
        Map<String, Integer> stems = new HashMap<>();
        for (Path f : files) stems.merge(stem(f), 1, Integer::sum);
        List<Input> photos = new ArrayList<>();
        for (Path f : files) {
            String name = stems.get(stem(f)) > 1 ? f.getFileName().toString().replace('.', '_') : stem(f);
            photos.add(new Input(f, name, null));
        }
        photos.addAll(out);
        return photos;
    }

    private static boolean isPhotoName(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg");
    }

    private static String stem(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }
}
