package dev.porescope.torch.train;

import dev.porescope.core.data.LabelledImage;
import dev.porescope.core.unet.UNetSpec;
import dev.porescope.torch.TorchFiles;
import dev.porescope.torch.TestImages;
import dev.porescope.torch.TorchModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class TrainerTest {
    static final UNetSpec TINY = UNetSpec.family("test-tiny", 4, 8);
    static final List<LabelledImage> DATA = List.of(
            TestImages.discs("a", 96, 80, 40, 1), TestImages.discs("b", 80, 96, 40, 2));

    static TrainConfig config(Path dir, int steps) {
        return TrainConfig.defaults(TINY, steps, dir.resolve("m.pt")).withBatch(4, 16).withLearningRate(1e-2, 0)
                .withSchedule(0, 0).withSeed(11);
    }

    static List<Float> losses(Trainer trainer, boolean resume, int killAfter) {
        List<Float> out = new ArrayList<>();
        try {
            trainer.run(resume, new Trainer.Listener() {
                @Override
                public void step(Trainer.StepInfo info) {
                    out.add((float) info.loss());
                    if (info.step() == killAfter) throw new IllegalStateException("killed");
                }
            });
        } catch (IllegalStateException e) {
            assertEquals("killed", e.getMessage());
        }
        return out;
    }

    @Test
    void lossDecreasesOnAnEasyTask(@TempDir Path dir) {
        List<Float> l = losses(new Trainer(config(dir, 40), DATA, null), false, -1);
        double first = l.subList(0, 5).stream().mapToDouble(f -> f).average().orElseThrow();
        double last = l.subList(35, 40).stream().mapToDouble(f -> f).average().orElseThrow();
        assertTrue(last < 0.7 * first, "loss fell from " + first + " to " + last);
        assertTrue(Files.exists(dir.resolve("m.pt")));
        assertTrue(Files.exists(dir.resolve("m.log.csv")));
        assertEquals(40, TorchFiles.serverCard(dir.resolve("m.pt")).steps());
        try (TorchModel m = TorchModel.load(dir.resolve("m.pt"))) {
            assertEquals(TINY, m.spec());
        }
    }

    @Test
    void validationKeepsTheBestModelWithItsThresholdInTheCard(@TempDir Path dir) {
        TrainConfig c = config(dir, 6).withSchedule(3, 0);
        HeldOutValidator validator = new HeldOutValidator(List.of(TestImages.discs("v", 64, 48, 20, 9)), c.preprocessing(), 1);
        List<Validator.Result> seen = new ArrayList<>();
        Trainer.Result r = new Trainer(c, DATA, validator).run(false, new Trainer.Listener() {
            @Override
            public void validated(int step, Validator.Result v, boolean best) {
                seen.add(v);
            }
        });
        assertEquals(2, seen.size(), "validated at steps 3 and 6");
        Validator.Result best = seen.get(0).score() >= seen.get(1).score() ? seen.get(0) : seen.get(1);
        var card = TorchFiles.serverCard(dir.resolve("m.pt"));
        assertEquals(best.threshold(), card.threshold());
        assertEquals(best.dice(), card.validation().get("dice"));
        assertEquals(r.bestStep(), card.steps());
        assertEquals(best == seen.get(0) ? 3 : 6, r.bestStep());
        // the saved model carries golden pairs, and the loaded file reproduces them (checked at every load)
        assertEquals(2, card.golden().size());
        try (var model = dev.porescope.torch.TorchModel.load(dir.resolve("m.pt"))) {
            var check = dev.porescope.core.parity.Golden.check(model);
            assertTrue(check.passed(), check.message());
        }
    }

    @Test
    void resumeContinuesExactlyLikeAnUninterruptedRun(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("a"));
        Files.createDirectories(dir.resolve("b"));
        TrainConfig a = config(dir.resolve("a"), 6).withSchedule(0, 3);
        TrainConfig b = config(dir.resolve("b"), 6).withSchedule(0, 3);
        List<Float> uninterrupted = losses(new Trainer(a, DATA, null), false, -1);
        List<Float> killed = losses(new Trainer(b, DATA, null), false, 4);
        assertEquals(4, killed.size());
        assertEquals(3, Checkpoint.readState(b.checkpoint()).step());
        List<Float> resumed = losses(new Trainer(b, DATA, null), true, -1);
        assertEquals(uninterrupted.subList(3, 6), resumed, "steps 4-6 after resuming from the step-3 checkpoint");
        assertEquals(uninterrupted.subList(0, 4), killed);
    }

    @Test
    void nanLossStopsWithAClearMessageAndKeepsTheCheckpoint(@TempDir Path dir) {
        TrainConfig c = config(dir, 200).withLearningRate(1e30, 0).withSchedule(0, 1).withLoss(3.0, 0);
        TrainingException e = assertThrows(TrainingException.class, () -> new Trainer(c, DATA, null).run(false, new Trainer.Listener() { }));
        assertTrue(e.getMessage().contains("became NaN") || e.getMessage().contains("became Infinity"), e.getMessage());
        assertTrue(e.getMessage().contains("lower --lr"), e.getMessage());
        assertTrue(Files.exists(c.checkpoint()), "last good checkpoint kept");
        int saved = Checkpoint.readState(c.checkpoint()).step();
        assertTrue(saved >= 1);
    }

    @Test
    void truncatedCheckpointIsRefusedClearly(@TempDir Path dir) throws Exception {
        TrainConfig c = config(dir, 2).withSchedule(0, 1);
        losses(new Trainer(c, DATA, null), false, -1);
        try (RandomAccessFile f = new RandomAccessFile(c.checkpoint().toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
        TrainingException e = assertThrows(TrainingException.class, () -> new Trainer(c, DATA, null).run(true, new Trainer.Listener() { }));
        assertTrue(e.getMessage().contains("damaged or truncated"), e.getMessage());
    }

    @Test
    void resumeWithOtherSettingsIsRefused(@TempDir Path dir) {
        TrainConfig c = config(dir, 2).withSchedule(0, 1);
        losses(new Trainer(c, DATA, null), false, -1);
        TrainingException e = assertThrows(TrainingException.class,
                () -> new Trainer(c.withSeed(99), DATA, null).run(true, new Trainer.Listener() { }));
        assertTrue(e.getMessage().contains("other settings"), e.getMessage());
    }
}
