package dev.porescope.cli.commands;

import dev.porescope.cli.MainTest;
import dev.porescope.cli.io.DataFolder;
import dev.porescope.core.data.LabelledImage;
import dev.porescope.core.synth.SkinSynthesizer;
import dev.porescope.core.synth.SynthConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SynthCommandTest {
    @TempDir
    Path tmp;

    @Test
    void writesADataFolderThatLoadsBackWithTheGeneratorsExactMasks() throws Exception {
        Path out = tmp.resolve("synthetic");
        MainTest.Run run = MainTest.porescope("synth", "--out", out.toString(), "--count", "3", "--size", "48", "--seed", "5");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("wrote 3 synthetic photos"), run.out());
        List<LabelledImage> loaded = DataFolder.load(out);
        assertEquals(List.of("synth-0000", "synth-0001", "synth-0002"), loaded.stream().map(LabelledImage::name).toList());
        // the generator itself, called with the seed the command derives for photo 1, gives the same label and luma
        long photoSeed = new SplittableRandom(5).longs(3).toArray()[1];
        var photo = new SkinSynthesizer(SynthConfig.defaults(48, 48)).generate("synth-0001", photoSeed);
        assertEquals(photo.pores(), loaded.get(1).label());
        assertArrayEquals(photo.luma().values(), loaded.get(1).luma().values(), 1e-6f);
        // the same seed again gives identical files
        Path again = tmp.resolve("again");
        assertEquals(0, MainTest.porescope("synth", "--out", again.toString(), "--count", "3", "--size", "48", "--seed", "5").code());
        assertArrayEquals(Files.readAllBytes(out.resolve("images/synth-0002.png")), Files.readAllBytes(again.resolve("images/synth-0002.png")));
    }

    @Test
    void refusesToMixWithOtherPhotos() throws Exception {
        Path out = tmp.resolve("mixed");
        Files.createDirectories(out.resolve("images"));
        Files.write(out.resolve("images/holiday.jpg"), new byte[] {1});
        MainTest.Run run = MainTest.porescope("synth", "--out", out.toString(), "--count", "1", "--size", "32");
        MainTest.assertOneLineError(run, out.resolve("images").toString(), "holiday.jpg");
    }
}
