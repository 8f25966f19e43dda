package dev.porescope.cli.commands;

import dev.porescope.cli.support.OptionValues;
import dev.porescope.cli.support.UserException;
import dev.porescope.core.preprocess.Preprocessing;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;

/** Options that override single settings of the model card's preprocessing (mixed in with {@code @Mixin}). */
public final class PreprocessOptions {
    @Option(names = "--flatten-sigma", converter = OptionValues.ZeroOrPositive.class, paramLabel = "PX",
            description = "Local brightness correction: divide by a blur of this sigma (0 = off). Default: the model card's.")
    Double flattenSigma;

    @Option(names = "--blur-sigma", converter = OptionValues.ZeroOrPositive.class, paramLabel = "PX", description = "Gaussian blur sigma (0 = off). Default: the model card's.")
    Double blurSigma;

    @Option(names = "--sharpen-amount", converter = OptionValues.ZeroOrPositive.class, paramLabel = "A", description = "Unsharp-mask amount (0 = off). Default: the model card's.")
    Double sharpenAmount;

    @Option(names = "--sharpen-sigma", converter = OptionValues.ZeroOrPositive.class, paramLabel = "PX", description = "Unsharp-mask blur sigma. Default: the model card's.")
    Double sharpenSigma;

    @Option(names = "--normalize", converter = OptionValues.Normalize.class, paramLabel = "MODE", description = "Normalisation: standardize (whole photo), local (moving window) or none. Default: the model card's.")
    String normalize;

    @Option(names = "--normalize-sigma", paramLabel = "PX", description = "Sigma of the moving window of --normalize local. Default: the model card's, else "
            + Preprocessing.DEFAULT_LOCAL_SIGMA + ".")
    Double normalizeSigma;

    /** The options given, by name (empty when none). */
    public Map<String, Object> overrides() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (flattenSigma != null) m.put("flattenSigma", flattenSigma);
        if (blurSigma != null) m.put("blurSigma", blurSigma);
        if (sharpenSigma != null) m.put("sharpenSigma", sharpenSigma);
        if (sharpenAmount != null) m.put("sharpenAmount", sharpenAmount);
        if (normalize != null) m.put("normalize", normalize);
        if (normalizeSigma != null) m.put("normalizeSigma", normalizeSigma);
        return m;
    }

    /** {@code card} with the options given replacing its settings. */
    public Preprocessing apply(Preprocessing card) {
        Preprocessing base = card == null ? Preprocessing.identity() : card;
        double sharpenSigmaUsed = sharpenSigma != null ? sharpenSigma : base.sharpenSigma();
        double sharpenAmountUsed = sharpenAmount != null ? sharpenAmount : base.sharpenAmount();
        if (sharpenAmountUsed > 0 && !(sharpenSigmaUsed > 0)) {
            sharpenSigmaUsed = 1; // the card had sharpening off with no sigma; a sensible unsharp-mask radius
        }
        String normalizeUsed = normalize != null ? normalize : base.normalize();
        double normalizeSigmaUsed = !Preprocessing.LOCAL.equals(normalizeUsed) ? 0
                : normalizeSigma != null ? normalizeSigma
                : base.isLocal() ? base.normalizeSigma() : Preprocessing.DEFAULT_LOCAL_SIGMA;
        try {
            return new Preprocessing(
                    flattenSigma != null ? flattenSigma : base.flattenSigma(),
                    blurSigma != null ? blurSigma : base.blurSigma(),
                    sharpenSigmaUsed, sharpenAmountUsed,
                    normalizeUsed, normalizeSigmaUsed);
        } catch (IllegalArgumentException e) {
            throw new UserException("bad preprocessing option: " + e.getMessage(), e);
        }
    }
}
