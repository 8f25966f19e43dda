package dev.porescope.cli.commands;

import dev.porescope.cli.MainTest.Run;
import dev.porescope.cli.TestImages;
import dev.porescope.core.unet.UNetSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import dev.porescope.core.json.Json;
import dev.porescope.core.model.ModelCard;
import dev.porescope.core.preprocess.Preprocessing;
import dev.porescope.core.modelfile.ModelFileReader;
import dev.porescope.torch.UNetModule;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import static dev.porescope.cli.MainTest.assertOneLineError;
import static dev.porescope.cli.MainTest.porescope;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code porescope train} and {@code porescope spec}, in-process, on tiny networks and photos. */
class TrainCommandTest {
    @TempDir
    Path tmp;

    private Path dataFolder() {
        Path dir = tmp.resolve("data");
        TestImages.png(TestImages.rgbPhoto(48, 40), dir.resolve("images/a.png"));
        TestImages.png(TestImages.maskImage(48, 40, 10, 12, 4, 4), dir.resolve("masks/a.png"));
        return dir;
    }

    @Test
    void specPrintsCountsAndTheGeneratedTorchScript() {
        Run run = porescope("spec", "tiny");
        assertEquals(0, run.code(), run.err());
        // by hand for widths 4/8/16/32: enc 44 + 304 + 1,184 + 4,672; up-convs 2,064 + 520 + 132;
        // dec 4,640 + 1,168 + 296; head 10
        assertTrue(run.out().contains("parameters: 15,034"), run.out());
        assertTrue(run.out().contains("def forward(self, x: Tensor) -> Tensor:"), run.out());
        Run list = porescope("spec");
        assertEquals(0, list.code());
        for (String name : UNetSpec.names()) assertTrue(list.out().contains(name));
    }

    @Test
    void anUnknownSpecIsOneClearLine() {
        assertOneLineError(porescope("spec", "enormous"), "unknown spec 'enormous'", "paper");
        assertOneLineError(porescope("train", "--synthetic", "2", "--spec", "enormous", "--out", tmp.resolve("m.pt").toString()),
                "unknown spec 'enormous'");
    }

    @Test
    void trainingWithoutDataIsOneClearLine() {
        Run run = porescope("train", "--out", tmp.resolve("m.pt").toString());
        assertEquals(2, run.code(), run.err()); // bad usage
        assertEquals(1, run.errLines().size(), run.err());
        assertTrue(run.err().contains("no training data"), run.err());
    }

    @Test
    void resumeWithoutCheckpointIsOneClearLine() {
        assertOneLineError(porescope("train", "--data", dataFolder().toString(), "--spec", "tiny", "--steps", "2",
                "--patch", "16", "--batch", "2", "--val-split", "0", "--resume", "--out", tmp.resolve("m.pt").toString()), "no checkpoint");
    }

    @Test
    void aFileThatIsNotAModelIsOneClearLine() throws Exception {
        Path fake = tmp.resolve("fake.pt");
        Files.writeString(fake, "not a model");
        assertOneLineError(porescope("eval", "--model", fake.toString(), "--data", dataFolder().toString()),
                fake.toString(), "not a PoreScope model");
    }

    @Test
    void trainsATinyModelThatEvalThenReads() {
        Path model = tmp.resolve("m.pt");
        Run run = porescope("train", "--data", dataFolder().toString(), "--spec", "tiny", "--steps", "3", "--patch", "16",
                "--batch", "2", "--val-split", "0.25", "--validate-every", "3", "--threads", "1", "--out", model.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("validation dice"), run.out());
        for (String f : new String[]{"m.pt", "m.ckpt", "m.log.csv", "m.log.json", "m.log.png"}) {
            assertTrue(Files.exists(tmp.resolve(f)), f);
        }
        Run eval = porescope("eval", "--model", model.toString(), "--data", dataFolder().toString());
        assertEquals(0, eval.code(), eval.err());
    }

    @Test
    void crossValidationScoresEveryFoldAndReportsTheirMeanAndSpread() throws Exception {
        Path data = tmp.resolve("synth");
        assertEquals(0, porescope("synth", "--out", data.toString(), "--count", "1", "--size", "192", "--seed", "4").code());
        Path out = tmp.resolve("cv.pt");
        Run run = porescope("train", "--data", data.toString(), "--folds", "2", "--spec", "tiny", "--steps", "4",
                "--patch", "16", "--batch", "2", "--flatten", "8", "--threads", "1", "--out", out.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(Files.exists(tmp.resolve("cv-fold1.pt")) && Files.exists(tmp.resolve("cv-fold2.pt")));
        JsonNode report = Json.mapper().readTree(tmp.resolve("cv.crossval.json").toFile());
        JsonNode folds = report.get("per_fold");
        assertEquals(2, folds.size());
        for (String metric : new String[]{"pixel_dice", "pore_f1", "pore_recall"}) {
            double a = folds.get(0).get(metric).asDouble();
            double b = folds.get(1).get(metric).asDouble();
            JsonNode summary = report.get("mean_std").get(metric);
            assertEquals((a + b) / 2, summary.get("mean").asDouble(), 1e-12, metric);
            assertEquals(Math.abs(a - b) / Math.sqrt(2), summary.get("std").asDouble(), 1e-12, metric);
        }
        double t = report.get("threshold").asDouble();
        assertTrue(t > 0 && t < 1, "threshold " + t);
        assertTrue(report.get("gap_px").asInt() >= dev.porescope.core.unet.UNetSpec.named("tiny").margin());
        // the fold models were trained with the recipe's local preprocessing, which goes into their cards
        ModelCard card = ModelFileReader.read(tmp.resolve("cv-fold1.pt")).card();
        assertEquals(Preprocessing.local(8, Preprocessing.DEFAULT_LOCAL_SIGMA), card.preprocessing());
        String md = Files.readString(tmp.resolve("cv.crossval.md"));
        assertTrue(md.contains("| mean +- std |"), md);
        assertTrue(run.out().contains("cross-validated threshold"), run.out());
    }

    @Test
    void initFineTunesAModelKeepingItsSpecAndPreprocessing() {
        Path first = tmp.resolve("a.pt");
        assertEquals(0, porescope("train", "--data", dataFolder().toString(), "--spec", "tiny", "--steps", "2", "--patch", "16",
                "--batch", "2", "--val-split", "0", "--normalize", "standardize", "--threads", "1",
                "--out", first.toString()).code());
        Path tuned = tmp.resolve("b.pt");
        Run run = porescope("train", "--data", dataFolder().toString(), "--init", first.toString(), "--spec", "paper",
                "--steps", "1", "--lr", "1e-7", "--patch", "16", "--batch", "2", "--val-split", "0", "--threshold", "0.3",
                "--threads", "1", "--out", tuned.toString());
        assertEquals(0, run.code(), run.err());
        ModelCard a = ModelFileReader.read(first).card();
        ModelCard b = ModelFileReader.read(tuned).card();
        assertEquals(a.spec(), b.spec());
        assertEquals(a.preprocessing(), b.preprocessing());
        assertEquals(0.3, b.threshold(), 0);
        assertEquals("a.pt", b.extra().get("fine_tuned_from"));
        try (UNetModule ma = UNetModule.load(first); UNetModule mb = UNetModule.load(tuned)) {
            Map<String, float[]> wa = ma.weights();
            Map<String, float[]> wb = mb.weights();
            for (String name : ma.trainableNames()) {
                float[] x = wa.get(name);
                float[] y = wb.get(name);
                // one Adam step of learning rate 1e-7 moves a weight by about 1e-7: the start was a.pt
                for (int i = 0; i < x.length; i++) assertEquals(x[i], y[i], 1e-5, name);
            }
        }
        assertOneLineError(porescope("train", "--data", dataFolder().toString(), "--init", tmp.resolve("none.pt").toString(),
                "--out", tmp.resolve("c.pt").toString()), "none.pt", "no such file");
    }

    @Test
    void trainFoldsZeroScoresTheInitModelWithoutTraining() throws Exception {
        Path data = tmp.resolve("synth0");
        assertEquals(0, porescope("synth", "--out", data.toString(), "--count", "1", "--size", "192", "--seed", "4").code());
        Path base = tmp.resolve("base.pt");
        assertEquals(0, porescope("train", "--data", dataFolder().toString(), "--spec", "tiny", "--steps", "2", "--patch", "16",
                "--batch", "2", "--val-split", "0", "--flatten", "8", "--threads", "1", "--out", base.toString()).code());
        Path out = tmp.resolve("zero.pt");
        Run run = porescope("train", "--data", data.toString(), "--folds", "2", "--train-folds", "0", "--init", base.toString(),
                "--threads", "1", "--out", out.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(!Files.exists(tmp.resolve("zero-fold1.pt")) && !Files.exists(tmp.resolve("zero-fold2.pt")), "nothing trained");
        JsonNode report = Json.mapper().readTree(tmp.resolve("zero.crossval.json").toFile());
        assertEquals(0, report.get("train_folds").asInt());
        assertEquals(2, report.get("per_fold").size());
        assertTrue(Files.readString(tmp.resolve("zero.crossval.md")).contains("no training"));
        assertOneLineError(porescope("train", "--data", data.toString(), "--folds", "2", "--train-folds", "0",
                "--out", out.toString()), "--train-folds 0", "--init");
        assertOneLineError(porescope("train", "--data", data.toString(), "--folds", "3", "--train-folds", "3",
                "--out", out.toString()), "--train-folds must be 0 to 2");
        assertOneLineError(porescope("train", "--data", data.toString(), "--train-folds", "1",
                "--out", out.toString()), "--train-folds goes with --folds");
    }

    @Test
    void evalThresholdOptionIsUsedAndRecorded() throws Exception {
        Path json = tmp.resolve("e.json");
        Run run = porescope("eval", "--model", "dog", "--data", dataFolder().toString(), "--threshold", "0.8",
                "--json", json.toString());
        assertEquals(0, run.code(), run.err());
        JsonNode report = Json.mapper().readTree(json.toFile());
        assertEquals(0.8, report.get("threshold").asDouble(), 0);
        assertEquals("--threshold", report.get("threshold_from").asText());
        assertOneLineError(porescope("eval", "--model", "dog", "--data", dataFolder().toString(), "--threshold", "1.5"),
                "--threshold must be between 0 and 1");
    }
}
