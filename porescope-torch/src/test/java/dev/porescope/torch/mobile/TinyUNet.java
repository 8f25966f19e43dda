package dev.porescope.torch.mobile;

import dev.porescope.core.model.ModelCard;
import dev.porescope.core.preprocess.Preprocessing;
import dev.porescope.core.unet.UNetSpec;
import dev.porescope.torch.UNetModule;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Test fixture: a small PoreScope U-Net whose BatchNorm scale, shift and running statistics are
 * random (a fresh network has identity BatchNorm, so freezing would fold nothing), saved as a
 * server {@code .pt} with its card.
 */
final class TinyUNet {
    private TinyUNet() { }

    static final UNetSpec SPEC = UNetSpec.family("ptl-test", 4, 8, 16);

    static ModelCard card(UNetSpec spec) {
        return new ModelCard(ModelCard.FORMAT, spec.name(), spec, Preprocessing.standard(), 0.5, 3, "torchscript",
                "fp32", null, 7, 0, Map.of(), Map.of(), List.of(), Map.of());
    }

    /** Writes a random-weight server model of {@code spec} to {@code file}. */
    static void save(UNetSpec spec, long seed, Path file) {
        try (UNetModule m = module(spec, seed)) {
            m.save(file, card(spec));
        }
    }

    static UNetModule module(UNetSpec spec, long seed) {
        UNetModule m = UNetModule.create(spec, seed);
        SplittableRandom r = new SplittableRandom(seed + 1);
        Map<String, float[]> w = new LinkedHashMap<>(m.weights());
        for (UNetSpec.Param p : spec.parameters()) {
            float[] v = w.get(p.name());
            switch (p.role()) {
                case BN_WEIGHT, BN_VAR -> { for (int i = 0; i < v.length; i++) v[i] = (float) (0.5 + r.nextDouble()); }
                case BN_BIAS, BN_MEAN, CONV_BIAS, UP_BIAS -> { for (int i = 0; i < v.length; i++) v[i] = (float) (0.2 * (r.nextDouble() - 0.5)); }
                default -> { }
            }
        }
        m.setWeights(w);
        m.train(false);
        return m;
    }
}
