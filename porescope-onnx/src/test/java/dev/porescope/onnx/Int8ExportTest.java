package dev.porescope.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.porescope.core.image.Plane;
import dev.porescope.core.model.ModelCard;
import dev.porescope.core.unet.UNetSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An int8 export of a tiny spec with every convolution in int8 ({@code --int8-keep-float none})
 * stays close to the independent float forward pass ({@link ReferenceUNet}), run by ONNX Runtime
 * from the written file: per-channel weights, int32 biases and calibrated activations together.
 */
class Int8ExportTest {

    private static final UNetSpec SPEC = TestNets.tiny();
    private static final Map<String, float[]> WEIGHTS = TestNets.randomWeights(SPEC, 11);

    @Test
    void allInt8TinyModelStaysCloseToFloat(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("all-int8.onnx");
        ModelCard card = OnnxExport.export(TestNets.card(SPEC), WEIGHTS, Precision.INT8,
                List.of(TestNets.smooth(96, 64, 31), TestNets.smooth(64, 64, 32)), "none", out);
        assertEquals("none", card.extra().get(OnnxExport.EXTRA_KEEP_FLOAT));
        assertNotNull(card.extra().get(OnnxExport.EXTRA_BIAS_CORRECTION), "the card says how the biases were corrected");
        Plane x = TestNets.smooth(80, 64, 33);   // not one of the calibration photos
        int plane = x.width() * x.height();
        float[] reference = ReferenceUNet.forward(SPEC, WEIGHTS, x.values(), x.height(), x.width());
        float[] int8 = Ort.run(ModelProto.parseFrom(Files.readAllBytes(out)), x);
        double sum = 0, worst = 0;
        for (int i = plane; i < 2 * plane; i++) {   // the pore channel
            double d = Math.abs(reference[i] - int8[i]);
            sum += d;
            worst = Math.max(worst, d);
        }
        double mean = sum / plane;
        // the random net puts many pixels near 0.5, so its pore mask is no measure here; the
        // probabilities are (a per-tensor or wrongly laid out weight scale moves them by tenths)
        System.out.printf("all-int8 t3 vs float reference: mean |diff| %.4f, max %.4f%n", mean, worst);
        assertTrue(mean < 0.02, "mean |int8 - float| = " + mean);
        assertTrue(worst < 0.35, "max |int8 - float| = " + worst);
    }
}
