package dev.porescope.android;

import android.graphics.Bitmap;

import dev.porescope.core.face.FaceZones;
import dev.porescope.core.face.ZoneFigures;
import dev.porescope.core.image.Luma;
import dev.porescope.core.image.Mask;
import dev.porescope.core.image.Plane;
import dev.porescope.core.model.ModelCard;
import dev.porescope.core.model.SegmentationModel;
import dev.porescope.core.overlay.OverlayPixels;
import dev.porescope.core.pipeline.PoreAnalyzer;

/**
 * A loaded PoreScope model on the phone. Everything around the runtime (luma, preprocessing from the
 * model card, exact tiling, thresholding, pore measurements, summary) is porescope-core, the code the
 * server runs. Holds native memory: close it (try-with-resources) when done.
 * Safe to use from one background thread at a time; never call it on the UI thread.
 */
public final class PoreModel implements AutoCloseable {
    private final SegmentationModel model;
    private final PoreAnalyzer analyzer;
    private final String source;
    private volatile boolean closed;

    PoreModel(SegmentationModel model, String source) {
        this.model = model;
        this.analyzer = new PoreAnalyzer(model);
        this.source = source;
    }

    /** What the model file says about itself: spec, preprocessing, threshold, precision, provenance. */
    public ModelCard card() { return model.card(); }

    /** The runtime behind this model (the seam shared with the server). */
    public SegmentationModel segmentationModel() { return model; }

    /** The pores of a whole photo, in pixels. */
    public PoreReport analyze(Bitmap photo) {
        return analyze(photo, null, 0);
    }

    /**
     * The pores of a photo.
     *
     * @param photo       an ARGB_8888 Bitmap (see {@link Bitmaps#toArgb8888})
     * @param roi         region of interest of the photo's size, white inside; null = the whole photo
     * @param pixelSizeUm side of one pixel in micrometres for areas in um^2 and pores per cm^2;
     *                    0 = unknown (everything in pixels)
     */
    public PoreReport analyze(Bitmap photo, Bitmap roi, double pixelSizeUm) {
        checkOpen();
        Double pixelSize = pixelSize(pixelSizeUm);
        int[] argb = Bitmaps.argb(photo, "photo");
        int w = photo.getWidth();
        int h = photo.getHeight();
        Mask roiMask = roi == null ? null : Bitmaps.roi(roi, w, h);
        return analyze(Luma.fromArgb(argb, w, h), roiMask, pixelSize);
    }

    /**
     * The pores of a face photo per face zone, as the command line's {@code analyze} (its default
     * {@code --zones auto}) finds them: core's {@link FaceZones} finds the skin and a frontal face in the
     * Bitmap, pores are searched only there, and counted per zone (forehead, nose, cheeks, chin; or the
     * whole skin when no face is in view, see {@link PoreReport#zones()}).
     *
     * @param pixelSizeUm side of one pixel in micrometres; 0 = unknown
     * @throws IllegalArgumentException when the photo shows no skin, several faces, or a face too
     *                                  small to resolve pores (the message says which)
     */
    public PoreReport analyzeZones(Bitmap photo, double pixelSizeUm) {
        checkOpen();
        Double pixelSize = pixelSize(pixelSizeUm);
        int[] argb = Bitmaps.argb(photo, "photo");
        int w = photo.getWidth();
        int h = photo.getHeight();
        FaceZones zones = FaceZones.find(argb, w, h);
        if (!zones.usable()) {
            throw new IllegalArgumentException("cannot count pores in this photo: " + zones.note());
        }
        PoreAnalyzer.Analysis analysis = analyzer.withPixelSizeUm(pixelSize).analyze(Luma.fromArgb(argb, w, h), zones.analysed());
        return new PoreReport(model.card().name(), analysis, zones, ZoneFigures.of(analysis.pores(), zones, pixelSize));
    }

    /**
     * The same analysis on a luma plane (what {@link #analyze(Bitmap, Bitmap, double)} runs after
     * converting the Bitmaps): core's {@link PoreAnalyzer}, the path every runtime shares.
     *
     * @param roi         null = the whole photo
     * @param pixelSizeUm null = pixels only
     */
    public PoreReport analyze(Plane luma, Mask roi, Double pixelSizeUm) {
        checkOpen();
        PoreAnalyzer.Analysis analysis = analyzer.withPixelSizeUm(pixelSizeUm).analyze(luma, roi);
        return new PoreReport(model.card().name(), analysis);
    }

    /**
     * The photo with every pore of {@code report} outlined, coloured by size, and its face zones
     * outlined: core's {@link OverlayPixels}, the pixels the command line's overlay has.
     */
    public Bitmap overlay(Bitmap photo, PoreReport report) {
        int[] argb = Bitmaps.argb(photo, "photo");
        if (photo.getWidth() != report.width() || photo.getHeight() != report.height()) {
            throw new IllegalArgumentException("the photo is " + photo.getWidth() + "x" + photo.getHeight()
                    + " but the report is for a " + report.width() + "x" + report.height() + " photo");
        }
        int[] drawn = OverlayPixels.pores(argb, report.poreMask(), report.pores());
        if (report.zones() != null) {
            OverlayPixels.zoneOutlines(drawn, report.zones(), OverlayPixels.outlineThickness(report.width(), report.height()));
        }
        return Bitmaps.fromArgb(drawn, report.width(), report.height());
    }

    /**
     * Runs the golden tiles stored in the model file and compares this device's output with the
     * server's. Never throws for a mismatch; use {@link SelfTestResult#orThrow()} to make it fatal.
     */
    public SelfTestResult selfTest() {
        checkOpen();
        return SelfTest.run(model);
    }

    /** Where the model came from (file path or asset name). */
    public String source() { return source; }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            model.close();
        }
    }

    /** The pixel size for core (null = unknown), or why it is not one. */
    private static Double pixelSize(double pixelSizeUm) {
        if (!(pixelSizeUm >= 0) || Double.isInfinite(pixelSizeUm)) {
            throw new IllegalArgumentException("pixel size must be a positive number of micrometres, or 0 when unknown; got "
                    + pixelSizeUm);
        }
        return pixelSizeUm > 0 ? pixelSizeUm : null;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("PoreModel " + source + " was closed");
        }
    }

    @Override
    public String toString() {
        ModelCard card = model.card();
        return "PoreModel[" + card.name() + ", " + card.runtime() + " " + card.precision() + ", " + source + "]";
    }
}
