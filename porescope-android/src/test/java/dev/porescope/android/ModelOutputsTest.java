package dev.porescope.android;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertThrows;

import org.junit.Test;

public class ModelOutputsTest {
    @Test
    public void takesThePoreChannelOfASoftmaxOutput() {
        // [1, 2, 1, 3]: background then pore
        float[] data = {0.9f, 0.8f, 0.3f, 0.1f, 0.2f, 0.7f};
        assertArrayEquals(new float[] {0.1f, 0.2f, 0.7f},
                ModelOutputs.poreProbability(data, new long[] {1, 2, 1, 3}, 3, 1).values(), 0);
    }

    @Test
    public void takesTheOnlyChannelOfASingleChannelOutput() {
        float[] data = {0.1f, 0.2f, 0.7f, 0.4f};
        assertArrayEquals(data, ModelOutputs.poreProbability(data, new long[] {1, 1, 2, 2}, 2, 2).values(), 0);
        assertArrayEquals(data, ModelOutputs.poreProbability(data, new long[] {1, 2, 2}, 2, 2).values(), 0);
    }

    @Test
    public void refusesAnOutputOfAnotherSize() {
        assertThrows(IllegalStateException.class,
                () -> ModelOutputs.poreProbability(new float[8], new long[] {1, 2, 2, 2}, 4, 4));
        assertThrows(IllegalStateException.class,
                () -> ModelOutputs.poreProbability(new float[10], new long[] {1, 10}, 10, 1));
    }
}
