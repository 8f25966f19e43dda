package dev.porescope.torch.train;

import dev.porescope.core.data.LabelledImage;
import dev.porescope.core.unet.UNetSpec;
import dev.porescope.torch.TestImages;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
