package dev.porescope.cli;

import dev.porescope.core.data.LabelledImage;
import dev.porescope.core.model.SegmentationModel;

import java.util.List;
import java.util.function.Supplier;

/** The models that need no file: the difference-of-Gaussians baseline, default or fitted. */
final class BuiltInModels {
    private BuiltInModels() { }

    static SegmentationModel dog() {
        throw new UserException("the DoG baseline is not in this build yet (waiting for branch core)");
    }

    static SegmentationModel dogFit(Supplier<List<LabelledImage>> data) {
        throw new UserException("the DoG fit is not in this build yet (waiting for branch core)");
    }
}
