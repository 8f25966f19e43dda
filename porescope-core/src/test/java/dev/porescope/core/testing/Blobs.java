package dev.porescope.core.testing;

import dev.porescope.core.data.LabelledImage;
import dev.porescope.core.image.Mask;
import dev.porescope.core.image.Plane;

import java.util.Random;

/** Test images: noisy skin-like background with soft dark round blobs whose disks are the label. */
public final class Blobs {
    private Blobs() { }

    public static LabelledImage image(String name, int w, int h, int count, double radius, double darkness, long seed) {
        Random random = new Random(seed);
        Plane luma = new Plane(w, h);
        Mask label = new Mask(w, h);
        float[] v = luma.values();
        for (int i = 0; i < v.length; i++) v[i] = 0.6f + 0.01f * (float) random.nextGaussian();
        for (int b = 0; b < count; b++) {
            double cx = 4 + random.nextDouble() * (w - 8);
            double cy = 4 + random.nextDouble() * (h - 8);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
                    if (d > 3 * radius) continue;
                    v[y * w + x] -= (float) (darkness * Math.exp(-d * d / (2 * radius * radius / 2)));
                    if (d <= radius) label.set(x, y, true);
                }
            }
        }
        return new LabelledImage(name, luma, label, Mask.full(w, h));
    }
}
