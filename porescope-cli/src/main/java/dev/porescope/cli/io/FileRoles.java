package dev.porescope.cli.io;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;

/**
 * The files a command reads and the files it writes, so that no output overwrites an input (a
 * photo destroyed by its own mask) and no two outputs share a file. Paths are compared as the file
 * they name: through links, relative or absolute, and by inode for files that exist.
 */
public final class FileRoles {
    private record Role(String what, Path path, boolean output) { }

    private final Map<Object, Role> files = new HashMap<>();
    private final Map<Object, Role> folders = new HashMap<>();
    private String clash;

    /** A file the command reads ({@code what}: how the user named it, e.g. "--roi" or "the photo"); null is ignored. */
    public FileRoles input(String what, Path file) {
        return add(new Role(what, file, false));
    }

    /** A file the command writes; null is ignored. */
    public FileRoles output(String what, Path file) {
        return add(new Role(what, file, true));
    }

    /** A folder the command reads from; an output folder may not be it, nor lie inside it, nor hold it. */
    public FileRoles inputFolder(String what, Path folder) {
        if (folder != null && clash == null) folders.put(key(folder), new Role(what, folder, false));
        return this;
    }

    /** A folder the command writes its files into: checked against the input folders. */
    public FileRoles outputFolder(String what, Path folder) {
        if (folder == null || clash != null) return this;
        Path out = real(folder);
        for (Role in : folders.values()) {
            Path read = real(in.path());
            if (out.startsWith(read) || read.startsWith(out)) {
                clash = what + " " + folder + " " + (out.equals(read) ? "is" : out.startsWith(read) ? "lies inside" : "holds")
                        + " " + in.what() + " " + in.path() + ": its files could be overwritten; write to another folder";
            }
        }
        return this;
    }

    /** The first clash found, or null. */
    public String clash() {
        return clash;
    }

    /** Refuses the command line (exit 2, one line) when an output is an input or another output. */
    public void check(CommandSpec spec) {
        if (clash != null) throw new ParameterException(spec.commandLine(), clash);
    }

    private FileRoles add(Role role) {
        if (role.path() == null || clash != null) return this;
        Role before = files.putIfAbsent(key(role.path()), role);
        if (before == null || (!before.output() && !role.output())) return this;
        Role out = role.output() ? role : before;
        Role other = out == role ? before : role;
        if (other.output()) {
            clash = other.what() + " and " + out.what() + " are the same file (" + out.path()
                    + "); give each output its own file";
        } else {
            clash = out.what() + " " + out.path() + " is " + other.what() + (other.path().equals(out.path()) ? "" : " " + other.path())
                    + ": it would be overwritten; write the output to another file";
        }
        return this;
    }

    /** What identifies the file: its inode when it exists, else its real folder and name. */
    private static Object key(Path path) {
        try {
            // normalised first, as the file will be written (AtomicFiles): "a/missing/../b" is "a/b"
            BasicFileAttributes a = Files.readAttributes(path.toAbsolutePath().normalize(), BasicFileAttributes.class);
            if (a.fileKey() != null) return a.fileKey();
        } catch (IOException e) {
            // not there yet: compared by where it will be
        }
        return real(path);
    }

    /** The absolute path through links, as far as it exists. */
    static Path real(Path path) {
        Path abs = path.toAbsolutePath().normalize();
        Path existing = abs;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) existing = existing.getParent();
        if (existing == null) return abs;
        try {
            return existing.toRealPath().resolve(existing.relativize(abs)).normalize();
        } catch (IOException e) {
            return abs;
        }
    }
}
