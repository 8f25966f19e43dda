package dev.porescope.torch.train;

import dev.porescope.core.data.LabelledImage;
import dev.porescope.core.synth.SkinSynthesizer;
import dev.porescope.core.synth.SynthConfig;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/** Synthetic labelled skin photos for training and validation, made in memory, deterministic by seed. */
public final class SyntheticPhotos {
    /** Side of each synthetic photo (px). */
    public static final int SIZE = 256;

    private SyntheticPhotos() { }

    /**
     * {@code count} photos with randomised skin, pores, distractors, light, blur and noise.
     * {@code stream} separates independent sets (0 = training, 1 = validation) of one seed.
     */
    public static List<LabelledImage> generate(int count, long seed, int stream) {
        return IntStream.range(0, count).parallel().mapToObj(i -> {
            long photoSeed = PatchSampler.mix(seed, 1_000_003L * (stream + 1), i);
            SynthConfig config = SynthConfig.randomized(new SplittableRandom(photoSeed), SIZE, SIZE);
            String name = (stream == 0 ? "synthetic-" : "synthetic-val-") + i;
            return new SkinSynthesizer(config).generate(name, photoSeed).toLabelledImage();
        }).toList();
    }
}
