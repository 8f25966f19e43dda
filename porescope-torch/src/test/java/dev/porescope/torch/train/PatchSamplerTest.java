package dev.porescope.torch.train;

import dev.porescope.core.data.LabelledImage;
import dev.porescope.core.image.Plane;
import dev.porescope.core.model.ModelCard;
import dev.porescope.core.model.SegmentationModel;
import dev.porescope.core.pipeline.PoreAnalyzer;
import dev.porescope.core.preprocess.Preprocessing;
import dev.porescope.core.unet.UNetSpec;
import dev.porescope.torch.TestImages;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PatchSamplerTest {

    private static TrainConfig config(double syntheticShare) {
        TrainConfig c = TrainConfig.defaults(UNetSpec.family("t", 4, 8), 10, Path.of("m.pt"));
        return c.withData(4, syntheticShare, true, c.preprocessing());
    }

    private static double realFraction(PatchSampler sampler) {
        SplittableRandom r = new SplittableRandom(5);
        int real = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            if (sampler.pickSource(r).image().name().startsWith("real")) real++;
        }
        return (double) real / n;
    }

    @Test
    void syntheticPhotosGiveTheirShareOfPatchesWhateverTheirNumber() {
        List<LabelledImage> real = List.of(TestImages.discs("real", 96, 96, 10, 1));
        List<LabelledImage> synthetic = List.of(TestImages.discs("s1", 96, 96, 10, 2), TestImages.discs("s2", 96, 96, 10, 3),
                TestImages.discs("s3", 96, 96, 10, 4), TestImages.discs("s4", 96, 96, 10, 5));
        // without the share, sqrt(ROI) weighting would give the real photo 1/5 of the patches
        assertEquals(0.7, realFraction(new PatchSampler(real, synthetic, config(0.3))), 0.015);
        assertEquals(0.2, realFraction(new PatchSampler(real, synthetic, config(0.8))), 0.015);
    }

    @Test
    void onlyOneKindOfPhotoTakesEveryPatch() {
        List<LabelledImage> real = List.of(TestImages.discs("real", 96, 96, 10, 1));
        List<LabelledImage> synthetic = List.of(TestImages.discs("s1", 96, 96, 10, 2));
        assertEquals(1.0, realFraction(new PatchSampler(real, List.of(), config(0.3))), 0.0);
        assertEquals(0.0, realFraction(new PatchSampler(List.of(), synthetic, config(0.3))), 0.0);
    }

    /** A "network" that hands its input back: what PoreAnalyzer feeds a model, read back through the tiler. */
    private static SegmentationModel echo(Preprocessing preprocessing) {
        ModelCard card = new ModelCard(ModelCard.FORMAT, "echo", null, preprocessing, 0.5, 1, "test", "fp32", null, 0, 0,
                java.util.Map.of(), java.util.Map.of(), List.of(), java.util.Map.of());
        return new SegmentationModel() {
            @Override public Plane predict(Plane tile) { return tile.copy(); }
            @Override public int margin() { return 0; }
            @Override public ModelCard card() { return card; }
        };
    }

    @Test
    void withAugmentationOffATrainingPatchIsTheInferenceInputAtTheSamePixels() {
        Preprocessing local = Preprocessing.local(6, 8);
        TrainConfig base = TrainConfig.defaults(UNetSpec.family("t", 4, 8), 10, Path.of("m.pt")).withBatch(6, 16);
        TrainConfig c = base.withData(0, 0, false, local);
        List<LabelledImage> photos = List.of(TestImages.discs("a", 90, 70, 12, 1), TestImages.discs("b", 64, 100, 9, 2));
        PatchSampler sampler = new PatchSampler(photos, List.of(), c);
        PatchSampler.Batch batch = sampler.batch(3);
        int p = batch.patch();
        int checked = 0;
        for (int b = 0; b < batch.size(); b++) {
            String name = sampler.sourceName(batch.origins()[3 * b]);
            LabelledImage photo = photos.stream().filter(i -> i.name().equals(name)).findFirst().orElseThrow();
            // inference: the analyzer's whole path up to the network (card preprocessing, then tiles)
            Plane seen = new PoreAnalyzer(echo(local)).withTileSize(32).probability(photo.luma());
            int left = batch.origins()[3 * b + 1];
            int top = batch.origins()[3 * b + 2];
            assertTrue(left != -1 && top != -1, "an unaugmented patch is cut, not resampled");
            for (int y = 0; y < p; y++) {
                for (int x = 0; x < p; x++) {
                    int sx = left + x;
                    int sy = top + y;
                    if (sx < 0 || sy < 0 || sx >= photo.luma().width() || sy >= photo.luma().height()) continue;
                    assertEquals(seen.get(sx, sy), batch.x()[b * p * p + y * p + x], 0f, "patch " + b + " at " + sx + "," + sy);
                    assertEquals(photo.label().get(sx, sy) ? 1f : 0f, batch.label()[b * p * p + y * p + x]);
                    checked++;
                }
            }
        }
        assertTrue(checked > batch.size() * p * p / 2, "too few pixels inside the photos: " + checked);
    }

    @Test
    void augmentedPatchesStayFiniteAndKeepPoresOnTheirLabels() {
        Preprocessing local = Preprocessing.local(6, 8);
        TrainConfig c = TrainConfig.defaults(UNetSpec.family("t", 4, 8), 10, Path.of("m.pt")).withBatch(8, 16)
                .withData(0, 0, true, local).withScaleJitter(0.4);
        PatchSampler sampler = new PatchSampler(List.of(TestImages.discs("a", 90, 70, 20, 1)), List.of(), c);
        PatchSampler.Batch batch = sampler.batch(1);
        double pore = 0, background = 0;
        int np = 0, nb = 0;
        for (int i = 0; i < batch.x().length; i++) {
            assertTrue(Float.isFinite(batch.x()[i]));
            if (batch.label()[i] > 0) { pore += batch.x()[i]; np++; } else { background += batch.x()[i]; nb++; }
        }
        // the discs are dark: after rotation, flips, scaling and photometric changes, labelled pixels stay darker
        assertTrue(np > 0 && pore / np < background / nb - 0.5, "pore mean " + pore / np + ", background " + background / nb);
    }
}
