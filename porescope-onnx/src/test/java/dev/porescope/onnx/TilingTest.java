package dev.porescope.onnx;

import dev.porescope.ort.OnnxModel;
import dev.porescope.core.image.Plane;
import dev.porescope.core.tile.Tiler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ONNX model's margin and size multiple are right: tiled results do not depend on the tile size. */
class TilingTest {

    @TempDir
    Path dir;

    @Test
    void smallTilesOnSeveralThreadsEqualOneBigTile() {
        Path file = dir.resolve("m.onnx");
        OnnxExport.export(TestNets.card(TestNets.tiny()), TestNets.randomWeights(TestNets.tiny(), 5),
                Precision.FP32, List.of(), file);
        Plane image = TestNets.smooth(90, 70, 8);
        try (OnnxModel model = Ort.load(file)) {
            Plane whole = new Tiler(256).predict(model, image);
            Plane tiled = new Tiler(Tiler.minimumTileSize(model) + 8, 3).predict(model, image);
            double d = Ort.maxDiff(whole.values(), tiled.values());
            assertTrue(d < 1e-5, "tiled result differs by " + d);
        }
    }
}
