package dev.porescope.onnx;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The QDQ arithmetic against scales, codes and zero points worked out by hand. */
class QuantizationTest {

    @Test
    void perChannelScalesAreEachChannelsLargestMagnitudeOver127() {
        // weight [3 out, 4 in]: channel 0 peaks at |-1.27|, channel 1 at 0.254, channel 2 is all zero
        float[] w = {0.5f, -1.27f, 0.2f, 0.0f,
                     0.254f, 0.1f, -0.0635f, 0.0f,
                     0f, 0f, 0f, 0f};
        Quantization.PerChannelInt8 q = Quantization.PerChannelInt8.of(w, 3);
        assertArrayEquals(new float[]{0.01f, 0.002f, Quantization.ZERO_CHANNEL_SCALE}, q.scales(), 1e-9f);
        // 0.5 / 0.01 = 50, -1.27 / 0.01 = -127, 0.2 / 0.01 = 20; 0.254 / 0.002 = 127, 0.1 / 0.002 = 50,
        // -0.0635 / 0.002 = -31.75 -> -32
        assertArrayEquals(new byte[]{50, -127, 20, 0, 127, 50, -32, 0, 0, 0, 0, 0}, q.values());
        // a per-tensor scale (1.27 / 127) would have put channel 1 on 25, 10, -6: the per-channel
        // codes keep it within half of its own step
        float[] back = q.dequantized();
        for (int i = 0; i < w.length; i++) {
            float step = q.scales()[i / 4];
            assertEquals(w[i], back[i], step / 2 + 1e-7f, "weight " + i);
        }
    }

    @Test
    void int32BiasIsAtInputScaleTimesWeightScale() {
        float[] scales = Quantization.biasScales(0.1f, new float[]{0.01f, 0.002f});
        assertArrayEquals(new float[]{0.001f, 0.0002f}, scales, 1e-9f);
        // 0.0123 / 0.001 = 12.3 -> 12; -0.00104 / 0.0002 = -5.2 -> -5; 3 / 0.0002 = 15000
        assertArrayEquals(new int[]{12, -5}, Quantization.int32Bias(new float[]{0.0123f, -0.00104f}, scales));
        assertArrayEquals(new int[]{3000, 15000}, Quantization.int32Bias(new float[]{3f, 3f}, scales));
    }

    @Test
    void biasCorrectionTakesBackTheMeanShiftOfTheInt8Weights() {
        // weight [1 out, 2 in, 2 taps] = {0.3, -0.1 | 0.05, 0.2}: scale 0.3 / 127, codes 127, -42, 21, 85
        // (-42.33, 21.17 and 84.67 rounded); code * scale - weight = 0, +0.1/127, -0.05/127, +0.1/127,
        // so input 0's taps err by +0.1/127 together and input 1's by +0.05/127. With input means 2 and
        // -1 the output's mean moves by 2 * 0.1/127 - 0.05/127 = 0.15/127, which the bias gives back.
        float[] w = {0.3f, -0.1f, 0.05f, 0.2f};
        Quantization.PerChannelInt8 q = Quantization.PerChannelInt8.of(w, 1);
        assertArrayEquals(new byte[]{127, -42, 21, 85}, q.values());
        float[] corrected = Quantization.correctedBias(new float[]{0.5f}, w, q, new double[]{2.0, -1.0});
        assertEquals(0.5 - 0.15 / 127, corrected[0], 1e-7);
        // inputs of mean 0 move nothing
        assertEquals(0.5f, Quantization.correctedBias(new float[]{0.5f}, w, q, new double[]{0, 0})[0]);
    }

    @Test
    void uint8ActivationsCoverTheRangeAndZeroExactly() {
        // [-1, 3]: scale 4 / 255, zero point round(1 / (4 / 255)) = round(63.75) = 64
        Quantization.Uint8 q = Quantization.Uint8.covering(-1f, 3f);
        assertEquals(4f / 255, q.scale(), 1e-9f);
        assertEquals(64, q.zeroPoint());
        assertEquals(64, q.quantize(0f));
        assertEquals(0f, q.dequantize(q.quantize(0f)));
        assertEquals(255, q.quantize(3f));       // 3 / (4/255) = 191.25 -> 191, + 64
        assertEquals(255, q.quantize(10f));      // saturates
        assertEquals(0, q.quantize(-2f));        // -127.5 + 64 saturates at 0
        assertEquals(1f, q.dequantize(q.quantize(1f)), q.scale() / 2);
        // a range above 0 is widened down to 0: zero point 0, scale 2 / 255
        Quantization.Uint8 relu = Quantization.Uint8.covering(0.5f, 2f);
        assertEquals(0, relu.zeroPoint());
        assertEquals(2f / 255, relu.scale(), 1e-9f);
    }

    @Test
    void weightsThatDoNotSplitIntoChannelsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Quantization.symmetricScales(new float[5], 2));
    }
}
