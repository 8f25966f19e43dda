package dev.porescope.torch.train;

import dev.porescope.core.data.LabelledImage;
import dev.porescope.core.model.ModelCard;
import dev.porescope.core.parity.Golden;
import dev.porescope.torch.TorchFiles;
import dev.porescope.torch.UNetModule;
import dev.porescope.torch.nativ.Torch;
import org.bytedeco.pytorch.Adam;
import org.bytedeco.pytorch.AdamOptions;
import org.bytedeco.pytorch.OptimizerParamGroupVector;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Trains a {@link UNetModule} on random patches of labelled photos: class-weighted per-pixel
 * cross-entropy (ROI pixels only) plus optional soft Dice, Adam with warm-up and cosine decay,
 * validation on whole held-out photos with threshold choice, best-model and checkpoint files
 * written atomically, exact resume.
 */
public final class Trainer {
    private static final System.Logger LOG = System.getLogger("dev.porescope.torch.train");

    private final TrainConfig config;
    private final List<LabelledImage> training;
    private final Validator validator;
    private final TrainLog log = new TrainLog();
    private Path init;
    private boolean initPreprocessing;
    private Double fixedThreshold;

    /** What happens during a run, for progress bars. */
    public interface Listener {
        /** Called once before the first step ({@code fromStep} > 0 when resumed). */
        default void started(int fromStep, int steps) { }

        /** Called after every step. */
        default void step(StepInfo info) { }

        /** Called after every validation. */
        default void validated(int step, Validator.Result result, boolean best) { }
    }

    /**
     * @param step          steps done
     * @param steps         steps in all
     * @param loss          this step's loss
     * @param lr            this step's learning rate
     * @param valDice       latest validation Dice (NaN before the first validation)
     * @param stepsPerSecond speed of this session
     * @param etaSeconds    estimated time left
     */
    public record StepInfo(int step, int steps, double loss, double lr, double valDice, double stepsPerSecond, double etaSeconds) { }

    /**
     * @param model      the model file written
     * @param steps      steps done
     * @param bestStep   step of the saved model (the best on validation, or the last)
     * @param validation metrics of the saved model (empty without validation data)
     * @param threshold  decision threshold in its card
     * @param log        the training log
     */
    public record Result(Path model, int steps, int bestStep, Map<String, Double> validation, double threshold,
                         List<TrainLog.Row> log) { }

    /**
     * @param training   photos to draw patches from (synthetic photos included)
     * @param validator  scores whole held-out photos; null = no validation (the last model is saved)
     */
    public Trainer(TrainConfig config, List<LabelledImage> training, Validator validator) {
        this.config = config;
        this.training = List.copyOf(training);
        this.validator = validator;
    }

    public TrainLog log() { return log; }

    /**
     * Starts from the weights of {@code model} (a PoreScope {@code .pt}) instead of random ones: fine-tuning.
     * The config's spec and preprocessing must be the model's (see {@code train --init}).
     */
    public Trainer initFrom(Path model) {
        this.init = model;
        this.initPreprocessing = true;
        return this;
    }

    /**
     * Starts from the weights of {@code model} (same spec) but trains with this config's preprocessing:
     * a warm start when the preprocessing changes (see {@code train --warm-start}).
     */
    public Trainer warmStartFrom(Path model) {
        this.init = model;
        this.initPreprocessing = false;
        return this;
    }

    /** Trains from scratch, or from {@link TrainConfig#checkpoint()} when {@code resume}. */
    public Result run(boolean resume, Listener listener) {
        Torch.init(config.threads());
        List<LabelledImage> synthetic = SyntheticPhotos.generate(config.syntheticCount(), config.seed(), 0);
        if (training.isEmpty() && synthetic.isEmpty()) {
            throw new TrainingException("no training data: give --data folders or --synthetic N");
        }
        PatchSampler sampler = new PatchSampler(training, synthetic, config);
        Path checkpoint = config.checkpoint();
        String fingerprint = fingerprint(config);
        String digest = dataDigest();
        Checkpoint.State state;
        UNetModule module;
        if (resume) {
            if (!Files.exists(checkpoint)) {
                throw new TrainingException("--resume: no checkpoint at " + checkpoint + "; run without --resume to start");
            }
            state = Checkpoint.readState(checkpoint);
            if (validator == null && fixedThreshold != null) {
                state = new Checkpoint.State(state.config(), state.step(), state.bestScore(), state.bestStep(), fixedThreshold,
                        state.bestMetrics(), state.seconds(), state.log());
            }
            if (!state.config().equals(fingerprint)) {
                throw new TrainingException("--resume: checkpoint " + checkpoint + " was made with other settings ("
                        + state.config() + "); use the same settings, or delete it to start over");
            }
            module = Checkpoint.readModule(checkpoint);
            module.train(true);
            log.replace(state.log());
        } else {
            state = new Checkpoint.State(fingerprint, 0, -1, 0, validator == null && fixedThreshold != null ? fixedThreshold : 0.5, Map.of(), 0, List.of());
            module = init == null ? UNetModule.create(config.spec(), config.seed()) : fineTuned(init);
        }
        TensorVector params = module.trainableParameters();
        Adam adam = new Adam(params, new AdamOptions(config.learningRate()));
        try {
            if (resume) {
                Checkpoint.readOptimizer(checkpoint, adam);
            }
            return loop(module, adam, sampler, state, digest, listener);
        } finally {
            adam.close();
            params.close();
            module.close();
        }
    }

    /**
     * The card's threshold when there is no validation to choose it (e.g. the cross-validated one); on
     * {@code --resume} of a finished run without validation, the model is written again with it.
     */
    public Trainer fixedThreshold(double threshold) {
        this.fixedThreshold = threshold;
        return this;
    }

    private UNetModule fineTuned(Path model) {
        UNetModule m = UNetModule.load(model);
        if (!m.spec().equals(config.spec())
                || (initPreprocessing && !m.card().preprocessing().equals(config.preprocessing()))) {
            m.close();
            throw new TrainingException(model + ": its spec '" + m.spec().name() + "'"
                    + (initPreprocessing ? " and preprocessing " + m.card().preprocessing() : "")
                    + " differ from this run's; fine-tuning keeps the model's own");
        }
        m.train(true);
        return m;
    }

    private Result loop(UNetModule module, Adam adam, PatchSampler sampler, Checkpoint.State state, String digest,
                        Listener listener) {
        int start = state.step();
        double bestScore = state.bestScore();
        int bestStep = state.bestStep();
        double bestThreshold = state.bestThreshold();
        Map<String, Double> bestMetrics = state.bestMetrics();
        double latestDice = Double.NaN;
        long sessionStart = System.nanoTime();
        double previousSeconds = state.seconds();
        double lossSum = 0;
        int lossCount = 0;
        int logEvery = Math.max(1, Math.min(25, config.steps() / 50));
        listener.started(start, config.steps());
        if (start >= config.steps() && validator == null) {
            // a finished run resumed, e.g. with the cross-validated --threshold: write the model with it
            module.save(config.out(), card(digest, start, bestThreshold, bestMetrics));
            return new Result(config.out(), config.steps(), start, bestMetrics, bestThreshold, log.rows());
        }
        for (int step = start; step < config.steps(); step++) {
            double lr = config.learningRate(step);
            PatchSampler.Batch batch = sampler.batch(step);
            float loss = trainStep(module, adam, batch, lr);
            if (!Float.isFinite(loss)) {
                throw new TrainingException(String.format(Locale.ROOT,
                        "the training loss became %s at step %d (learning rate %.3g); the weights of that step were not applied. "
                                + "The last good checkpoint is %s%s; lower --lr or check the data, then run again",
                        loss, step + 1, lr, config.checkpoint(),
                        Files.exists(config.checkpoint()) ? " (step " + Checkpoint.readState(config.checkpoint()).step() + ")" : " (none written yet)"));
            }
            int done = step + 1;
            lossSum += loss;
            lossCount++;
            double seconds = previousSeconds + (System.nanoTime() - sessionStart) / 1e9;
            double rate = (done - start) / Math.max(1e-9, (System.nanoTime() - sessionStart) / 1e9);
            listener.step(new StepInfo(done, config.steps(), loss, lr, latestDice, rate, (config.steps() - done) / rate));
            boolean validate = validator != null
                    && (done == config.steps() || (config.validateEvery() > 0 && done % config.validateEvery() == 0));
            double valDice = Double.NaN;
            double valF1 = Double.NaN;
            double valThreshold = Double.NaN;
            if (validate) {
                Validator.Result v = validate(module, digest, done);
                valDice = v.dice();
                valF1 = v.poreF1();
                valThreshold = v.threshold();
                latestDice = v.dice();
                boolean best = v.score() > bestScore;
                if (best) {
                    bestScore = v.score();
                    bestStep = done;
                    bestThreshold = v.threshold();
                    bestMetrics = v.metrics();
                    saveModel(module, card(digest, done, bestThreshold, bestMetrics));
                }
                listener.validated(done, v, best);
            }
            if (validate || done % logEvery == 0 || done == config.steps()) {
                log.add(new TrainLog.Row(done, lossSum / Math.max(1, lossCount), lr, valDice, valF1, valThreshold, seconds));
                lossSum = 0;
                lossCount = 0;
            }
            boolean last = done == config.steps();
            if (last && validator == null) {
                bestStep = done;
                saveModel(module, card(digest, done, bestThreshold, bestMetrics));
            }
            if (last || (config.checkpointEvery() > 0 && done % config.checkpointEvery() == 0)) {
                Checkpoint.write(config.checkpoint(), module, card(digest, done, bestThreshold, bestMetrics), adam,
                        new Checkpoint.State(fingerprint(config), done, bestScore, bestStep, bestThreshold, bestMetrics,
                                seconds, log.rows()));
                log.writeCsv(config.logCsv());
                log.writeJson(config.logJson());
            }
        }
        return new Result(config.out(), config.steps(), bestStep, bestMetrics, bestThreshold, log.rows());
    }

    /** One optimizer step; returns the loss, or a non-finite value without touching the weights. */
    private float trainStep(UNetModule module, Adam adam, PatchSampler.Batch b, double lr) {
        return step(module, adam, b, lr, config.diceWeight());
    }

    /** One optimizer step of the training loss (shared with the benchmark). */
    static float step(UNetModule module, Adam adam, PatchSampler.Batch b, double lr, double diceWeight) {
        return Torch.step("training step", () -> {
            OptimizerParamGroupVector groups = adam.param_groups();
            for (long g = 0; g < groups.size(); g++) {
                groups.get(g).options().set_lr(lr);
            }
            int n = b.size();
            int p = b.patch();
            Tensor x = Torch.tensor(b.x(), n, 1, p, p);
            Tensor oneHot = Torch.tensor(b.oneHot(), n, 2, p, p);
            Tensor weight = Torch.tensor(b.weight(), n, 1, p, p);
            double weightSum = 0;
            for (float w : b.weight()) weightSum += w;
            Tensor logp = module.logits(x).log_softmax(1);
            Tensor ce = logp.mul(oneHot).sum(new long[]{1}, true, new ScalarTypeOptional()).neg();
            Tensor loss = ce.mul(weight).sum().div(new Scalar(Math.max(1e-6, weightSum)));
            if (diceWeight > 0) {
                Tensor roi = Torch.tensor(b.roi(), n, 1, p, p);
                Tensor label = Torch.tensor(b.label(), n, 1, p, p);
                double labelSum = 0;
                for (int i = 0; i < b.label().length; i++) labelSum += b.label()[i] * b.roi()[i];
                Tensor pore = logp.narrow(1, 1, 1).exp().mul(roi);
                Tensor overlap = pore.mul(label).sum().mul(new Scalar(2.0)).add(new Scalar(1.0));
                Tensor total = pore.sum().add(new Scalar(labelSum + 1.0));
                Tensor dice = overlap.div(total).neg().add(new Scalar(1.0));
                loss = loss.add(dice.mul(new Scalar(diceWeight)));
            }
            float value = loss.item_float();
            if (!Float.isFinite(value)) {
                return value;
            }
            adam.zero_grad();
            loss.backward();
            adam.step();
            return value;
        });
    }

    /** Saves the model with golden pairs computed by it (eval mode), so that every load can check the file. */
    private void saveModel(UNetModule module, ModelCard card) {
        boolean wasTraining = module.isTraining();
        module.train(false);
        try {
            module.save(config.out(), card.withGolden(Golden.make(module.asSegmentationModel(card))));
        } finally {
            module.train(wasTraining);
        }
    }

    private Validator.Result validate(UNetModule module, String digest, int step) {
        module.train(false);
        try {
            return validator.validate(module.asSegmentationModel(card(digest, step, 0.5, Map.of())));
        } finally {
            module.train(true);
        }
    }

    private ModelCard card(String digest, int step, double threshold, Map<String, Double> validation) {
        Map<String, String> libraries = new LinkedHashMap<>();
        libraries.put(ModelCard.LIBRARY_PYTORCH, TorchFiles.pytorchVersion());
        libraries.put("java", System.getProperty("java.version"));
        libraries.put("porescope", String.valueOf(Trainer.class.getPackage().getImplementationVersion()));
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("patch", String.valueOf(config.patch()));
        extra.put("batch", String.valueOf(config.batch()));
        extra.put("learning_rate", String.valueOf(config.learningRate()));
        extra.put("pore_weight", String.valueOf(config.poreWeight()));
        extra.put("dice_weight", String.valueOf(config.diceWeight()));
        extra.put("synthetic", String.valueOf(config.syntheticCount()));
        extra.put("training_images", String.valueOf(training.size()));
        if (config.scaleJitter() > 0) extra.put("scale_jitter", String.valueOf(config.scaleJitter()));
        if (init != null) extra.put(initPreprocessing ? "fine_tuned_from" : "warm_started_from", init.getFileName().toString());
        return new ModelCard(ModelCard.FORMAT, config.name(), config.spec(), config.preprocessing(), threshold,
                config.minArea(), ModelCard.RUNTIME_TORCHSCRIPT, ModelCard.FP32, digest, config.seed(), step, validation, libraries, List.of(), extra);
    }

    /** What must match for a checkpoint to resume this run (file names, threads and schedule may change). */
    static String fingerprint(TrainConfig c) {
        return c.withName(c.name(), 0, Path.of("model.pt")).withSchedule(0, 0).toString();
    }

    /** SHA-256 over the training photos, labels and ROIs. */
    private String dataDigest() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (LabelledImage img : training) {
                sha.update(img.name().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                float[] v = img.luma().values();
                ByteBuffer buf = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                buf.asFloatBuffer().put(v);
                sha.update(buf);
                byte[] bits = new byte[v.length];
                boolean[] label = img.label().bits();
                boolean[] roi = img.roi().bits();
                for (int i = 0; i < bits.length; i++) bits[i] = (byte) ((label[i] ? 1 : 0) | (roi[i] ? 2 : 0));
                sha.update(bits);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
