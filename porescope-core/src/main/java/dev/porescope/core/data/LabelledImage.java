package dev.porescope.core.data;

import dev.porescope.core.image.Mask;
import dev.porescope.core.image.Plane;

/**
 * A photo (as luma) with its pore label and region of interest, all of one size.
 *
 * @param name  file name without extension (or a synthetic name)
 * @param luma  BT.601 luma in [0, 1]
 * @param label pore label (true = pore)
 * @param roi   where the label is valid; {@link Mask#full} when the data has no ROI
 */
public record LabelledImage(String name, Plane luma, Mask label, Mask roi) {
    public LabelledImage {
        if (label.width() != luma.width() || label.height() != luma.height()
                || roi.width() != luma.width() || roi.height() != luma.height()) {
            throw new IllegalArgumentException(name + ": photo is " + luma.width() + "x" + luma.height()
                    + " but its mask is " + label.width() + "x" + label.height()
                    + " and its ROI " + roi.width() + "x" + roi.height() + "; all three must have the same size");
        }
    }
}
