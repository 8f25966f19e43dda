package dev.porescope.onnx;

import dev.porescope.ort.OnnxModel;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.porescope.core.image.Plane;
import dev.porescope.core.unet.UNetSpec;
import org.junit.jupiter.api.Test;

import dev.porescope.core.model.ModelCard;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** int8 export with some convolutions kept in float ({@code --int8-keep-float}). */
class MixedPrecisionTest {

    private static final UNetSpec SPEC = TestNets.tiny();
    private static final Map<String, float[]> WEIGHTS = TestNets.randomWeights(SPEC, 11);
    private static final OnnxWriter WRITER = new OnnxWriter(SPEC, WEIGHTS);
    private static final Map<String, Calibration.Range> RANGES =
            Calibration.measure(WRITER, List.of(TestNets.smooth(64, 64, 3)), 1);

    @Test
    void firstAndLastNameTheFirstConvAndTheLastDecoderConvWithTheHead() {
        // the tiny spec's walk, written out by hand: enc0 enc1 enc2 up1 dec1 up0 dec0 head
        assertEquals(Set.of("enc0"), KeepFloat.resolve(SPEC, "first"));
        assertEquals(Set.of("dec0", "head"), KeepFloat.resolve(SPEC, "last"));
        assertEquals(Set.of("enc0", "dec0", "head", "up1"), KeepFloat.resolve(SPEC, " first, last ,up1"));
        assertEquals(Set.of(), KeepFloat.resolve(SPEC, "none"));
        // full resolution (scale 1): enc0, then up0 (it doubles 1/2 to 1/1), dec0 and the head
        assertEquals(List.of("enc0", "up0", "dec0", "head"), List.copyOf(KeepFloat.resolve(SPEC, "full")));
        // two convs per level: both of level 0 on each side, by hand from the odd spec's walk
        assertEquals(List.of("enc0", "enc0_1", "up0", "dec0", "dec0_1", "head"),
                List.copyOf(KeepFloat.resolve(TestNets.odd(), "full")));
        assertEquals(KeepFloat.resolve(SPEC, "full"), KeepFloat.resolve(SPEC, KeepFloat.DEFAULT));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KeepFloat.resolve(SPEC, "first,enc9"));
        assertTrue(e.getMessage().contains("enc9") && e.getMessage().contains("dec0"), e.getMessage());
    }

    @Test
    void keptLayersHaveTheFoldedFloatWeightsAndTheOthersInt8() {
        ModelProto model = WRITER.int8(RANGES, Set.of("enc0", "dec0", "head"));
        GraphProto g = model.getGraph();
        FoldedUNet folded = new FoldedUNet(SPEC, WEIGHTS);
        for (String[] kept : new String[][]{{"enc0", "enc0_pre"}, {"dec0", "dec0_pre"}, {"head", "logits"}}) {
            TensorProto w = initializer(g, kept[1] + "_weight");
            assertEquals(TensorProto.DataType.FLOAT_VALUE, w.getDataType(), kept[0] + " weight type");
            assertArrayEquals(folded.conv(kept[0]).weight(), floats(w), kept[0] + " weight values");
            assertArrayEquals(folded.conv(kept[0]).bias(), floats(initializer(g, kept[1] + "_bias")), kept[0] + " bias");
            assertFalse(hasInitializer(g, kept[1] + "_weight_q"), kept[0] + " has int8 weights");
            // a kept conv reads a float tensor straight from a float op, not from a DequantizeLinear
            NodeProto conv = producer(g, kept[1]);
            assertFalse(producerOp(g, conv.getInput(0)).equals("DequantizeLinear"), kept[0] + " reads a quantized input");
        }
        for (String quantized : new String[]{"enc1_pre", "enc2_pre", "dec1_pre", "up0_conv"}) {
            assertEquals(TensorProto.DataType.INT8_VALUE, initializer(g, quantized + "_weight_q").getDataType());
            assertEquals("DequantizeLinear", producerOp(g, producer(g, quantized).getInput(0)), quantized + " input");
        }
        // the photo goes unquantized into the float first layer: nothing quantizes x
        assertTrue(g.getNodeList().stream().noneMatch(n -> n.getOpType().equals("QuantizeLinear") && n.getInput(0).equals("x")));
    }

    @Test
    void keepingEveryLayerInFloatIsTheFp32Model() throws Exception {
        ModelProto all = WRITER.int8(RANGES, KeepFloat.convLayers(SPEC));
        assertTrue(all.getGraph().getNodeList().stream().noneMatch(n -> n.getOpType().equals("QuantizeLinear")),
                "a quantizer is left although every convolution is float");
        Plane x = TestNets.smooth(48, 32, 5);
        float[] reference = ReferenceUNet.forward(SPEC, WEIGHTS, x.values(), x.height(), x.width());
        double d = Ort.maxDiff(reference, Ort.run(all, x));
        assertTrue(d < 1e-4, "all-float int8 graph differs from the reference by " + d);
    }

    @Test
    void noLayerKeptQuantizesEveryTensorBetweenConvolutionsOnce() {
        long quantizers = WRITER.int8(RANGES).getGraph().getNodeList().stream()
                .filter(n -> n.getOpType().equals("QuantizeLinear")).count();
        // by hand for t3 (widths 4/8/16): the tensors between convolutions are x, enc0, p0, enc1, p1,
        // enc2, up1_conv, up1_act, up1, cat1, dec1, up0_conv, up0_act, up0, cat0, dec0 (the head's
        // output stays float): 16 quantizers
        assertEquals("t3", SPEC.name());
        long expected = 16;
        assertEquals(expected, quantizers);
    }

    @Test
    void exportRecordsTheFloatLayersInTheCardAndWritesThemAsFloat(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("mixed.onnx");
        ModelCard card = OnnxExport.export(TestNets.card(SPEC), WEIGHTS, Precision.INT8,
                List.of(TestNets.smooth(64, 64, 8)), "last,first", out);
        assertEquals("enc0,dec0,head", card.extra().get(OnnxExport.EXTRA_KEEP_FLOAT));
        GraphProto g = ModelProto.parseFrom(Files.readAllBytes(out)).getGraph();
        assertEquals(TensorProto.DataType.FLOAT_VALUE, initializer(g, "dec0_pre_weight").getDataType());
        assertEquals(TensorProto.DataType.INT8_VALUE, initializer(g, "dec1_pre_weight_q").getDataType());
        try (OnnxModel model = Ort.load(out)) {
            assertEquals("enc0,dec0,head", model.card().extra().get(OnnxExport.EXTRA_KEEP_FLOAT));
        }
    }

    @Test
    void theDefaultKeepsTheFullResolutionLayersFloatAndComesCloserToFloatThanFirstAndLast(@TempDir Path dir) throws Exception {
        List<Plane> calibration = List.of(TestNets.smooth(96, 64, 41), TestNets.smooth(64, 64, 42));
        Path byDefault = dir.resolve("default.onnx"), firstLast = dir.resolve("first-last.onnx");
        ModelCard card = OnnxExport.export(TestNets.card(SPEC), WEIGHTS, Precision.INT8, calibration, byDefault);
        OnnxExport.export(TestNets.card(SPEC), WEIGHTS, Precision.INT8, calibration, "first,last", firstLast);
        assertEquals("enc0,up0,dec0,head", card.extra().get(OnnxExport.EXTRA_KEEP_FLOAT));
        GraphProto g = ModelProto.parseFrom(Files.readAllBytes(byDefault)).getGraph();
        assertEquals(TensorProto.DataType.FLOAT_VALUE, initializer(g, "up0_conv_weight").getDataType());
        assertEquals(TensorProto.DataType.INT8_VALUE, initializer(g, "dec1_pre_weight_q").getDataType());
        // only the float up0 reads dec1, and it reads it quantized: so that ONNX Runtime can run
        // dec1 as an int8 convolution. Its optimiser says which convolutions run in int8: all four
        // int8 ones of t3 with full (enc1, enc2, up1, dec1), none of the float ones
        assertEquals("DequantizeLinear", producerOp(g, producer(g, "up0_conv").getInput(0)));
        Path optimised = dir.resolve("optimised.onnx");
        assertEquals(4, ortOpCount(byDefault, optimised, Set.of("QLinearConv")), "int8 convolutions ONNX Runtime fused");
        // float ones: Conv, or FusedConv where the optimiser took the activation in
        assertEquals(4, ortOpCount(byDefault, optimised, Set.of("Conv", "FusedConv")), "float convolutions: enc0, up0, dec0, head");

        Plane x = TestNets.smooth(80, 64, 43);   // not a calibration photo
        float[] reference = ReferenceUNet.forward(SPEC, WEIGHTS, x.values(), x.height(), x.width());
        double fullError = meanPoreDiff(reference, Ort.run(ModelProto.parseFrom(Files.readAllBytes(byDefault)), x));
        double firstLastError = meanPoreDiff(reference, Ort.run(ModelProto.parseFrom(Files.readAllBytes(firstLast)), x));
        System.out.printf("int8 t3 vs float reference, mean |diff| of the pore probability: full %.5f, first,last %.5f%n",
                fullError, firstLastError);
        assertTrue(fullError < firstLastError, "full " + fullError + " is not closer to float than first,last " + firstLastError);
    }

    /** Nodes of the types {@code ops} in the graph ONNX Runtime's optimiser (extended level) makes of {@code model}. */
    private static long ortOpCount(Path model, Path optimised, Set<String> ops) throws Exception {
        ai.onnxruntime.OrtEnvironment env = ai.onnxruntime.OrtEnvironment.getEnvironment();
        try (ai.onnxruntime.OrtSession.SessionOptions o = new ai.onnxruntime.OrtSession.SessionOptions()) {
            o.setOptimizationLevel(ai.onnxruntime.OrtSession.SessionOptions.OptLevel.EXTENDED_OPT);
            o.setOptimizedModelFilePath(optimised.toString());
            env.createSession(model.toString(), o).close();
        }
        return ModelProto.parseFrom(Files.readAllBytes(optimised)).getGraph().getNodeList().stream()
                .filter(n -> ops.contains(n.getOpType())).count();
    }

    private static double meanPoreDiff(float[] reference, float[] int8) {
        int plane = reference.length / 2;
        double sum = 0;
        for (int i = plane; i < 2 * plane; i++) sum += Math.abs(reference[i] - int8[i]);
        return sum / plane;
    }

    @Test
    void unknownLayerIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WRITER.int8(RANGES, Set.of("enc7")));
        assertTrue(e.getMessage().contains("enc7"), e.getMessage());
    }

    private static TensorProto initializer(GraphProto g, String name) {
        return g.getInitializerList().stream().filter(t -> t.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no initializer " + name));
    }

    private static boolean hasInitializer(GraphProto g, String name) {
        return g.getInitializerList().stream().anyMatch(t -> t.getName().equals(name));
    }

    private static NodeProto producer(GraphProto g, String output) {
        return g.getNodeList().stream().filter(n -> n.getOutputList().contains(output)).findFirst()
                .orElseThrow(() -> new AssertionError("no node makes " + output));
    }

    private static String producerOp(GraphProto g, String tensor) {
        return g.getNodeList().stream().filter(n -> n.getOutputList().contains(tensor)).map(NodeProto::getOpType)
                .findFirst().orElse("(graph input)");
    }

    private static float[] floats(TensorProto t) {
        ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[b.remaining() / 4];
        for (int i = 0; i < out.length; i++) out[i] = b.getFloat();
        return out;
    }
}
