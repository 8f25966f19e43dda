package dev.porescope.core.pores;

/**
 * One pore, measured as ImageJ's "Analyze Particles" measures a particle, in pixels.
 * Coordinates follow ImageJ: pixel (i, j) covers [i, i+1) x [j, j+1), its centre is (i + 0.5, j + 0.5).
 *
 * @param id              1-based number, in raster order of the pore's first pixel
 * @param x               centroid X (ImageJ "X"), px
 * @param y               centroid Y (ImageJ "Y"), px
 * @param area            pixel count (ImageJ "Area"), px^2
 * @param perimeter       length of the traced outer outline, ImageJ's traced-polygon perimeter
 *                        (ImageJ "Perim."), px; see {@link Outline#perimeter}
 * @param circularity     {@code 4 pi area / perimeter^2}, at most 1 (ImageJ "Circ.")
 * @param feret           largest caliper diameter over the pixel squares' corners (ImageJ "Feret"), px
 * @param meanProbability mean pore probability over the pore's pixels
 * @param contrast        relative darkness {@code (ring - pore) / ring} of the mean luma of the pore
 *                        and of a ring of pixels at most {@link PoreExtractor#RING} px (chessboard
 *                        distance) around it that are in no thresholded region; 0 when there is no ring
 * @param bx              bounding box left (ImageJ "BX"), px
 * @param by              bounding box top (ImageJ "BY"), px
 * @param width           bounding box width (ImageJ "Width"), px
 * @param height          bounding box height (ImageJ "Height"), px
 */
public record Pore(int id, double x, double y, int area, double perimeter, double circularity, double feret,
                   double meanProbability, double contrast, int bx, int by, int width, int height) {

    /** Diameter of the disk of the same area, px. */
    public double equivalentDiameter() {
        return Math.sqrt(4 * area / Math.PI);
    }
}
