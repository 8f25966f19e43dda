package dev.porescope.cli.commands;

import dev.porescope.cli.MainTest.Run;
import dev.porescope.cli.TestImages;
import dev.porescope.core.unet.UNetSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

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
}
