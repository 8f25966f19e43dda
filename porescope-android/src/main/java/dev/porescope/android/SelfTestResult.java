package dev.porescope.android;

import dev.porescope.core.parity.Golden;

import java.util.Locale;

/**
 * Whether this phone computes what the server computed on the golden tiles stored in the model
 * file: the on-device form of the paper's Table 3. {@link #message()} is a sentence an app can show.
 */
public final class SelfTestResult {
    /** Outcome of a self-test. */
    public enum Status {
        /** Every golden tile within the tolerances of the model's precision. */
        PASSED,
        /** At least one golden tile differs more than allowed, or the runtime failed on it. */
        FAILED,
        /** The model file carries no golden pairs, so nothing could be compared. */
        NOT_AVAILABLE
    }

    private final Golden.Result result;

    SelfTestResult(Golden.Result result) {
        this.result = result;
    }

    public Status status() { return Status.valueOf(result.status().name()); }
    public boolean passed() { return result.passed(); }
    /** The model's precision (fp32, fp16, int8), which sets the tolerances. */
    public String precision() { return result.precision(); }
    /** Golden tiles compared. */
    public int pairs() { return result.pairs(); }
    /** Largest |phone - server| pore probability over all golden pixels (NaN if none ran). */
    public double maxAbsDifference() { return result.maxAbsDifference(); }
    /** Mean |phone - server| pore probability over all golden pixels (NaN if none ran). */
    public double meanAbsDifference() { return result.meanAbsDifference(); }
    /** Smallest Dice, over the golden tiles, between phone and server pore masks at the model's threshold. */
    public double minMaskDice() { return result.minMaskDice(); }
    /** Largest probability difference allowed for this precision. */
    public double allowedMaxAbsDifference() { return result.tolerance().maxAbsDifference(); }
    /** Smallest mask Dice allowed for this precision. */
    public double allowedMinMaskDice() { return result.tolerance().minMaskDice(); }
    /** One sentence for the user or the log. */
    public String message() { return result.message(); }

    /** This result if the self-test passed; otherwise a {@link SelfTestFailedException} with the message. */
    public SelfTestResult orThrow() {
        if (!result.passed()) {
            throw new SelfTestFailedException(this);
        }
        return this;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "SelfTestResult[%s, %s, pairs=%d, maxAbs=%.3g, meanAbs=%.3g, minDice=%.4f]",
                status(), precision(), pairs(), maxAbsDifference(), meanAbsDifference(), minMaskDice());
    }
}
