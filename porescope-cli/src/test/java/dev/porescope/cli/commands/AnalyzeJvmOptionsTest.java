package dev.porescope.cli.commands;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * analyze's JVM options (the file bin/porescope and bench analyze read) are options this JVM accepts,
 * and they give what README "Memory" measured: a 512 MB heap cap and the serial collector. The JVM
 * itself reports the flags it ended up with.
 */
class AnalyzeJvmOptionsTest {

    @Test
    void aJvmStartedWithAnalyzesOptionsHasTheMeasuredHeapCapAndCollector() throws IOException, InterruptedException {
        List<String> options = AnalyzeProbe.jvmOptions();
        assertTrue(options.stream().noneMatch(o -> o.isBlank() || o.startsWith("#")), options.toString());
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(options);
        command.addAll(List.of("-XX:+PrintFlagsFinal", "-version"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "java -version did not finish");
        assertEquals(0, p.exitValue(), out);
        assertEquals("536870912", flag(out, "MaxHeapSize"), out);
        assertEquals("true", flag(out, "UseSerialGC"));
        assertEquals("false", flag(out, "UseG1GC"));
        assertEquals("15", flag(out, "MaxHeapFreeRatio"));
    }

    /** The value of {@code name} in -XX:+PrintFlagsFinal output ("  type name = value  {kind} {origin}"). */
    private static String flag(String flags, String name) {
        for (String line : flags.split("\\R")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[1].equals(name) && f[2].equals("=")) return f[3];
        }
        throw new AssertionError(name + " is not among the JVM's flags");
    }
}
