package dev.porescope.torch.train;

import dev.porescope.core.model.SegmentationModel;

import java.util.Map;

/** Scores a model on held-out whole images and picks its decision threshold. */
@FunctionalInterface
public interface Validator {

    /**
     * @param dice      pooled pixel Dice at {@code threshold}
     * @param poreF1    pore F1 at {@code threshold}
     * @param threshold decision threshold chosen on the validation data
     * @param metrics   everything measured, by name (for the card and the log)
     */
    record Result(double dice, double poreF1, double threshold, Map<String, Double> metrics) {
        /** The number training maximises: the mean of pixel Dice and pore F1. */
        public double score() { return (dice + poreF1) / 2; }
    }

    Result validate(SegmentationModel model);
}
