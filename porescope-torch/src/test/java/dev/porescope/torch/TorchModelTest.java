package dev.porescope.torch;

import dev.porescope.core.image.Plane;
import dev.porescope.core.tile.Tiler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.*;

class TorchModelTest {

    static Path savedModel(Path dir) {
        Path f = dir.resolve("m.pt");
        try (UNetModule m = UNetModule.create(UNetModuleTest.TINY, 21)) {
            m.save(f, UNetModuleTest.card(UNetModuleTest.TINY));
        }
        return f;
    }

    @Test
    void tilingGivesTheSameProbabilitiesForTwoTileSizes(@TempDir Path dir) {
        Plane photo = new Plane(150, 110, UNetModuleTest.ramp(150 * 110, 3));
        try (TorchModel model = TorchModel.load(savedModel(dir))) {
            Plane small = new Tiler(Tiler.minimumTileSize(model) + 8).predict(model, photo);
            Plane large = new Tiler(256).predict(model, photo);
            assertEquals(150, small.width());
            assertEquals(110, small.height());
            float[] a = small.values();
            float[] b = large.values();
            for (int i = 0; i < a.length; i++) {
                assertEquals(a[i], b[i], 1e-5, "pixel " + i);
            }
        }
    }

    @Test
    void predictIsSafeFromSeveralThreads(@TempDir Path dir) throws Exception {
        Plane tile = new Plane(64, 48, UNetModuleTest.ramp(64 * 48, 8));
        try (TorchModel model = TorchModel.load(savedModel(dir))) {
            Plane expected = model.predict(tile);
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                List<Future<Plane>> results = new ArrayList<>();
                for (int i = 0; i < 6; i++) results.add(pool.submit(() -> model.predict(tile)));
                for (Future<Plane> f : results) assertEquals(expected, f.get());
            } finally {
                pool.shutdown();
            }
        }
    }

    @Test
    void weightsAreNamedLikeTheSpecAndMatchTheFile(@TempDir Path dir) {
        Path f = savedModel(dir);
        try (TorchModel model = TorchModel.load(f); UNetModule original = UNetModule.load(f)) {
            var weights = model.weights();
            assertEquals(UNetModuleTest.TINY.parameters().stream().map(p -> p.name()).toList(), List.copyOf(weights.keySet()));
            for (var p : UNetModuleTest.TINY.parameters()) {
                assertEquals(p.numel(), weights.get(p.name()).length);
                assertArrayEquals(original.weights().get(p.name()), weights.get(p.name()));
            }
            assertEquals(UNetModuleTest.TINY.margin(), model.margin());
            assertEquals(UNetModuleTest.TINY.sizeMultiple(), model.sizeMultiple());
            assertEquals("test-tiny", model.card().name());
        }
    }
}
