package dev.porescope.core.pipeline;

import dev.porescope.core.baseline.DogModel;
import dev.porescope.core.data.LabelledImage;
import dev.porescope.core.eval.EvalResult;
import dev.porescope.core.eval.Evaluator;
import dev.porescope.core.image.Mask;
import dev.porescope.core.image.Plane;
import dev.porescope.core.json.Json;
import dev.porescope.core.metrics.PixelMetrics;
import dev.porescope.core.metrics.PoreMetrics;
import dev.porescope.core.model.SegmentationModel;
import dev.porescope.core.pores.Pore;
import dev.porescope.core.pores.PoreExtractor;
import dev.porescope.core.preprocess.Preprocessing;
import dev.porescope.core.testing.Blobs;
import dev.porescope.core.tile.Tiler;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class PoreAnalyzerTest {

    private final DogModel model = new DogModel(1.5, 3, 0.1, 0.02,
            new Preprocessing(0, 0.5, 1, 0, Preprocessing.STANDARDIZE), 3, Map.of());

    @Test
    void analyzeIsPreprocessTileThresholdExtract() {
        LabelledImage image = Blobs.image("a", 150, 110, 20, 2.5, 0.08, 3);
        Mask roi = Mask.full(150, 110);
        for (int y = 0; y < 110; y++) for (int x = 0; x < 40; x++) roi.set(x, y, false);
        PoreAnalyzer analyzer = new PoreAnalyzer(model).withTileSize(40).withThreads(2).withPixelSizeUm(20.0);
        PoreAnalyzer.Analysis a = analyzer.analyze(image.luma(), roi);

        Plane expectedProbability = new Tiler(100_000).predict(model, model.card().preprocessing().apply(image.luma()));
        for (int i = 0; i < expectedProbability.values().length; i++) {
            assertEquals(expectedProbability.values()[i], a.probability().values()[i], 1e-6);
        }
        var expected = new PoreExtractor(0.5, 3).extract(a.probability(), image.luma(), roi);
        assertEquals(expected.poreMask(), a.poreMask());
        assertEquals(expected.pores(), a.pores());
        assertTrue(a.pores().size() >= 10, a.pores().size() + " pores");
        for (Pore p : a.pores()) assertTrue(p.x() >= 40 && p.area() >= 3);
        assertEquals(a.pores().size(), a.summary().count());
        assertEquals("um^2", a.summary().areaUnit());
        assertEquals(a.pores().size() * 10_000.0 / roi.count(), a.summary().per100x100(), 1e-9);
    }

    @Test
    void listenerHearsEachStageOnceInOrderAndEveryTileWithoutChangingTheResult() {
        LabelledImage image = Blobs.image("a", 150, 110, 20, 2.5, 0.08, 3);
        PoreAnalyzer analyzer = new PoreAnalyzer(model).withTileSize(40).withThreads(2);
        List<PoreAnalyzer.Stage> stages = new ArrayList<>();
        java.util.concurrent.atomic.AtomicInteger lastDone = new java.util.concurrent.atomic.AtomicInteger();
        java.util.Set<Integer> totals = java.util.concurrent.ConcurrentHashMap.newKeySet();
        PoreAnalyzer.Analysis heard = analyzer.analyze(image.luma(), null, new PoreAnalyzer.Listener() {
            @Override
            public void stageDone(PoreAnalyzer.Stage stage, long nanos) {
                assertTrue(nanos >= 0);
                stages.add(stage);
            }

            @Override
            public void tilesDone(int done, int total) {
                lastDone.accumulateAndGet(done, Math::max);
                totals.add(total);
            }
        });
        assertEquals(List.of(PoreAnalyzer.Stage.PREPROCESS, PoreAnalyzer.Stage.MODEL, PoreAnalyzer.Stage.PORES), stages);
        // 40 px tiles with the DoG's margin rounded to its size multiple: count the cores by hand
        int pad = Tiler.pad(model);
        int core = 40 / model.sizeMultiple() * model.sizeMultiple() - 2 * pad;
        int expectedTiles = ((150 + core - 1) / core) * ((110 + core - 1) / core);
        assertEquals(java.util.Set.of(expectedTiles), totals);
        assertEquals(expectedTiles, lastDone.get());
        assertEquals(expectedTiles, analyzer.tileCount(150, 110));

        PoreAnalyzer.Analysis quiet = new PoreAnalyzer(model).analyze(image.luma(), null);
        assertArrayEquals(quiet.probability().values(), heard.probability().values());
        assertEquals(quiet.poreMask(), heard.poreMask());
        assertEquals(quiet.pores(), heard.pores());
    }

    @Test
    void extractorAtAThresholdKeepsTheCardsMinimumArea() {
        LabelledImage image = Blobs.image("a", 96, 80, 12, 2.5, 0.08, 6);
        PoreAnalyzer analyzer = new PoreAnalyzer(model);
        Plane probability = analyzer.probability(image.luma());
        for (double t : new double[] {0.3, 0.5, 0.7}) {
            var expected = new PoreExtractor(t, 3).extract(probability, image.luma(), null);
            var swept = analyzer.extractor(t).extract(probability, image.luma(), null);
            assertEquals(expected.poreMask(), swept.poreMask());
            assertEquals(expected.pores(), swept.pores());
        }
        Plane input = analyzer.preprocess(image.luma());
        assertArrayEquals(model.card().preprocessing().apply(image.luma()).values(), input.values());
    }

    /** The DoG with the geometry of the default slim U-Net: 48 px margin, sizes a multiple of 16. */
    private SegmentationModel slimGeometry() {
        return new SegmentationModel() {
            @Override public Plane predict(Plane tile) { return model.predict(tile); }
            @Override public int margin() { return 48; }
            @Override public int sizeMultiple() { return 16; }
            @Override public dev.porescope.core.model.ModelCard card() { return model.card(); }
            @Override public void close() { }
        };
    }

    @Test
    void tileSizeIsChosenFromThePhotoSizeForTheFewestModelPixels() {
        PoreAnalyzer analyzer = new PoreAnalyzer(slimGeometry()).withMaxTileSize(1024);
        // 4000x3000, 48 px borders (by hand): 512 px tiles (416 px cores) make 10x8 tiles, columns of
        // 9x512 + 352 = 4960 px and rows of 7x512 + 192 = 3776 px: 18.7 M pixels. 896 px tiles (800 px
        // cores): 5x4 tiles, 5x896 = 4480 by 3x896 + 704 = 3392: 15.2 M, as 960 and 1024 give; 832
        // gives 4576 x 3392 (more). The smallest of the fewest wins.
        assertEquals(896, analyzer.tileSizeFor(4000, 3000));
        assertEquals(20, analyzer.tileCount(4000, 3000));
        // a photo inside one tile at every size: the smallest
        assertEquals(512, analyzer.tileSizeFor(300, 200));
        assertEquals(1, analyzer.tileCount(300, 200));
        // given explicitly, the tile size stays
        assertEquals(512, analyzer.withTileSize(512).tileSizeFor(4000, 3000));
        assertEquals(80, analyzer.withTileSize(512).tileCount(4000, 3000));
        assertEquals(0, analyzer.tileSize());
        // by default no larger than 512 px (runtime memory)
        assertEquals(512, new PoreAnalyzer(slimGeometry()).tileSizeFor(4000, 3000));
    }

    @Test
    void evaluatorPoolsPerImageCountsAndWritesJson() {
        List<LabelledImage> images = List.of(Blobs.image("a", 80, 60, 10, 2.5, 0.08, 4),
                Blobs.image("b", 64, 64, 8, 2.5, 0.08, 5));
        List<Integer> progress = new ArrayList<>();
        EvalResult r = Evaluator.evaluate(model, images, progress::add);
        assertEquals(List.of(1, 2), progress);
        assertEquals(2, r.perImage().size());
        PixelMetrics pixel = new PixelMetrics();
        PoreMetrics pores = new PoreMetrics();
        for (int k = 0; k < 2; k++) {
            PoreAnalyzer.Analysis a = new PoreAnalyzer(model).analyze(images.get(k).luma(), images.get(k).roi());
            pixel.add(a.poreMask(), images.get(k).label(), images.get(k).roi());
            pores.add(a.poreMask(), images.get(k).label(), images.get(k).roi());
            assertEquals(a.pores().size(), r.perImage().get(k).predictedPores());
        }
        assertEquals(pixel.toString(), r.pixel().toString());
        assertEquals(pores.toString(), r.pores().toString());
        String json = Json.write(r, true);
        assertTrue(json.contains("\"perImage\"") && json.contains("\"f1\""), json);
        EvalResult back = Json.read(json, EvalResult.class);
        assertEquals(r.pixel().dice(), back.pixel().dice());
        assertEquals(r.perImage().get(1).name(), back.perImage().get(1).name());
        assertThrows(IllegalArgumentException.class, () -> Evaluator.evaluate(model, List.of(), i -> { }));
    }
}
