package dev.porescope.core.parity;

import dev.porescope.core.image.Luma;
import dev.porescope.core.image.Plane;
import dev.porescope.core.json.FloatCodec;
import dev.porescope.core.model.ModelCard;
import dev.porescope.core.model.ModelCard.GoldenPair;
import dev.porescope.core.modelfile.ModelFileException;
import dev.porescope.core.model.SegmentationModel;
import dev.porescope.core.preprocess.Preprocessing;
import dev.porescope.core.synth.SkinSynthesizer;
import dev.porescope.core.synth.SynthConfig;
import dev.porescope.core.synth.SyntheticPhoto;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The golden input/output pairs every model file carries, made and checked in one place.
 *
 * <p>Made: {@link #inputs} is the one input recipe ({@value #COUNT} synthetic skin photos of
 * {@value #SIDE} px, rounded up to the spec's size multiple, seeded by the card's seed and run
 * through the card's preprocessing), {@link #pairs} runs the server model on them. So every
 * export of one {@code .pt} ({@code .ptl}, {@code .onnx}, {@code .ort}) carries the same inputs.
 *
 * <p>Checked: {@link #check} runs any {@link SegmentationModel} on its card's pairs and compares
 * with the server's outputs: largest and mean |difference| and the smallest Dice of the two pore
 * masks at the card's threshold, against the tolerance of the card's precision. It is the phone's
 * self-test and the check every runtime makes when it loads a file ({@link #verifyOnLoad}).
 * A card without pairs gives {@link Status#NOT_AVAILABLE} with NaN differences: nothing was
 * compared, which must not read as a perfect match (0).
 */
public final class Golden {
    /** Golden tiles per model file. */
    public static final int COUNT = 2;
    /** Side of a golden tile before rounding up to the spec's size multiple. */
    public static final int SIDE = 64;

    private Golden() { }

    /** Outcome of a check. */
    public enum Status { PASSED, FAILED, NOT_AVAILABLE }

    /**
     * What a precision may differ from the fp32 server model. fp32 must match to float rounding;
     * fp16 weights move probabilities by about 1e-3; int8 rounds activations too, so single
     * pixels may move a lot while the masks must still agree. Unknown precisions get fp32's.
     */
    public record Tolerance(double maxAbsDifference, double minMaskDice) {
        public static Tolerance forPrecision(String precision) {
            if (ModelCard.INT8.equals(precision)) return new Tolerance(0.25, 0.95);
            if (ModelCard.FP16.equals(precision)) return new Tolerance(2e-2, 0.98);
            return new Tolerance(1e-4, 0.99);
        }
    }

    /**
     * A check of a runtime against the golden pairs.
     *
     * @param pairs             golden tiles compared (the failing pair's index when one could not run)
     * @param maxAbsDifference  largest |runtime - server| probability (NaN when nothing ran)
     * @param meanAbsDifference mean |runtime - server| probability (NaN when nothing ran)
     * @param minMaskDice       smallest Dice of the two pore masks at the card's threshold (NaN when nothing ran)
     * @param message           one sentence an app can show
     */
    public record Result(Status status, String precision, int pairs, double maxAbsDifference, double meanAbsDifference,
                         double minMaskDice, Tolerance tolerance, String message) {
        public boolean passed() { return status == Status.PASSED; }
    }

    /** The golden inputs of a model described by {@code card} (see the class comment). */
    public static List<Plane> inputs(ModelCard card) {
        if (card.spec() == null) throw new IllegalArgumentException("card '" + card.name() + "' has no network spec");
        int m = card.spec().sizeMultiple();
        int side = Math.max(m, (SIDE + m - 1) / m * m);
        Preprocessing preprocessing = card.preprocessing() == null ? Preprocessing.identity() : card.preprocessing();
        SkinSynthesizer synth = new SkinSynthesizer(SynthConfig.defaults(side, side));
        List<Plane> out = new ArrayList<>();
        for (long s : new SplittableRandom(card.seed()).longs(COUNT).toArray()) {
            SyntheticPhoto photo = synth.generate(s);
            out.add(preprocessing.apply(Luma.fromArgb(photo.argb(), photo.width(), photo.height())));
        }
        return out;
    }

    /** Golden pairs: each input with {@code server}'s output for it. */
    public static List<GoldenPair> pairs(SegmentationModel server, List<Plane> inputs) {
        List<GoldenPair> out = new ArrayList<>();
        for (Plane in : inputs) {
            Plane probability = server.predict(in);
            out.add(new GoldenPair(in.width(), in.height(), FloatCodec.encode(in.values()),
                    FloatCodec.encode(probability.values())));
        }
        return out;
    }

    /** {@link #pairs} on {@link #inputs} of the server's own card. */
    public static List<GoldenPair> make(SegmentationModel server) {
        return pairs(server, inputs(server.card()));
    }

    /** The input tile of a pair; an {@link IllegalArgumentException} when it is malformed. */
    public static Plane input(GoldenPair pair) {
        return plane(pair, pair.input(), "input");
    }

    /** The server's pore probability of a pair; an {@link IllegalArgumentException} when it is malformed. */
    public static Plane probability(GoldenPair pair) {
        return plane(pair, pair.probability(), "probability");
    }

    private static Plane plane(GoldenPair pair, String base64, String what) {
        if (pair.width() < 1 || pair.height() < 1 || (long) pair.width() * pair.height() > 1 << 24) {
            throw new IllegalArgumentException("golden tile of " + pair.width() + "x" + pair.height() + " is not a tile");
        }
        float[] values = FloatCodec.decode(base64 == null ? "" : base64);
        if (values.length != pair.width() * pair.height()) {
            throw new IllegalArgumentException("golden " + what + " has " + values.length + " values for a "
                    + pair.width() + "x" + pair.height() + " tile");
        }
        return new Plane(pair.width(), pair.height(), values);
    }

    /** Largest |a - b|; NaN anywhere counts as the largest difference. */
    public static double maxAbsDifference(float[] a, float[] b) {
        if (a.length != b.length) throw new IllegalArgumentException("sizes differ: " + a.length + " vs " + b.length);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            double d = Math.abs((double) a[i] - b[i]);
            if (!(d <= max)) max = d;
        }
        return max;
    }

    /** Runs {@code model} on the golden pairs of its own card, with the tolerance of the card's precision. */
    public static Result check(SegmentationModel model) {
        ModelCard card = model.card();
        String precision = card.precision() == null ? ModelCard.FP32 : card.precision();
        return check(model, card.golden(), precision, card.threshold(), card.name());
    }

    /** Runs {@code model} on {@code golden} and compares with the server's outputs stored there. */
    public static Result check(SegmentationModel model, List<GoldenPair> golden, String precision, double threshold,
                               String name) {
        Tolerance tolerance = Tolerance.forPrecision(precision);
        if (golden == null || golden.isEmpty()) {
            return new Result(Status.NOT_AVAILABLE, precision, 0, Double.NaN, Double.NaN, Double.NaN, tolerance,
                    "Self-test not available: model '" + name + "' carries no golden input/output pairs.");
        }
        float t = (float) threshold;
        double maxAbs = 0, sumAbs = 0, minDice = 1;
        long pixels = 0;
        for (int p = 0; p < golden.size(); p++) {
            Plane input;
            float[] expected;
            try {
                input = input(golden.get(p));
                expected = probability(golden.get(p)).values();
            } catch (RuntimeException e) {
                return failed(precision, p, tolerance, "golden pair " + (p + 1) + " in the model card is malformed: " + e.getMessage());
            }
            float[] actual;
            try {
                Plane out = model.predict(input);
                if (!out.sameSize(input.width(), input.height())) {
                    return failed(precision, p, tolerance, "the runtime returned a " + out.width() + "x" + out.height()
                            + " output for golden tile " + (p + 1) + " of " + input.width() + "x" + input.height());
                }
                actual = out.values();
            } catch (RuntimeException e) {
                return failed(precision, p, tolerance, "the runtime failed on golden tile " + (p + 1) + ": " + e.getMessage());
            }
            int both = 0, device = 0, server = 0;
            for (int i = 0; i < expected.length; i++) {
                double d = Math.abs((double) actual[i] - expected[i]);
                if (!(d <= maxAbs)) maxAbs = d; // also catches NaN
                sumAbs += d;
                boolean a = actual[i] >= t, e = expected[i] >= t;
                if (a) device++;
                if (e) server++;
                if (a && e) both++;
            }
            pixels += expected.length;
            minDice = Math.min(minDice, device + server == 0 ? 1 : 2.0 * both / (device + server));
        }
        double meanAbs = sumAbs / pixels;
        boolean ok = maxAbs <= tolerance.maxAbsDifference() && minDice >= tolerance.minMaskDice();
        String summary = String.format(Locale.ROOT, "%d golden tiles, largest probability difference %.2g (allowed %.2g for %s),"
                        + " smallest pore-mask Dice %.4f (allowed %.2f)", golden.size(), maxAbs, tolerance.maxAbsDifference(),
                precision, minDice, tolerance.minMaskDice());
        return new Result(ok ? Status.PASSED : Status.FAILED, precision, golden.size(), maxAbs, meanAbs, minDice, tolerance,
                ok ? "Self-test passed: this device computes what the server computed (" + summary + ")."
                   : "Self-test FAILED: this device does not compute what the server computed (" + summary + ").");
    }

    private static Result failed(String precision, int pairIndex, Tolerance tolerance, String why) {
        return new Result(Status.FAILED, precision, pairIndex, Double.NaN, Double.NaN, Double.NaN, tolerance,
                "Self-test FAILED: " + why + ".");
    }

    /**
     * The check a runtime makes when it loads {@code file}: a file that no longer computes what it
     * computed when it was made (damaged weights, a swapped network) is refused with one line. A
     * card without golden pairs passes (nothing to compare; older files).
     */
    public static Result verifyOnLoad(SegmentationModel model, String file) {
        Result r = check(model);
        if (r.status() == Status.FAILED) {
            throw new ModelFileException(file + ": does not compute what it computed when it was made ("
                    + r.message().replaceFirst("^Self-test FAILED: ", "").replaceAll("\\.$", "")
                    + "); the file is damaged or altered: copy or export it again");
        }
        return r;
    }

    /**
     * {@code model} after one tile of twice its size multiple and then {@link #verifyOnLoad}: a runtime
     * whose output does not fit the card (classes, shape) is refused even when the card has no golden
     * pairs, as {@code file: mismatch: what failed}. A refused model is closed before the exception leaves.
     *
     * @param mismatch what the refusal says, e.g. "the network does not match its model card"
     */
    public static <M extends SegmentationModel> M verifiedOnLoad(M model, String file, String mismatch) {
        try {
            int side = 2 * model.sizeMultiple();
            model.predict(new Plane(side, side));
        } catch (RuntimeException e) {
            model.close();
            throw new ModelFileException(file + ": " + mismatch + ": " + e.getMessage(), e);
        }
        return verifiedOnLoad(model, file);
    }

    /** {@code model} after {@link #verifyOnLoad}; a refused model is closed before the exception leaves. */
    public static <M extends SegmentationModel> M verifiedOnLoad(M model, String file) {
        try {
            verifyOnLoad(model, file);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        return model;
    }
}
