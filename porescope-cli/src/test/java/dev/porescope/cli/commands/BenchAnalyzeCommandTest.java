package dev.porescope.cli.commands;

import dev.porescope.cli.MainTest.Run;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.porescope.cli.MainTest.porescope;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code porescope bench analyze} runs analyze and reports every stage per variant and the synthesizer's speed (no timing is asserted). */
class BenchAnalyzeCommandTest {

    @Test
    void reportsEveryStageOfEachVariantBesideTheNetworkAlone() {
        Run run = porescope("bench", "analyze", "--size", "0.5", "--repeats", "1", "--no-memory", "--model", "dog",
                "--variant=", "--variant=--tile 256");
        assertEquals(0, run.code(), run.err());
        List<String> lines = run.out().lines().toList();
        assertTrue(lines.get(0).startsWith("machine: "), run.out());
        assertTrue(run.out().contains("photo 816x612 (0.5 MP"), run.out());
        assertTrue(run.out().contains("| stage | analyze defaults | --tile 256 |"), run.out());
        for (String stage : List.of("read", "luma", "preprocess", "model", "pores", "write", "**total**", "**total / network alone**")) {
            String row = lines.stream().filter(l -> l.startsWith("| " + stage + " |")).findFirst().orElse("missing " + stage);
            assertEquals(3, row.chars().filter(c -> c == '|').count() - 1, "two variant columns in: " + row);
        }
        assertTrue(run.out().contains("synthetic skin: the 0.5 MP photo took") && run.out().contains("cost per pixel, 512 / 256:"),
                run.out());
    }

    @Test
    void badSizeIsOneLine() {
        Run run = porescope("bench", "analyze", "--size", "0", "--model", "dog");
        dev.porescope.cli.MainTest.assertOneLineError(run, "--size");
    }
}
