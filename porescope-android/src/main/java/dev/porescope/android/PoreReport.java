package dev.porescope.android;

import dev.porescope.core.face.FaceZones;
import dev.porescope.core.face.ZoneFigures;
import dev.porescope.core.image.Mask;
import dev.porescope.core.image.Plane;
import dev.porescope.core.pipeline.PoreAnalyzer;
import dev.porescope.core.pores.Pore;
import dev.porescope.core.pores.PoreSummary;

import java.util.List;

/**
 * The pores of one photo, as the command line's {@code porescope analyze} reports them: core's
 * {@link PoreSummary} (count, density, area statistics and histogram) and the per-pore list with
 * ImageJ "Analyze Particles" measurements ({@link Pore}, in pixels), plus the pore mask and the
 * probability map they came from.
 */
public final class PoreReport {
    private final String modelName;
    private final PoreAnalyzer.Analysis analysis;

    private final FaceZones zones;
    private final List<ZoneFigures> zoneFigures;

    PoreReport(String modelName, PoreAnalyzer.Analysis analysis) {
        this(modelName, analysis, null, List.of());
    }

    PoreReport(String modelName, PoreAnalyzer.Analysis analysis, FaceZones zones, List<ZoneFigures> zoneFigures) {
        this.modelName = modelName;
        this.analysis = analysis;
        this.zones = zones;
        this.zoneFigures = List.copyOf(zoneFigures);
    }

    /** The skin and face zones the pores were searched in ({@link PoreModel#analyzeZones}); null otherwise. */
    public FaceZones zones() { return zones; }

    /** Pores per zone (count, density, areas, pore fraction, 0-100 score); empty without zones. */
    public List<ZoneFigures> zoneFigures() { return zoneFigures; }

    /** Number of pores found. */
    public int count() { return analysis.summary().count(); }

    /** Pores per 100 x 100 px of the region of interest. */
    public double poresPer100x100Pixels() { return analysis.summary().per100x100(); }

    /** Pores per cm^2 of the region of interest; null when no pixel size was given. */
    public Double poresPerCm2() { return analysis.summary().perCm2(); }

    /** Count, density, area statistics (px^2, or um^2 with a pixel size) and histogram. */
    public PoreSummary summary() { return analysis.summary(); }

    /** The pores, numbered 1.. in raster order; measurements in pixels (ImageJ columns). */
    public List<Pore> pores() { return analysis.pores(); }

    /** Pixels of the kept pores. */
    public Mask poreMask() { return analysis.poreMask(); }

    /** The model's pore probability for every pixel of the photo. */
    public Plane probability() { return analysis.probability(); }

    public int width() { return analysis.poreMask().width(); }
    public int height() { return analysis.poreMask().height(); }

    /** Core's analysis (probability, pore mask, pores, summary), as the server's pipeline returns it. */
    public PoreAnalyzer.Analysis analysis() { return analysis; }

    /** Name of the model that found the pores (from its card). */
    public String modelName() { return modelName; }

    @Override
    public String toString() {
        return "PoreReport[" + width() + "x" + height() + ", " + count() + " pores, model " + modelName + "]";
    }
}
