package dev.porescope.cli.commands;

import dev.porescope.cli.support.UserException;
import dev.porescope.core.model.SegmentationModel;

/** The {@code --threshold T} option of analyze, eval and compare. */
final class Thresholds {
    private Thresholds() { }

    /** {@code model} with threshold {@code t} in its card, or unchanged when {@code t} is null. */
    static SegmentationModel apply(SegmentationModel model, Double t) {
        if (t == null) return model;
        if (!(t > 0 && t < 1)) {
            model.close();
            throw new UserException("--threshold must be between 0 and 1 (exclusive), got " + t);
        }
        return SegmentationModel.withThreshold(model, t);
    }
}
