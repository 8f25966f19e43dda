package dev.porescope.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.porescope.cli.MainTest;
import dev.porescope.cli.io.DataFolder;
import dev.porescope.cli.io.PngFiles;
import dev.porescope.core.baseline.DogModel;
import dev.porescope.core.data.LabelledImage;
import dev.porescope.core.image.Mask;
import dev.porescope.core.json.Json;
import dev.porescope.core.pipeline.PoreAnalyzer;
import dev.porescope.core.testing.RealData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvalCommandTest {
    @TempDir
    Path tmp;

    private Path synthetic(String name, int count, int seed) {
        Path dir = tmp.resolve(name);
        MainTest.Run run = MainTest.porescope("synth", "--out", dir.toString(), "--count", "" + count, "--size", "64", "--seed", "" + seed);
        assertEquals(0, run.code(), run.err());
        return dir;
    }

    @Test
    void aLabelEqualToTheModelsOwnPoresScoresPerfectly() throws Exception {
        Path dir = synthetic("self", 2, 3);
        // replace each label by what the DoG finds: the files round-trip and scoring must then agree exactly
        for (LabelledImage image : DataFolder.load(dir)) {
            Mask found = new PoreAnalyzer(DogModel.defaults()).analyze(image.luma(), image.roi()).poreMask();
            assertTrue(found.count() > 0);
            PngFiles.writeMask(found, dir.resolve("masks/" + image.name() + ".png"));
        }
        Path json = tmp.resolve("out/self.json");
        MainTest.Run run = MainTest.porescope("eval", "--model", "dog", "--data", dir.toString(), "--json", json.toString());
        assertEquals(0, run.code(), run.err());
        JsonNode report = Json.mapper().readTree(Files.readString(json));
        assertEquals(1.0, report.at("/pixel/dice").asDouble(), 1e-12);
        assertEquals(1.0, report.at("/pores/f1").asDouble(), 1e-12);
        assertTrue(run.out().contains("pixels     1.000"), run.out());
    }

    @Test
    void twoFoldersArePooledAndTheJsonAddsUp() throws Exception {
        Path first = synthetic("first", 2, 1);
        Path second = synthetic("second", 1, 2);
        Path json = tmp.resolve("pooled.json");
        MainTest.Run run = MainTest.porescope("eval", "--model", "dog", "--data", first.toString(), "--data", second.toString(),
                "--json", json.toString());
        assertEquals(0, run.code(), run.err());
        for (String column : new String[] {"Dice", "IoU", "precision", "recall", "F1", "pixels", "pores"}) {
            assertTrue(run.out().contains(column), run.out());
        }
        JsonNode report = Json.mapper().readTree(Files.readString(json));
        assertEquals(3, report.get("images").asInt());
        assertEquals(3, report.get("per_image").size());
        assertEquals(second.toString(), report.at("/per_image/2/folder").asText());
        for (String kind : new String[] {"pixel", "pores"}) {
            for (String count : new String[] {"tp", "fp", "fn"}) {
                long sum = 0;
                for (JsonNode row : report.get("per_image")) sum += row.get(kind).get(count).asLong();
                assertEquals(sum, report.get(kind).get(count).asLong(), kind + "." + count);
            }
        }
        long tp = report.at("/pixel/tp").asLong();
        long fp = report.at("/pixel/fp").asLong();
        long fn = report.at("/pixel/fn").asLong();
        assertEquals(2.0 * tp / (2 * tp + fp + fn), report.at("/pixel/dice").asDouble(), 1e-12);
        assertEquals((double) tp / (tp + fp + fn), report.at("/pixel/iou").asDouble(), 1e-12);
        long ptp = report.at("/pores/tp").asLong();
        assertEquals((double) ptp / (ptp + report.at("/pores/fn").asLong()), report.at("/pores/recall").asDouble(), 1e-12);
    }

    @Test
    void realPhotoIsScoredInsideItsRoiWhenPresent() {
        Path real = RealData.folderOrSkip();
        assertTrue(Files.isDirectory(real.resolve("roi")), "real-left has no roi/ folder: " + real);
        LabelledImage photo = DataFolder.load(real).get(0);
        assertEquals(787, photo.luma().width());
        assertEquals(1801, photo.luma().height());
        assertTrue(photo.roi().count() < photo.luma().width() * photo.luma().height());
        MainTest.Run run = MainTest.porescope("eval", "--model", "dog", "--data", real.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("on 1 photo from"), run.out());
    }

    @Test
    void fitOnlyWorksForTheDog() {
        Path dir = synthetic("fit", 1, 4);
        MainTest.Run fitted = MainTest.porescope("eval", "--model", "dog", "--fit", "--data", dir.toString());
        assertEquals(0, fitted.code(), fitted.err());
        assertTrue(fitted.out().startsWith("model dog-fit"), fitted.out());
        MainTest.assertOneLineError(MainTest.porescope("eval", "--model", "net.pt", "--fit", "--data", dir.toString()), "--fit", "net.pt");
    }
}
