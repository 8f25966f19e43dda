package dev.porescope.android;

import dev.porescope.core.image.Plane;
import dev.porescope.core.json.FloatCodec;
import dev.porescope.core.model.ModelCard;
import dev.porescope.core.model.SegmentationModel;

import java.util.List;
import java.util.Locale;

/**
 * Runs the golden input/output pairs of a model card through a runtime and compares the output with
 * the server's: the largest probability difference, and the Dice of the two pore masks at the card's
 * threshold. Pure Java over {@link SegmentationModel}, so the same check runs for every runtime.
 */
final class SelfTest {

    /** What a precision may differ from the fp32 server model. */
    static final class Tolerance {
        private final double maxAbsDifference;
        private final double minMaskDice;

        Tolerance(double maxAbsDifference, double minMaskDice) {
            this.maxAbsDifference = maxAbsDifference;
            this.minMaskDice = minMaskDice;
        }

        double maxAbsDifference() { return maxAbsDifference; }
        double minMaskDice() { return minMaskDice; }

        /**
         * fp32 must match to float rounding (1e-4, as the desktop parity check); fp16 weights move
         * probabilities by about 1e-3; int8 rounds activations too, so single pixels may move a lot
         * while the masks must still agree. Unknown precisions get the strict fp32 tolerance.
         */
        static Tolerance forPrecision(String precision) {
            if ("int8".equals(precision)) return new Tolerance(0.25, 0.95);
            if ("fp16".equals(precision)) return new Tolerance(2e-2, 0.98);
            return new Tolerance(1e-4, 0.99);
        }
    }

    private SelfTest() { }

    static SelfTestResult run(SegmentationModel model) {
        ModelCard card = model.card();
        String precision = card.precision() == null ? "fp32" : card.precision();
        Tolerance tolerance = Tolerance.forPrecision(precision);
        List<ModelCard.GoldenPair> golden = card.golden();
        if (golden == null || golden.isEmpty()) {
            return new SelfTestResult(SelfTestResult.Status.NOT_AVAILABLE, precision, 0, Double.NaN, Double.NaN, Double.NaN,
                    tolerance, "Self-test not available: model '" + card.name() + "' carries no golden input/output pairs.");
        }
        float threshold = (float) card.threshold();
        double maxAbs = 0;
        double sumAbs = 0;
        long pixels = 0;
        double minDice = 1;
        for (int p = 0; p < golden.size(); p++) {
            ModelCard.GoldenPair pair = golden.get(p);
            Plane input;
            float[] expected;
            try {
                input = new Plane(pair.width(), pair.height(), FloatCodec.decode(pair.input()));
                expected = FloatCodec.decode(pair.probability());
            } catch (RuntimeException e) {
                return failed(precision, p, tolerance, "golden pair " + (p + 1) + " in the model card is malformed: " + e.getMessage());
            }
            if (expected.length != input.values().length) {
                return failed(precision, p, tolerance, "golden pair " + (p + 1) + " has " + expected.length
                        + " expected values for a " + pair.width() + "x" + pair.height() + " tile");
            }
            float[] actual;
            try {
                Plane out = model.predict(input);
                if (!out.sameSize(pair.width(), pair.height())) {
                    return failed(precision, p, tolerance, "the runtime returned a " + out.width() + "x" + out.height()
                            + " output for golden tile " + (p + 1) + " of " + pair.width() + "x" + pair.height());
                }
                actual = out.values();
            } catch (RuntimeException e) {
                return failed(precision, p, tolerance, "the runtime failed on golden tile " + (p + 1) + ": " + e.getMessage());
            }
            int both = 0;
            int phone = 0;
            int server = 0;
            for (int i = 0; i < expected.length; i++) {
                double d = Math.abs((double) actual[i] - expected[i]);
                if (!(d <= maxAbs)) maxAbs = d;  // also catches NaN
                sumAbs += d;
                boolean a = actual[i] >= threshold;
                boolean e = expected[i] >= threshold;
                if (a) phone++;
                if (e) server++;
                if (a && e) both++;
            }
            pixels += expected.length;
            double dice = phone + server == 0 ? 1 : 2.0 * both / (phone + server);
            minDice = Math.min(minDice, dice);
        }
        double meanAbs = sumAbs / pixels;
        boolean ok = maxAbs <= tolerance.maxAbsDifference() && minDice >= tolerance.minMaskDice();
        String summary = String.format(Locale.ROOT, "%d golden tiles, largest probability difference %.2g (allowed %.2g for %s),"
                        + " smallest pore-mask Dice %.4f (allowed %.2f)", golden.size(), maxAbs, tolerance.maxAbsDifference(),
                precision, minDice, tolerance.minMaskDice());
        return new SelfTestResult(ok ? SelfTestResult.Status.PASSED : SelfTestResult.Status.FAILED, precision, golden.size(),
                maxAbs, meanAbs, minDice, tolerance,
                ok ? "Self-test passed: this device computes what the server computed (" + summary + ")."
                   : "Self-test FAILED: this device does not compute what the server computed (" + summary + ").");
    }

    private static SelfTestResult failed(String precision, int pairIndex, Tolerance tolerance, String why) {
        return new SelfTestResult(SelfTestResult.Status.FAILED, precision, pairIndex, Double.NaN, Double.NaN, Double.NaN,
                tolerance, "Self-test FAILED: " + why + ".");
    }
}
