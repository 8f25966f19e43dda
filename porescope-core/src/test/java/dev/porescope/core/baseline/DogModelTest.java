package dev.porescope.core.baseline;

import dev.porescope.core.data.LabelledImage;
import dev.porescope.core.eval.EvalResult;
import dev.porescope.core.eval.Evaluator;
import dev.porescope.core.image.Plane;
import dev.porescope.core.json.Json;
import dev.porescope.core.model.ModelCard;
import dev.porescope.core.preprocess.Preprocessing;
import dev.porescope.core.testing.Blobs;
import dev.porescope.core.testing.RealData;
import dev.porescope.core.tile.Tiler;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class DogModelTest {

    @Test
    void probabilityIsOneHalfAtTheOffsetAndHighOnDarkBlobs() {
        DogModel m = new DogModel(1.5, 3, 0.1, 0.02, Preprocessing.standard(), 1, Map.of());
        Plane flat = new Plane(20, 20);
        // flat input: response 0, probability of 0 against offset 0.1
        double expected = 1 / (1 + Math.exp(0.1 / 0.02));
        assertEquals(expected, m.predict(flat).get(10, 10), 1e-6);
        Plane dot = new Plane(21, 21);
        dot.set(10, 10, -5);
        Plane p = m.predict(dot);
        assertTrue(p.get(10, 10) > 0.99, "dark dot centre " + p.get(10, 10));
        assertTrue(p.get(0, 0) < 0.01);
        assertEquals(9, m.margin()); // kernel radius ceil(3 * 3)
    }

    @Test
    void tilingIsExactForTheDog() {
        DogModel m = DogModel.defaults();
        Plane input = Preprocessing.standard().apply(Blobs.image("b", 90, 70, 20, 2.5, 0.05, 1).luma());
        Plane whole = m.predict(input); // same mirror borders as the tiler's padding
        for (int tile : new int[]{19, 32, 50, 100_000}) {
            Plane tiled = new Tiler(tile, 2).predict(m, input);
            for (int i = 0; i < whole.values().length; i++) {
                assertEquals(whole.values()[i], tiled.values()[i], 1e-6, "tile " + tile);
            }
        }
    }

    @Test
    void cardRoundTripsThroughJson() {
        DogModel m = DogModel.defaults();
        ModelCard card = Json.readCard(Json.writeCard(m.card()));
        assertEquals(m.card(), card);
        DogModel back = DogModel.fromCard(card);
        assertEquals(m.toString(), back.toString());
        Plane input = Blobs.image("b", 30, 30, 3, 2, 0.05, 2).luma();
        assertEquals(m.predict(input), back.predict(input));
        assertThrows(IllegalArgumentException.class, () -> DogModel.fromCard(card.withRuntime("onnx", "fp32")));
        assertThrows(IllegalArgumentException.class, () -> new DogModel(3, 1.5, 0, 1, Preprocessing.standard(), 1, Map.of()));
    }

    @Test
    void fitFindsBlobsOnSyntheticImages() {
        List<LabelledImage> images = List.of(
                Blobs.image("a", 120, 100, 25, 2.5, 0.08, 11),
                Blobs.image("b", 100, 120, 25, 2.5, 0.08, 12));
        DogModel m = DogFit.fit(images);
        EvalResult r = Evaluator.evaluate(m, images, i -> { });
        assertEquals(m.card().validation().get("dice"), r.pixel().dice(), 1e-9, "fit and evaluator agree");
        assertEquals(m.card().validation().get("pore_f1"), r.pores().f1(), 1e-9);
        assertTrue(r.pixel().dice() > 0.7, "dice " + r.pixel().dice());
        assertTrue(r.pores().f1() > 0.9, "pore f1 " + r.pores().f1());
    }

    /** Reference on the real photo: a DoG tuned there reaches pixel Dice 0.505, pore F1 0.683. */
    @Test
    void fitOnRealLeftReachesTheReference() throws Exception {
        Path folder = RealData.folderOrSkip();
        List<LabelledImage> images = RealData.load(folder);
        DogModel m = DogFit.fit(images);
        EvalResult r = Evaluator.evaluate(m, images, i -> { });
        System.out.println("DoG fitted on real-left: " + m + " -> " + r.pixel() + " | " + r.pores());
        assertTrue(r.pixel().dice() >= 0.45, "dice " + r.pixel().dice());
        assertTrue(r.pores().f1() >= 0.60, "pore f1 " + r.pores().f1());
        EvalResult defaults = Evaluator.evaluate(DogModel.defaults(), images, i -> { });
        System.out.println("DoG defaults on real-left: " + DogModel.defaults() + " -> " + defaults.pixel() + " | " + defaults.pores());
        assertTrue(defaults.pixel().dice() >= 0.45 && defaults.pores().f1() >= 0.60);
    }
}
