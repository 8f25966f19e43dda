package dev.porescope.cli.analyze;

import com.fasterxml.jackson.databind.JsonNode;
import dev.porescope.core.face.FaceLandmarks;
import dev.porescope.core.face.FaceZones;
import dev.porescope.core.face.Zone;
import dev.porescope.core.face.ZoneFigures;
import dev.porescope.core.json.Json;
import dev.porescope.core.model.ModelCard;
import dev.porescope.core.pipeline.PoreAnalyzer;
import dev.porescope.core.pores.Pore;
import dev.porescope.core.pores.PoreSummary;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code --json} report of one photo: what was analysed, with which model and preprocessing,
 * the summary, timings per stage, and every pore (measurements in pixels, as in {@link Pore}).
 */
public final class AnalysisJson {
    private AnalysisJson() { }

    public static Map<String, Object> report(Path photo, int width, int height, PhotoAnalysis.Settings settings,
                                             PoreSummary summary, List<Pore> pores, Map<String, Double> timingsMs) {
        return report(photo, width, height, settings, summary, pores, timingsMs, null, List.of());
    }

    /**
     * With the zones: {@code zone_finder} (status, note, eye landmarks), {@code zones_legend} (zone name
     * to its value in the {@code --zones-mask} PNG; 0 = not analysed) and {@code zones} (per zone: name,
     * label, pixels, pores, density, areas, pore fraction, score).
     */
    public static Map<String, Object> report(Path photo, int width, int height, PhotoAnalysis.Settings settings,
                                             PoreSummary summary, List<Pore> pores, Map<String, Double> timingsMs,
                                             FaceZones zones, List<ZoneFigures> zoneFigures) {
        PoreAnalyzer analyzer = settings.analyzer();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("photo", photo.toString());
        r.put("width", width);
        r.put("height", height);
        r.put("roi", settings.roiFile() == null ? null : settings.roiFile().toString());
        r.put("pixel_size_um", settings.pixelSizeUm());
        r.put("model", settings.modelName());
        r.put("model_card", card(analyzer.card()));
        r.put("preprocessing", analyzer.preprocessing());
        r.put("preprocessing_overrides", settings.preprocessingOverrides());
        r.put("threshold", analyzer.card().threshold());
        r.put("min_area_px", analyzer.extractor().minArea());
        r.put("tile_size", analyzer.tileSizeFor(width, height));
        r.put("threads", analyzer.threads());
        r.put("summary", summary);
        if (zones != null) {
            Map<String, Object> finder = new LinkedHashMap<>();
            finder.put("status", zones.status().name().toLowerCase(java.util.Locale.ROOT));
            finder.put("by", zones.finder());
            finder.put("note", zones.note());
            finder.put("landmarks", zones.landmarks());
            r.put("zone_finder", finder);
            Map<String, Integer> legend = new LinkedHashMap<>();
            legend.put("not_analysed", 0);
            for (Zone z : Zone.values()) legend.put(z.id(), z.label());
            r.put("zones_legend", legend);
            List<Map<String, Object>> rows = new java.util.ArrayList<>();
            Map<Zone, FaceLandmarks.Point> anchors = zones.anchors();
            for (ZoneFigures f : zoneFigures) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("name", f.name());
                row.put("label", f.label());
                row.put("pixels", f.summary().roiPixels());
                row.put("pores", f.summary().count());
                row.put("pores_per_100x100_px", f.summary().per100x100());
                row.put("pores_per_cm2", f.summary().perCm2());
                row.put("mean_area", f.summary().meanArea());
                row.put("median_area", f.summary().medianArea());
                row.put("area_unit", f.summary().areaUnit());
                row.put("pore_fraction", f.summary().poreFraction());
                row.put("pore_score", f.score());
                Zone zone = Zone.ofLabel(f.label());
                FaceLandmarks.Point anchor = zone == null ? null : anchors.get(zone);
                if (anchor != null) { // where the overlay writes the zone's name, photo px
                    Map<String, Object> at = new LinkedHashMap<>();
                    at.put("x", anchor.x());
                    at.put("y", anchor.y());
                    row.put("anchor", at);
                }
                rows.add(row);
            }
            r.put("zones", rows);
        }
        r.put("timings_ms", timingsMs);
        r.put("pore_units", "px");
        r.put("pores", pores);
        return r;
    }

    /** The card without its golden pairs (base64 tiles that only a device check needs). */
    public static JsonNode card(ModelCard card) {
        return Json.mapper().valueToTree(card.withGolden(List.of()));
    }
}
