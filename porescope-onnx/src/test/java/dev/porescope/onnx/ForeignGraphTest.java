package dev.porescope.onnx;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.porescope.core.modelfile.ModelFile;
import dev.porescope.core.modelfile.ModelFileException;
import dev.porescope.core.modelfile.ModelFileReader;
import dev.porescope.core.unet.UNetSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ONNX files carrying a valid PoreScope card over another graph (issue 11): each is refused by
 * the pure-Java check with one line naming the file, and never reaches ONNX Runtime (the check
 * is called directly here, with no session: {@link GraphCheck#check} runs on bytes alone).
 */
class ForeignGraphTest {
    static final UNetSpec SPEC = TestNets.tiny();

    @TempDir static Path dir;
    static ModelProto good;

    @BeforeAll
    static void export() throws Exception {
        Path o = dir.resolve("good.onnx");
        OnnxExport.export(TestNets.card(SPEC), TestNets.randomWeights(SPEC, 3), Precision.FP32, List.of(), o);
        good = ModelProto.parseFrom(Files.readAllBytes(o));
    }

    /** The good model with its graph changed; the card (metadata) stays. */
    private static ModelFile foreign(String name, UnaryOperator<GraphProto.Builder> change) {
        ModelProto.Builder m = good.toBuilder();
        m.setGraph(change.apply(good.getGraph().toBuilder()));
        return ModelFileReader.parse(dir.resolve(name).toString(), m.build().toByteArray());
    }

    private static ValueInfoProto value(String name, TensorProto.DataType type, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            shape.addDim(d instanceof String s ? TensorShapeProto.Dimension.newBuilder().setDimParam(s)
                    : TensorShapeProto.Dimension.newBuilder().setDimValue(((Number) d).longValue()));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(ai.onnx.proto.OnnxMl.TypeProto.newBuilder()
                .setTensorType(ai.onnx.proto.OnnxMl.TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape))).build();
    }

    private static void refused(ModelFile file, String fragment) {
        ModelFileException e = assertThrows(ModelFileException.class, () -> GraphCheck.check(file));
        assertTrue(e.getMessage().startsWith(file.name() + ": is not a PoreScope model of spec '" + SPEC.name() + "'"), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), "'" + fragment + "' not in: " + e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void theExportedGraphPasses() {
        GraphCheck.check(ModelFileReader.parse("good.onnx", good.toByteArray()));
    }

    @Test
    void foreignInterfacesAreRefused() {
        refused(foreign("one-class.onnx", g -> g.setOutput(0, value("probability", TensorProto.DataType.FLOAT, "N", 1, "H", "W"))),
                "1 classes");
        refused(foreign("rgb.onnx", g -> g.setInput(0, value("x", TensorProto.DataType.FLOAT, "N", 3, "H", "W"))),
                "3 channels");
        refused(foreign("fixed.onnx", g -> g.setInput(0, value("x", TensorProto.DataType.FLOAT, "N", 1, 16, 16))),
                "fixed height");
        refused(foreign("renamed.onnx", g -> g.setInput(0, value("image", TensorProto.DataType.FLOAT, "N", 1, "H", "W"))),
                "input is named 'image'");
        refused(foreign("int64.onnx", g -> g.setOutput(0, value("probability", TensorProto.DataType.INT64, "N", 2, "H", "W"))),
                "output has element type 7");
        refused(foreign("half.onnx", g -> g.setOutput(0, value("probability", TensorProto.DataType.FLOAT, "N", 2, "H2", "W2"))),
                "full resolution");
    }

    @Test
    void anotherNodeStructureIsRefused() {
        refused(foreign("extra-node.onnx", g -> g.addNode(ai.onnx.proto.OnnxMl.NodeProto.newBuilder().setOpType("Loop")
                .addOutput("spin"))), "Loop -> spin");
        refused(foreign("swapped.onnx", g -> g.setNode(0, g.getNode(0).toBuilder().setOpType("Abs"))), "node 1 is Abs");
    }

    @Test
    void loadingAForeignGraphIsOneLine() throws Exception {
        Path p = dir.resolve("rgb-file.onnx");
        ModelProto.Builder m = good.toBuilder();
        m.setGraph(good.getGraph().toBuilder().setInput(0, value("x", TensorProto.DataType.FLOAT, "N", 3, "H", "W")));
        Files.write(p, m.build().toByteArray());
        ModelFileException e = assertThrows(ModelFileException.class, () -> Ort.load(p));
        assertTrue(e.getMessage().startsWith(p + ": is not a PoreScope model"), e.getMessage());
        assertTrue(!e.getMessage().contains("ONNX Runtime"), "refused by the pure-Java check: " + e.getMessage());
    }

    @Test
    void flippedWeightBitsAreRefusedAtLoadByTheGoldenPairs() throws Exception {
        // flip an exponent bit of every 7th float of the first initializer: same structure, other weights
        GraphProto.Builder g = good.getGraph().toBuilder();
        TensorProto w = g.getInitializer(0);
        byte[] raw = w.getRawData().toByteArray();
        assertTrue(raw.length >= 4, "first initializer holds float data");
        for (int i = 3; i < raw.length; i += 28) raw[i] ^= 0x20;
        g.setInitializer(0, w.toBuilder().setRawData(com.google.protobuf.ByteString.copyFrom(raw)));
        Path p = dir.resolve("flipped.onnx");
        Files.write(p, good.toBuilder().setGraph(g).build().toByteArray());
        GraphCheck.check(ModelFileReader.read(p)); // structurally still PoreScope's graph
        ModelFileException e = assertThrows(ModelFileException.class, () -> Ort.load(p));
        assertTrue(e.getMessage().startsWith(p + ": does not compute what it computed when it was made"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void anOnnxNamedOrtAndTheReverseAreOneClearLine() throws Exception {
        Path named = dir.resolve("really-onnx.ort");
        Files.write(named, good.toByteArray());
        ModelFileException e = assertThrows(ModelFileException.class, () -> Ort.load(named));
        assertTrue(e.getMessage().contains("is an ONNX model by its content but is named .ort; rename it to .onnx"), e.getMessage());
    }
}
