package dev.porescope.android;

import dev.porescope.core.image.Plane;

import java.util.Arrays;

/** Turns a runtime's output tensor into the pore probability plane, the same way for every runtime. */
final class ModelOutputs {
    private ModelOutputs() { }

    /**
     * The pore probability of a {@code [1, C, h, w]} (or {@code [1, h, w]}) output: the only channel when
     * C = 1, otherwise channel 1 (the U-Net's softmax classes are background, pore).
     */
    static Plane poreProbability(float[] data, long[] shape, int width, int height) {
        int channels;
        if (shape.length == 4 && shape[0] == 1 && shape[2] == height && shape[3] == width) {
            channels = (int) shape[1];
        } else if (shape.length == 3 && shape[0] == 1 && shape[1] == height && shape[2] == width) {
            channels = 1;
        } else {
            throw new IllegalStateException("model output has shape " + Arrays.toString(shape) + ", expected [1, C, "
                    + height + ", " + width + "] for a " + width + "x" + height + " tile: this file is not a PoreScope segmentation model");
        }
        int plane = width * height;
        if (channels < 1 || data.length != (long) channels * plane) {
            throw new IllegalStateException("model output of shape " + Arrays.toString(shape) + " holds " + data.length + " values");
        }
        int pore = channels == 1 ? 0 : 1;
        return new Plane(width, height, Arrays.copyOfRange(data, pore * plane, (pore + 1) * plane));
    }
}
