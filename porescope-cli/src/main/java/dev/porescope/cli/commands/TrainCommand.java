package dev.porescope.cli.commands;

import dev.porescope.cli.io.DataFolder;
import dev.porescope.cli.io.ImageOptions;
import dev.porescope.cli.support.OptionValues;
import dev.porescope.cli.support.Progress;
import dev.porescope.cli.support.UserException;
import dev.porescope.core.data.LabelledImage;
import dev.porescope.core.model.ModelCard;
import dev.porescope.core.preprocess.Preprocessing;
import dev.porescope.core.unet.UNetSpec;
import dev.porescope.torch.nativ.TorchException;
import dev.porescope.torch.train.DataSplit;
import dev.porescope.torch.train.HeldOutValidator;
import dev.porescope.torch.train.SyntheticPhotos;
import dev.porescope.torch.train.TrainConfig;
import dev.porescope.torch.train.Trainer;
import dev.porescope.torch.train.TrainingException;
import dev.porescope.torch.train.Validator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code porescope train}: trains a U-Net from Java and writes it as a TorchScript {@code .pt} with its card. */
@Command(name = "train", sortOptions = false,
        description = {"Train a pore U-Net on labelled data folders and/or synthetic photos; write it as a TorchScript"
                + " .pt (loadable by torch.jit.load) carrying its model card.",
                "Validation: with --val-data, those folders; otherwise a seeded random --val-split fraction of the photos,"
                        + " or, when there are too few photos for that (one big photo), the bottom --val-split band of every"
                        + " photo (training uses the rest). Synthetic-only runs validate on separate synthetic photos.",
                "Writes MODEL (best on validation), MODEL-without-.pt + .ckpt (checkpoint for --resume), .log.csv,"
                        + " .log.json and .log.png (curves)."})
public final class TrainCommand implements Callable<Integer> {

    @Option(names = "--data", paramLabel = "DIR", description = "Labelled data folder (images/, masks/, optional roi/). Repeatable.")
    List<Path> data = new ArrayList<>();

    @Option(names = "--synthetic", converter = OptionValues.ZeroOrMore.class, defaultValue = "0", paramLabel = "N", description = "Add N synthetic photos (made in memory, seeded) to the training data (default: ${DEFAULT-VALUE}).")
    int synthetic;

    @Option(names = "--synthetic-share", converter = OptionValues.Share.class, defaultValue = "0.3", paramLabel = "F",
            description = "Fraction of training patches taken from the synthetic photos when there are real ones too"
                    + " (default: ${DEFAULT-VALUE}).")
    double syntheticShare;

    @Option(names = "--spec", defaultValue = "paper", paramLabel = "NAME", description = "Network spec: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}); see 'porescope spec'.",
            completionCandidates = SpecNames.class)
    String specName;

    @Option(names = "--steps", converter = OptionValues.AtLeastOne.class, defaultValue = "2000", paramLabel = "N", description = "Optimizer steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--out", required = true, paramLabel = "MODEL.pt", description = "Model file to write.")
    Path out;

    @Option(names = "--resume", description = "Continue the run whose checkpoint sits next to --out, exactly where it stopped.")
    boolean resume;

    @Option(names = "--val-split", converter = OptionValues.Fraction.class, defaultValue = "0.2", paramLabel = "F", description = "Fraction held out for validation, 0 = none (default: ${DEFAULT-VALUE}).")
    double valSplit;

    @Option(names = "--val-data", paramLabel = "DIR", description = "Validate on these data folders instead of a split. Repeatable.")
    List<Path> valData = new ArrayList<>();

    @Option(names = "--patch", converter = OptionValues.AtLeastOne.class, defaultValue = "64", paramLabel = "PX", description = "Patch side (default: ${DEFAULT-VALUE}, the paper's input).")
    int patch;

    @Option(names = "--batch", converter = OptionValues.AtLeastOne.class, defaultValue = "16", paramLabel = "N", description = "Patches per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", converter = OptionValues.Positive.class, defaultValue = "1e-3", paramLabel = "LR", description = "Peak learning rate of Adam; cosine decay (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--dice-weight", converter = OptionValues.ZeroOrPositive.class, defaultValue = "0.5", paramLabel = "W", description = "Weight of the soft Dice loss, 0 = cross-entropy only (default: ${DEFAULT-VALUE}).")
    double diceWeight;

    @Option(names = "--pore-weight", converter = OptionValues.Positive.class, defaultValue = "3", paramLabel = "W", description = "Cross-entropy weight of pore pixels (default: ${DEFAULT-VALUE}).")
    double poreWeight;

    @Option(names = "--no-augment", description = "Turn off flips, rotations and photometric augmentation.")
    boolean noAugment;

    @Option(names = "--flatten", converter = OptionValues.ZeroOrPositive.class, defaultValue = "0", paramLabel = "SIGMA", description = "Preprocessing: divide by a blur of this sigma to flatten uneven light, 0 = off (default: ${DEFAULT-VALUE}).")
    double flatten;

    @Option(names = "--blur", converter = OptionValues.ZeroOrPositive.class, defaultValue = "0", paramLabel = "SIGMA", description = "Preprocessing: Gaussian blur sigma, 0 = off (default: ${DEFAULT-VALUE}).")
    double blur;

    @Option(names = "--sharpen", converter = OptionValues.ZeroOrPositive.class, defaultValue = "0", paramLabel = "AMOUNT", description = "Preprocessing: unsharp-mask amount (sigma 1), 0 = off (default: ${DEFAULT-VALUE}).")
    double sharpen;

    @Option(names = "--normalize", converter = OptionValues.Normalize.class, defaultValue = "local", paramLabel = "MODE",
            description = "Preprocessing: local (zero mean, unit deviation under a moving window of --normalize-sigma;"
                    + " what a pore looks like then does not depend on the rest of the photo) or standardize (whole photo,"
                    + " the models made before local existed) (default: ${DEFAULT-VALUE}).")
    String normalize;

    @Option(names = "--normalize-sigma", converter = OptionValues.Positive.class, defaultValue = "32", paramLabel = "PX",
            description = "Sigma of the moving window of --normalize local (default: ${DEFAULT-VALUE}).")
    double normalizeSigma;

    @Option(names = "--scale-jitter", converter = OptionValues.ZeroOrPositive.class, defaultValue = "0", paramLabel = "J",
            description = "Scale augmentation: resample each patch at a random scale in 1/(1+J)..1+J (pore size varies with"
                    + " camera distance); needs --normalize local (default: ${DEFAULT-VALUE}).")
    double scaleJitter;

    @Option(names = "--init", paramLabel = "MODEL.pt",
            description = "Fine-tune this PoreScope .pt (e.g. the embedded default's default.pt) instead of starting from"
                    + " random weights; its spec and preprocessing are kept (--spec and the preprocessing options are then"
                    + " ignored).")
    Path init;

    @Option(names = "--warm-start", paramLabel = "MODEL.pt",
            description = "Start from this .pt's weights (same --spec) but train with this run's preprocessing options:"
                    + " a warm start when the preprocessing changes. Not with --init or --folds.")
    Path warmStart;

    @Option(names = "--folds", converter = OptionValues.ZeroOrMore.class, defaultValue = "0", paramLabel = "K",
            description = "Cross-validate the recipe instead of training one model: K spatial folds (horizontal bands"
                    + " with equal ROI shares of every photo, a gap of the network's receptive-field margin between"
                    + " training and test rows), train on K-1, score the held-out fold; writes MODEL-fold1.pt ...,"
                    + " MODEL.crossval.json and .md, and prints the per-fold table, mean +- std and the"
                    + " cross-validated threshold. 0 = off (default).")
    int folds;

    @Option(names = "--threshold", converter = OptionValues.Share.class, paramLabel = "T",
            description = "Decision threshold written into the card when there is no validation (--val-split 0), e.g."
                    + " the cross-validated one from --folds. Default: chosen on validation, else 0.5.")
    Double threshold;

    @Option(names = "--min-area", converter = OptionValues.ZeroOrMore.class, defaultValue = "4", paramLabel = "PX", description = "Smallest pore kept, in pixels (default: ${DEFAULT-VALUE}).")
    int minArea;

    @Option(names = "--validate-every", converter = OptionValues.AtLeastOne.class, defaultValue = "250", paramLabel = "N", description = "Steps between validations (default: ${DEFAULT-VALUE}).")
    int validateEvery;

    @Option(names = "--checkpoint-every", converter = OptionValues.AtLeastOne.class, defaultValue = "250", paramLabel = "N", description = "Steps between checkpoints (default: ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Seed of weights, patches, augmentation and synthetic photos (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", converter = OptionValues.Threads.class, defaultValue = "0", paramLabel = "T", description = "libtorch threads, 0 = all cores (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--name", paramLabel = "NAME", description = "Model name for the card (default: the spec name).")
    String name;

    @Mixin
    ImageOptions images;

    @Spec
    CommandSpec spec;

    /** Spec names for the help text. */
    static final class SpecNames extends ArrayList<String> {
        SpecNames() { super(UNetSpec.names()); }
    }

    /** Memory a synthetic training photo holds per pixel: float luma, label and ROI. */
    static final long SYNTHETIC_BYTES_PER_PIXEL = 6;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        UNetSpec unet = spec(specName);
        if (data.isEmpty() && synthetic == 0) {
            throw new ParameterException(spec.commandLine(),
                    "no training data: give --data DIR (images/, masks/, optional roi/) and/or --synthetic N");
        }
        if (!out.getFileName().toString().endsWith(".pt")) {
            throw new ParameterException(spec.commandLine(), "--out " + out + " must end in .pt (a TorchScript model file)");
        }
        long perPhoto = (long) SyntheticPhotos.SIZE * SyntheticPhotos.SIZE * SYNTHETIC_BYTES_PER_PIXEL;
        long heap = Runtime.getRuntime().maxMemory();
        if (synthetic > heap / 2 / perPhoto) {
            throw new ParameterException(spec.commandLine(), String.format(Locale.ROOT,
                    "--synthetic %d photos of %dx%d px need about %.1f GB of memory and Java may use %.1f GB;"
                            + " use at most --synthetic %d, or give Java more with JAVA_OPTS=-Xmx...",
                    synthetic, SyntheticPhotos.SIZE, SyntheticPhotos.SIZE, (double) synthetic * perPhoto / 1e9, heap / 1e9,
                    heap / 2 / perPhoto));
        }
        Path parent = out.toAbsolutePath().getParent();
        if (!Files.isDirectory(parent)) {
            throw new UserException("folder " + parent + " for --out does not exist; create it first");
        }
        Preprocessing preprocessing;
        try {
            preprocessing = new Preprocessing(flatten, blur, 1, sharpen, normalize,
                    Preprocessing.LOCAL.equals(normalize) ? normalizeSigma : 0);
        } catch (IllegalArgumentException e) {
            throw new UserException("bad preprocessing option: " + e.getMessage());
        }
        if (init != null) {
            ModelCard card = initCard(init);
            unet = card.spec();
            preprocessing = card.preprocessing();
            err.println("porescope: fine-tuning " + init + " (spec " + unet.name() + ", its preprocessing)");
        }
        if (warmStart != null) {
            if (init != null || folds != 0) {
                throw new UserException("--warm-start goes without --init and --folds");
            }
            UNetSpec warm = initCard(warmStart).spec();
            if (!warm.equals(unet)) {
                throw new UserException("--warm-start " + warmStart + " has spec '" + warm.name() + "', this run '"
                        + unet.name() + "'; give --spec " + warm.name());
            }
        }
        if (threshold != null && !(threshold > 0 && threshold < 1)) {
            throw new UserException("--threshold must be between 0 and 1 (exclusive), got " + threshold);
        }
        TrainConfig config;
        try {
            config = TrainConfig.defaults(unet, steps, out)
                    .withBatch(batch, patch)
                    .withLearningRate(lr, Math.min(50, steps / 10))
                    .withLoss(poreWeight, diceWeight)
                    .withData(synthetic, syntheticShare, !noAugment, preprocessing)
                    .withSchedule(validateEvery, checkpointEvery)
                    .withSeed(seed)
                    .withName(name == null ? unet.name() : name, threads, out)
                    .withScaleJitter(scaleJitter);
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage());
        }
        if (resume && !Files.exists(config.checkpoint())) {
            throw new UserException("--resume: no checkpoint at " + config.checkpoint() + "; run without --resume to start");
        }
        List<LabelledImage> photos = new ArrayList<>();
        for (Path dir : data) {
            photos.addAll(DataFolder.load(dir, images.files()));
        }
        if (folds != 0) {
            return CrossvalReport.run(config, photos, folds, init, data, stdout, err);
        }
        List<LabelledImage> training;
        List<LabelledImage> validation = new ArrayList<>();
        if (!valData.isEmpty()) {
            training = photos;
            for (Path dir : valData) validation.addAll(DataFolder.load(dir, images.files()));
        } else {
            DataSplit split;
            try {
                split = DataSplit.of(photos, valSplit, seed);
            } catch (IllegalArgumentException e) {
                throw new UserException(e.getMessage());
            }
            training = split.training();
            validation.addAll(split.validation());
            if (photos.isEmpty() && valSplit > 0) {
                validation.addAll(SyntheticPhotos.generate(Math.max(2, (int) Math.round(synthetic * valSplit)), seed, 1));
            }
        }
        Validator validator = validation.isEmpty() ? null : new HeldOutValidator(validation, preprocessing, minArea);
        if (threshold != null && validator != null) {
            throw new UserException("--threshold sets the card's threshold when there is no validation; add --val-split 0");
        }
        err.printf(Locale.ROOT, "porescope: training %s (%,d parameters) on %d photo(s)%s, validating on %d, %d steps of %d x %dx%d%n",
                unet.name(), unet.parameterCount(), training.size(), synthetic > 0 ? " + " + synthetic + " synthetic" : "",
                validation.size(), steps, batch, patch, patch);
        if (!resume && Files.exists(config.checkpoint())) {
            err.println("porescope: starting over; the checkpoint " + config.checkpoint() + " will be replaced (use --resume to continue it)");
        }
        Trainer.Result result;
        try (Progress bar = Progress.start("train " + unet.name(), steps, System.err)) {
            double[] lastDice = {Double.NaN};
            Trainer trainer = new Trainer(config, training, validator);
            if (init != null) trainer.initFrom(init);
            if (warmStart != null) trainer.warmStartFrom(warmStart);
            if (threshold != null) trainer.fixedThreshold(threshold);
            result = trainer.run(resume, new Trainer.Listener() {
                @Override
                public void started(int fromStep, int total) {
                    if (fromStep > 0) {
                        err.println("porescope: resuming at step " + fromStep + " of " + total);
                        bar.stepTo(fromStep);
                    }
                }

                @Override
                public void step(Trainer.StepInfo info) {
                    bar.stepTo(info.step());
                    bar.message(String.format(Locale.ROOT, "loss %.4f%s", info.loss(),
                            Double.isNaN(lastDice[0]) ? "" : String.format(Locale.ROOT, " val Dice %.3f", lastDice[0])));
                }

                @Override
                public void validated(int step, Validator.Result v, boolean best) {
                    lastDice[0] = v.dice();
                }
            });
        } catch (TrainingException | dev.porescope.core.modelfile.ModelFileException e) {
            throw new UserException(e.getMessage(), e);
        } catch (TorchException e) {
            throw new UserException("libtorch failed: " + e.getMessage() + " (rerun with --debug for libtorch's whole message)", e);
        }
        Path png = config.sibling(".log.png");
        TrainingCurves.write(result.log(), "porescope train " + unet.name(), png);
        stdout.printf(Locale.ROOT, "model: %s (step %d of %d, threshold %.2f)%n", result.model(), result.bestStep(),
                result.steps(), result.threshold());
        for (Map.Entry<String, Double> e : result.validation().entrySet()) {
            stdout.printf(Locale.ROOT, "validation %s: %.4f%n", e.getKey(), e.getValue());
        }
        stdout.println("checkpoint: " + config.checkpoint());
        stdout.println("log: " + config.logCsv() + ", " + config.logJson() + ", " + png);
        return 0;
    }

    private static ModelCard initCard(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UserException(file + ": no such file; give a PoreScope .pt model");
        }
        try {
            ModelCard card = dev.porescope.core.modelfile.ModelFileReader.read(file).card();
            if (card.spec() == null) {
                throw new UserException(file + " has no network spec (a DoG model?); give a trained U-Net .pt");
            }
            return card;
        } catch (dev.porescope.core.modelfile.ModelFileException e) {
            throw new UserException(file + ": " + e.getMessage());
        }
    }

    static UNetSpec spec(String name) {
        try {
            return UNetSpec.named(name);
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage());
        }
    }
}
