package dev.porescope.torch.train;

import dev.porescope.core.preprocess.Preprocessing;
import dev.porescope.core.unet.UNetSpec;

import java.nio.file.Path;

/**
 * Everything that decides a training run. Two runs with equal configs and data compute the same
 * losses; {@code --resume} refuses a checkpoint made with a different config.
 *
 * @param spec             network
 * @param name             model name written into the card
 * @param steps            optimizer steps in all
 * @param batch            patches per step
 * @param patch            patch side (px), a multiple of the spec's size multiple
 * @param learningRate     Adam's peak learning rate (cosine decay to {@code learningRate * minLrFraction})
 * @param minLrFraction    last step's learning rate as a fraction of the peak
 * @param warmupSteps      steps of linear warm-up
 * @param poreWeight       cross-entropy weight of pore pixels (background pixels weigh 1)
 * @param diceWeight       weight of the soft Dice loss added to the cross-entropy; 0 = off
 * @param poreCentred      fraction of patches centred on a pore pixel
 * @param hardCentred      fraction of patches centred on a hard distractor (dark non-pore pixel)
 * @param augment          photometric and geometric augmentation on
 * @param preprocessing    steps applied to the (augmented) luma before the network; goes into the card
 * @param minArea          smallest pore kept (px), for the card and validation
 * @param validateEvery    steps between validations (0 = only at the end)
 * @param checkpointEvery  steps between checkpoints (0 = only at the end)
 * @param syntheticCount   synthetic photos added to the training data (0 = none)
 * @param syntheticShare   fraction of patches drawn from the synthetic photos when there are also real ones
 *                         (many small synthetic photos would otherwise drown one big real photo)
 * @param seed             seed of everything random (weights, patches, augmentation, synthetic photos)
 * @param threads          libtorch threads (0 = all cores)
 * @param out              the model file written (best on validation, else last)
 * @param scaleJitter      scale augmentation: each patch is resampled at a random scale within
 *                         {@code 1 / (1 + j) .. 1 + j} (pore size varies with camera distance); 0 = off.
 *                         Only with local normalisation (patches are then cut from the preprocessed photo)
 */
public record TrainConfig(UNetSpec spec, String name, int steps, int batch, int patch, double learningRate,
                          double minLrFraction, int warmupSteps, double poreWeight, double diceWeight,
                          double poreCentred, double hardCentred, boolean augment, Preprocessing preprocessing,
                          int minArea, int validateEvery, int checkpointEvery, int syntheticCount, double syntheticShare, long seed,
                          int threads, Path out, double scaleJitter) {

    public TrainConfig {
        if (steps < 1) throw new IllegalArgumentException("--steps must be at least 1, got " + steps);
        if (batch < 1) throw new IllegalArgumentException("--batch must be at least 1, got " + batch);
        int m = spec.sizeMultiple();
        if (patch < m || patch % m != 0) {
            throw new IllegalArgumentException("--patch must be a positive multiple of " + m + " for spec '" + spec.name()
                    + "', got " + patch);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("--lr must be a positive number, got " + learningRate);
        }
        if (poreCentred < 0 || hardCentred < 0 || poreCentred + hardCentred > 1) {
            throw new IllegalArgumentException("pore- and distractor-centred fractions must be >= 0 and sum to <= 1");
        }
        if (poreWeight <= 0 || diceWeight < 0) throw new IllegalArgumentException("loss weights must be positive");
        if (syntheticCount < 0) throw new IllegalArgumentException("--synthetic must be >= 0, got " + syntheticCount);
        if (!(scaleJitter >= 0 && scaleJitter <= 1)) {
            throw new IllegalArgumentException("--scale-jitter must be in [0, 1], got " + scaleJitter);
        }
        if (scaleJitter > 0 && !preprocessing.isLocal()) {
            throw new IllegalArgumentException("--scale-jitter needs local normalisation (--normalize local)");
        }
        if (!(syntheticShare >= 0 && syntheticShare <= 1)) {
            throw new IllegalArgumentException("--synthetic-share must be in [0, 1], got " + syntheticShare);
        }
    }

    /** The defaults: 64x64 patches (the paper's input), batch 16, Adam 1e-3 with cosine decay. */
    public static TrainConfig defaults(UNetSpec spec, int steps, Path out) {
        return new TrainConfig(spec, spec.name(), steps, 16, 64, 1e-3, 0.02, Math.min(50, steps / 10), 3.0, 0.5,
                0.5, 0.2, true, Preprocessing.standard(), 4, 250, 250, 0, 0.3, 1, 0, out, 0);
    }

    /** Learning rate at {@code step} (0-based): linear warm-up, then cosine decay. */
    public double learningRate(int step) {
        if (step < warmupSteps) {
            return learningRate * (step + 1) / (warmupSteps + 1);
        }
        double progress = (double) (step - warmupSteps) / Math.max(1, steps - warmupSteps);
        double min = learningRate * minLrFraction;
        return min + 0.5 * (learningRate - min) * (1 + Math.cos(Math.PI * Math.min(1, progress)));
    }

    /** The checkpoint next to the model file. */
    public Path checkpoint() { return sibling(".ckpt"); }

    /** Training log files next to the model file. */
    public Path logCsv() { return sibling(".log.csv"); }

    public Path logJson() { return sibling(".log.json"); }

    public Path sibling(String suffix) {
        String file = out.getFileName().toString();
        String base = file.endsWith(".pt") ? file.substring(0, file.length() - 3) : file;
        return out.resolveSibling(base + suffix);
    }

    public TrainConfig withSteps(int newSteps) {
        return new TrainConfig(spec, name, newSteps, batch, patch, learningRate, minLrFraction, warmupSteps, poreWeight,
                diceWeight, poreCentred, hardCentred, augment, preprocessing, minArea, validateEvery, checkpointEvery,
                syntheticCount, syntheticShare, seed, threads, out, scaleJitter);
    }

    public TrainConfig withBatch(int newBatch, int newPatch) {
        return new TrainConfig(spec, name, steps, newBatch, newPatch, learningRate, minLrFraction, warmupSteps, poreWeight,
                diceWeight, poreCentred, hardCentred, augment, preprocessing, minArea, validateEvery, checkpointEvery,
                syntheticCount, syntheticShare, seed, threads, out, scaleJitter);
    }

    public TrainConfig withLearningRate(double lr, int newWarmup) {
        return new TrainConfig(spec, name, steps, batch, patch, lr, minLrFraction, newWarmup, poreWeight,
                diceWeight, poreCentred, hardCentred, augment, preprocessing, minArea, validateEvery, checkpointEvery,
                syntheticCount, syntheticShare, seed, threads, out, scaleJitter);
    }

    public TrainConfig withSchedule(int newValidateEvery, int newCheckpointEvery) {
        return new TrainConfig(spec, name, steps, batch, patch, learningRate, minLrFraction, warmupSteps, poreWeight,
                diceWeight, poreCentred, hardCentred, augment, preprocessing, minArea, newValidateEvery, newCheckpointEvery,
                syntheticCount, syntheticShare, seed, threads, out, scaleJitter);
    }

    public TrainConfig withSeed(long newSeed) {
        return new TrainConfig(spec, name, steps, batch, patch, learningRate, minLrFraction, warmupSteps, poreWeight,
                diceWeight, poreCentred, hardCentred, augment, preprocessing, minArea, validateEvery, checkpointEvery,
                syntheticCount, syntheticShare, newSeed, threads, out, scaleJitter);
    }

    public TrainConfig withData(int newSyntheticCount, double newSyntheticShare, boolean newAugment,
                               Preprocessing newPreprocessing) {
        return new TrainConfig(spec, name, steps, batch, patch, learningRate, minLrFraction, warmupSteps, poreWeight,
                diceWeight, poreCentred, hardCentred, newAugment, newPreprocessing, minArea, validateEvery, checkpointEvery,
                newSyntheticCount, newSyntheticShare, seed, threads, out, scaleJitter);
    }

    public TrainConfig withLoss(double newPoreWeight, double newDiceWeight) {
        return new TrainConfig(spec, name, steps, batch, patch, learningRate, minLrFraction, warmupSteps, newPoreWeight,
                newDiceWeight, poreCentred, hardCentred, augment, preprocessing, minArea, validateEvery, checkpointEvery,
                syntheticCount, syntheticShare, seed, threads, out, scaleJitter);
    }

    public TrainConfig withScaleJitter(double jitter) {
        return new TrainConfig(spec, name, steps, batch, patch, learningRate, minLrFraction, warmupSteps, poreWeight,
                diceWeight, poreCentred, hardCentred, augment, preprocessing, minArea, validateEvery, checkpointEvery,
                syntheticCount, syntheticShare, seed, threads, out, jitter);
    }

    public TrainConfig withName(String newName, int newThreads, Path newOut) {
        return new TrainConfig(spec, newName, steps, batch, patch, learningRate, minLrFraction, warmupSteps, poreWeight,
                diceWeight, poreCentred, hardCentred, augment, preprocessing, minArea, validateEvery, checkpointEvery,
                syntheticCount, syntheticShare, seed, newThreads, newOut, scaleJitter);
    }
}
