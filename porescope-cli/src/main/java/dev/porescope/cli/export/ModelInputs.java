package dev.porescope.cli.export;

import dev.porescope.cli.io.DataFolder;
import dev.porescope.cli.io.ImageFiles;
import dev.porescope.core.image.Luma;
import dev.porescope.core.image.Plane;
import dev.porescope.core.model.ModelCard;
import dev.porescope.core.preprocess.Preprocessing;
import dev.porescope.core.synth.SkinSynthesizer;
import dev.porescope.core.synth.SynthConfig;
import dev.porescope.core.synth.SyntheticPhoto;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Model inputs for export (int8 calibration, golden pairs) and benchmarks: photos run through the
 * model card's {@link Preprocessing} over the whole photo, exactly as inference does.
 */
public final class ModelInputs {
    private ModelInputs() { }

    /**
     * Up to {@code count} photos of {@code dir} (a folder of photos or a data folder with images/),
     * spread evenly over the sorted names, preprocessed with {@code card}'s settings.
     */
    public static List<Plane> fromPhotos(Path dir, int count, ModelCard card, ImageFiles files) {
        List<Path> photos = DataFolder.photoFiles(dir, "calibration folder");
        List<Plane> out = new ArrayList<>();
        int n = Math.min(count, photos.size());
        for (int i = 0; i < n; i++) {
            Path photo = photos.get((int) ((long) i * photos.size() / n));
            out.add(preprocessing(card).apply(DataFolder.luma(files.readArgb(photo))));
        }
        return out;
    }

    /** {@code count} synthetic skin photos (seeded, core synth's default look), preprocessed with {@code card}'s settings. */
    public static List<Plane> synthetic(int count, int size, long seed, ModelCard card) {
        SkinSynthesizer synth = new SkinSynthesizer(SynthConfig.defaults(size, size));
        long[] seeds = new SplittableRandom(seed).longs(count).toArray();
        List<Plane> out = new ArrayList<>();
        for (long s : seeds) {
            SyntheticPhoto photo = synth.generate(s);
            out.add(preprocessing(card).apply(Luma.fromArgb(photo.argb(), photo.width(), photo.height())));
        }
        return out;
    }

    static Preprocessing preprocessing(ModelCard card) {
        return card.preprocessing() == null ? Preprocessing.identity() : card.preprocessing();
    }
}
