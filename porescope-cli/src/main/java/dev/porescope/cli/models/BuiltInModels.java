package dev.porescope.cli.models;

import dev.porescope.cli.support.UserException;
import dev.porescope.core.baseline.DogFit;
import dev.porescope.core.baseline.DogModel;
import dev.porescope.core.data.LabelledImage;
import dev.porescope.core.model.SegmentationModel;

import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/** The models that need no file: the difference-of-Gaussians baseline, default or fitted. */
final class BuiltInModels {
    private BuiltInModels() { }

    static SegmentationModel dog() {
        return DogModel.defaults();
    }

    static SegmentationModel dogFit(Supplier<List<LabelledImage>> data) {
        List<LabelledImage> images = data == null ? List.of() : data.get();
        if (images == null || images.isEmpty()) {
            throw new UserException("model dog-fit fits itself on labelled photos; give them with --data DIR");
        }
        System.err.println("porescope: fitting the DoG baseline's sigmas, threshold and minimum pore area on "
                + images.size() + " photo" + (images.size() == 1 ? "" : "s") + "...");
        DogModel fitted = DogFit.fit(images);
        System.err.printf(Locale.ROOT, "porescope: fitted DoG: sigma %.2f / %.2f px, response threshold %.4f, minimum area %d px%n",
                fitted.sigma1(), fitted.sigma2(), fitted.offset(), fitted.card().minArea());
        return fitted;
    }
}
