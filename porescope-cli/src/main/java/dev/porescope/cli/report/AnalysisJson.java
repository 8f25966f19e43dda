package dev.porescope.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.porescope.cli.analyze.PhotoAnalysis;
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
