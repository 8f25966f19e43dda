package dev.porescope.core.pores;

import dev.porescope.core.image.Mask;

import java.util.List;

/**
 * Pores found in one photo.
 *
 * @param poreMask pixels of the kept pores only (inside the ROI, within the size limits)
 * @param pores    the kept pores, numbered 1.. in raster order
 */
public record PoreResult(Mask poreMask, List<Pore> pores) {
    public PoreResult {
        pores = List.copyOf(pores);
    }
}
