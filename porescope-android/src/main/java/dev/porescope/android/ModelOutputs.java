package dev.porescope.android;

import dev.porescope.core.image.Plane;
import dev.porescope.core.model.RuntimeModel;

/** Turns a runtime's output tensor into the pore probability plane: core's {@link RuntimeModel#poreChannel}, as every runtime does. */
final class ModelOutputs {
    private ModelOutputs() { }

    /**
     * The pore probability of a {@code [1, C, h, w]} (or {@code [1, h, w]}) output: the only channel when
     * C = 1, otherwise channel 1 (the U-Net's softmax classes are background, pore).
     */
    static Plane poreProbability(float[] data, long[] shape, int width, int height) {
        return RuntimeModel.poreChannel(data, shape, width, height);
    }
}
