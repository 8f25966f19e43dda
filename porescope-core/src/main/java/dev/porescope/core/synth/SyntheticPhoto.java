package dev.porescope.core.synth;

import dev.porescope.core.data.LabelledImage;
import dev.porescope.core.image.Mask;
import dev.porescope.core.image.Plane;

/**
 * A synthetic skin photo and its exact pore label. (Being a record over an array, two photos are
 * {@code equals} only when they are the same object: compare {@code argb()} with {@code Arrays.equals}.)
 *
 * @param name   a name for files, e.g. {@code synth-000042}
 * @param width  width in px
 * @param height height in px
 * @param argb   pixels, row-major, 0xAARRGGBB with alpha 255 (as Android's {@code Bitmap.getPixels})
 * @param pores  the pore label: where a pore darkens the skin by more than half its depth
 */
public record SyntheticPhoto(String name, int width, int height, int[] argb, Mask pores) {
    public SyntheticPhoto {
        if (argb.length != (long) width * height || pores.width() != width || pores.height() != height) {
            throw new IllegalArgumentException("synthetic photo " + name + ": pixels and mask do not match " + width + "x" + height);
        }
    }

    /** BT.601 luma in [0, 1]. */
    public Plane luma() {
        return dev.porescope.core.image.Luma.fromArgb(argb, width, height);
    }

    /** As labelled data (the whole photo is labelled, so the ROI is full). */
    public LabelledImage toLabelledImage() {
        return new LabelledImage(name, luma(), pores, Mask.full(width, height));
    }
}
