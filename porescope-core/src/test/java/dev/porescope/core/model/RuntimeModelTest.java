package dev.porescope.core.model;

import dev.porescope.core.baseline.DogModel;
import dev.porescope.core.image.Plane;
import dev.porescope.core.preprocess.Preprocessing;
import dev.porescope.core.unet.UNetSpec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one runtime contract: geometry from the spec, tile and output checks, the pore channel, usage-counted close. */
class RuntimeModelTest {

    /** Three levels: tiles must be multiples of 2^(3-1) = 4. */
    private static final UNetSpec SPEC = UNetSpec.family("t3", 4, 8, 16);

    private static ModelCard card(UNetSpec spec) {
        return new ModelCard(ModelCard.FORMAT, "test", spec, Preprocessing.standard(), 0.5, 1, ModelCard.RUNTIME_ONNX,
                ModelCard.FP32, null, 1, 0, Map.of(), Map.of(), List.of(), Map.of());
    }

    /** A runtime computing {@code f}, counting releases. */
    private static final class Fake extends RuntimeModel {
        final UnaryOperator<Plane> f;
        final AtomicInteger releases = new AtomicInteger();

        Fake(ModelCard card, UnaryOperator<Plane> f) {
            super(card, "fake.onnx");
            this.f = f;
        }

        @Override protected Plane run(Plane tile) { return f.apply(tile); }

        @Override protected void release() { releases.incrementAndGet(); }
    }

    @Test
    void geometryComesFromTheSpec() {
        Fake m = new Fake(card(SPEC), t -> t);
        assertEquals(4, m.sizeMultiple());
        assertEquals(SPEC.margin(), m.margin());
        assertEquals("fake.onnx", m.source());
        assertThrows(IllegalArgumentException.class, () -> new Fake(card(null), t -> t));
    }

    @Test
    void tilesThatAreNoMultipleAndOutputsOfAnotherSizeAreRefused() {
        Fake m = new Fake(card(SPEC), t -> t);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.predict(new Plane(6, 8)));
        assertTrue(e.getMessage().contains("6x8 is not a multiple of 4") && e.getMessage().contains("t3 (fake.onnx)"), e.getMessage());
        Fake shrinking = new Fake(card(SPEC), t -> new Plane(t.width() / 2, t.height()));
        IllegalStateException s = assertThrows(IllegalStateException.class, () -> shrinking.predict(new Plane(8, 8)));
        assertTrue(s.getMessage().contains("returned 4x8 for a 8x8 tile"), s.getMessage());
    }

    @Test
    void closeWaitsForARunningPredictionThenReleasesOnceAndRefusesNewOnes() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        Fake m = new Fake(card(SPEC), t -> {
            running.countDown();
            try {
                finish.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return t;
        });
        Thread predicting = new Thread(() -> m.predict(new Plane(4, 4)));
        predicting.start();
        assertTrue(running.await(10, TimeUnit.SECONDS));
        Thread closing = new Thread(m::close);
        closing.start();
        closing.join(300);
        assertTrue(closing.isAlive(), "close returned while a prediction was running");
        assertEquals(0, m.releases.get());
        finish.countDown();
        closing.join(10_000);
        predicting.join(10_000);
        assertFalse(closing.isAlive());
        assertEquals(1, m.releases.get());
        m.close();
        assertEquals(1, m.releases.get(), "released once");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.predict(new Plane(4, 4)));
        assertEquals("fake.onnx: model is closed", e.getMessage());
    }

    @Test
    void theDogBaselineKeepsTheContractWithItsOwnGeometry() {
        DogModel dog = DogModel.defaults();
        assertEquals(1, dog.sizeMultiple());
        // the wider blur (sigma 3) is truncated at 3 sigma: 9 px
        assertEquals(9, dog.margin());
        assertEquals(6 * 5, dog.predict(new Plane(6, 5)).values().length);
        dog.close();
        assertThrows(IllegalStateException.class, () -> dog.predict(new Plane(6, 5)));
    }

    // ---- the pore channel of a runtime's output -------------------------------------------------

    @Test
    void takesThePoreChannelOfASoftmaxOutput() {
        // [1, 2, 1, 3]: background then pore
        float[] data = {0.9f, 0.8f, 0.3f, 0.1f, 0.2f, 0.7f};
        assertArrayEquals(new float[] {0.1f, 0.2f, 0.7f}, RuntimeModel.poreChannel(data, new long[] {1, 2, 1, 3}, 3, 1).values(), 0);
    }

    @Test
    void takesTheOnlyChannelOfASingleChannelOutput() {
        float[] data = {0.1f, 0.2f, 0.7f, 0.4f};
        assertArrayEquals(data, RuntimeModel.poreChannel(data, new long[] {1, 1, 2, 2}, 2, 2).values(), 0);
        assertArrayEquals(data, RuntimeModel.poreChannel(data, new long[] {1, 2, 2}, 2, 2).values(), 0);
    }

    @Test
    void refusesAnOutputOfAnotherSize() {
        assertThrows(IllegalStateException.class, () -> RuntimeModel.poreChannel(new float[8], new long[] {1, 2, 2, 2}, 4, 4));
        assertThrows(IllegalStateException.class, () -> RuntimeModel.poreChannel(new float[10], new long[] {1, 10}, 10, 1));
    }
}
