package dev.porescope.cli;

import dev.porescope.cli.support.Launcher;
import dev.porescope.cli.support.Messages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line in-process: exit codes and the one-line errors users see. */
public class MainTest {
    @TempDir
    Path tmp;

    public record Run(int code, String out, String err) {
        public List<String> errLines() {
            return err.lines().toList();
        }
    }

    public static Run porescope(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Exit 1 and exactly one stderr line, {@code porescope: ...}, containing each of {@code mentions}. */
    public static void assertOneLineError(Run run, String... mentions) {
        assertEquals(1, run.code(), run.err());
        List<String> lines = run.errLines();
        assertEquals(1, lines.size(), "stderr: " + run.err());
        assertTrue(lines.get(0).startsWith("porescope: "), lines.get(0));
        for (String mention : mentions) {
            assertTrue(lines.get(0).contains(mention), "'" + mention + "' missing in: " + lines.get(0));
        }
    }

    /** A data folder with one 24x16 photo and a mask of the given size. */
    private Path dataFolder(String name, int maskWidth, int maskHeight) {
        Path dir = tmp.resolve(name);
        TestImages.png(TestImages.rgbPhoto(24, 16), dir.resolve("images/a.png"));
        TestImages.png(TestImages.maskImage(maskWidth, maskHeight, 2, 2, 3, 3), dir.resolve("masks/a.png"));
        return dir;
    }

    @Test
    void helpAndVersionWorkOnEveryCommand() {
        Run top = porescope("--help");
        assertEquals(0, top.code());
        List<String> commands = commandPaths();
        // the README's command table is the independent list: a command without a row, or a row without a command, fails
        List<String> documented = new ArrayList<>(readmeCommands());
        documented.remove("bench batch"); // porescope-spark adds it (SparkMain); this module only has the rest
        assertEquals(new TreeSet<>(documented), new TreeSet<>(commands), "commands vs the README's command table");
        for (String command : commands) {
            assertTrue(top.out().contains(command.split(" ")[0]), command + " missing in --help: " + top.out());
            String[] words = command.split(" ");
            Run help = porescope(append(words, "--help"));
            assertEquals(0, help.code(), command);
            assertTrue(help.out().contains("Usage: porescope " + command), help.out());
            Run version = porescope(append(words, "--version"));
            assertEquals(0, version.code(), command);
            assertTrue(version.out().startsWith("porescope "), version.out());
        }
    }

    /** Every command that does work (bench's subcommands, not bench itself), as typed after {@code porescope}. */
    private static List<String> commandPaths() {
        List<String> paths = new ArrayList<>();
        for (var command : Main.subcommands()) leaves(new CommandLine(command.get()), "", paths);
        return paths;
    }

    private static void leaves(CommandLine cl, String prefix, List<String> into) {
        String path = prefix + cl.getCommandName();
        if (cl.getSubcommands().isEmpty()) {
            into.add(path);
        } else {
            for (CommandLine sub : cl.getSubcommands().values()) leaves(sub, path + " ", into);
        }
    }

    /** The commands of the README's table: the words after {@code porescope} up to the first argument. */
    private static List<String> readmeCommands() {
        List<String> commands = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("../README.md"))) {
                if (!line.startsWith("| `porescope ")) continue;
                List<String> words = new ArrayList<>();
                for (String word : line.substring("| `porescope ".length()).split("[ `]")) {
                    if (!word.matches("[a-z][a-z-]*")) break;
                    words.add(word);
                }
                commands.add(String.join(" ", words));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertTrue(commands.size() > 5, "the README's command table was not found: " + commands);
        return commands;
    }

    private static String[] append(String[] words, String last) {
        String[] all = Arrays.copyOf(words, words.length + 1);
        all[words.length] = last;
        return all;
    }

    @Test
    void badUsageExitsWithTwoAndOneLine() {
        Run missing = porescope("eval", "--model", "dog");
        assertEquals(2, missing.code());
        assertEquals(1, missing.errLines().size(), missing.err());
        assertTrue(missing.err().contains("--data") && missing.err().contains("porescope eval --help"), missing.err());
        Run unknownCommand = porescope("frobnicate");
        assertEquals(2, unknownCommand.code());
        Run badNumber = porescope("synth", "--out", tmp.toString(), "--count", "many");
        assertEquals(2, badNumber.code());
        assertEquals(1, badNumber.errLines().size(), badNumber.err());
        assertEquals(2, porescope().code());
    }

    @Test
    void missingDataFolder() {
        Path missing = tmp.resolve("nowhere");
        assertOneLineError(porescope("eval", "--model", "dog", "--data", missing.toString()), missing.toString(), "does not exist");
    }

    @Test
    void maskOfAnotherSize() {
        Path dir = dataFolder("bad-mask", 20, 16);
        assertOneLineError(porescope("eval", "--model", "dog", "--data", dir.toString()),
                dir.resolve("masks/a.png").toString(), "20x16", "24x16");
    }

    @Test
    void roiOfAnotherSize() {
        Path dir = dataFolder("bad-roi", 24, 16);
        TestImages.png(TestImages.maskImage(16, 24, 0, 0, 4, 4), dir.resolve("roi/a.png"));
        assertOneLineError(porescope("eval", "--model", "dog", "--data", dir.toString()),
                dir.resolve("roi/a.png").toString(), "16x24", "24x16");
    }

    @Test
    void emptyDataFolder() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("empty/images"));
        Files.createDirectories(tmp.resolve("empty/masks"));
        Files.writeString(dir.resolve("README.txt"), "no photos here");
        assertOneLineError(porescope("eval", "--model", "dog", "--data", tmp.resolve("empty").toString()),
                tmp.resolve("empty").toString(), "no photos");
        Files.createDirectories(tmp.resolve("flat"));
        assertOneLineError(porescope("eval", "--model", "dog", "--data", tmp.resolve("flat").toString()),
                tmp.resolve("flat").toString(), "images/");
    }

    @Test
    void photoWithoutMask() throws Exception {
        Path dir = dataFolder("unlabelled", 24, 16);
        TestImages.png(TestImages.rgbPhoto(8, 8), dir.resolve("images/b.png"));
        assertOneLineError(porescope("eval", "--model", "dog", "--data", dir.toString()),
                dir.resolve("images/b.png").toString(), dir.resolve("masks/b.png").toString());
    }

    @Test
    void unknownModelName() {
        Path dir = dataFolder("ok", 24, 16);
        Run run = porescope("eval", "--model", "unet-deluxe", "--data", dir.toString());
        assertOneLineError(run, "unet-deluxe", "dog");
        Path missingFile = tmp.resolve("model.pt");
        assertOneLineError(porescope("eval", "--model", missingFile.toString(), "--data", dir.toString()),
                missingFile.toString(), "does not exist");
    }

    @Test
    void truncatedImage() {
        Path dir = dataFolder("cut", 24, 16);
        Path photo = TestImages.png(noisyPhoto(), dir.resolve("images/a.png"));
        TestImages.truncate(photo, 0.5);
        assertOneLineError(porescope("eval", "--model", "dog", "--data", dir.toString()), photo.toString(), "truncated");
    }

    @Test
    void internalErrorsSayHowToSeeTheStackTrace() {
        java.io.StringWriter err = new java.io.StringWriter();
        assertEquals(1, Launcher.report(new IllegalStateException("boom"), new java.io.PrintWriter(err), false));
        assertEquals(1, err.toString().lines().count(), err.toString());
        String message = Messages.message(new IllegalStateException("boom\nsecond line"));
        assertTrue(message.contains("boom second line") && message.contains("--debug"), message);
    }

    private static java.awt.image.BufferedImage noisyPhoto() {
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(24, 16, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.util.Random random = new java.util.Random(3);
        for (int y = 0; y < 16; y++) for (int x = 0; x < 24; x++) image.setRGB(x, y, random.nextInt(1 << 24));
        return image;
    }
}
