package dev.porescope.torch;

import dev.porescope.core.data.LabelledImage;
import dev.porescope.core.image.Mask;
import dev.porescope.core.image.Plane;

import java.util.SplittableRandom;

/** Hand-made photos with known pores: dark discs on a noisy bright background. */
public final class TestImages {
    private TestImages() { }

    public static LabelledImage discs(String name, int w, int h, int count, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Plane luma = new Plane(w, h);
        Mask label = new Mask(w, h);
        float[] v = luma.values();
        for (int i = 0; i < v.length; i++) v[i] = (float) (0.65 + 0.03 * r.nextGaussian());
        for (int k = 0; k < count; k++) {
            int cx = r.nextInt(3, w - 3);
            int cy = r.nextInt(3, h - 3);
            double radius = 1.5 + r.nextDouble() * 1.5;
            for (int y = Math.max(0, cy - 4); y < Math.min(h, cy + 5); y++) {
                for (int x = Math.max(0, cx - 4); x < Math.min(w, cx + 5); x++) {
                    if (Math.hypot(x - cx, y - cy) <= radius) {
                        v[y * w + x] -= 0.3f;
                        label.set(x, y, true);
                    }
                }
            }
        }
        return new LabelledImage(name, luma, label, Mask.full(w, h));
    }
}
