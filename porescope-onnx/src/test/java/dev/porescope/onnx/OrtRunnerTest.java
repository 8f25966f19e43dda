package dev.porescope.onnx;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.porescope.ort.OrtRunner;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * porescope-ort's session wrapper on a graph that is not a U-Net (what a face-landmark runner
 * feeds it): one NHWC input, two outputs, each given back in graph order with its shape and values.
 * Written here because this module has the ONNX protobuf classes; the runtime module has none.
 */
class OrtRunnerTest {

    private static ValueInfoProto floats(String name, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : dims) shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT.getNumber()).setShape(shape))).build();
    }

    @Test
    void everyOutputComesBackInGraphOrderWithItsShape() throws Exception {
        // image [1, 2, 2, 3] -> negated [1, 2, 2, 3] and flat [1, 12]
        GraphProto graph = GraphProto.newBuilder().setName("two-outputs")
                .addInput(floats("image", 1, 2, 2, 3))
                .addNode(NodeProto.newBuilder().setOpType("Neg").addInput("image").addOutput("negated"))
                .addNode(NodeProto.newBuilder().setOpType("Flatten").addInput("image").addOutput("flat"))
                .addOutput(floats("negated", 1, 2, 2, 3))
                .addOutput(floats("flat", 1, 12))
                .build();
        ModelProto model = ModelProto.newBuilder().setIrVersion(8)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17)).setGraph(graph).build();
        float[] image = new float[12];
        for (int i = 0; i < image.length; i++) image[i] = i - 5.5f;
        try (OrtRunner runner = new OrtRunner(model.toByteArray(), 1)) {
            assertEquals(1, runner.inputCount());
            List<OrtRunner.Output> out = runner.run(image, 1, 2, 2, 3);
            assertEquals(2, out.size());
            assertEquals("negated", out.get(0).name());
            assertArrayEquals(new long[]{1, 2, 2, 3}, out.get(0).shape());
            float[] negated = new float[12];
            for (int i = 0; i < negated.length; i++) negated[i] = 5.5f - i;
            assertArrayEquals(negated, out.get(0).values(), 0);
            assertEquals("flat", out.get(1).name());
            assertArrayEquals(new long[]{1, 12}, out.get(1).shape());
            assertArrayEquals(image, out.get(1).values(), 0);
        }
    }
}
