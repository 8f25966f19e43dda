package dev.porescope.core.modelfile;

import dev.porescope.core.unet.UNetSpec;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The interface and node structure of an ONNX graph, as read in pure Java by the model-file
 * reader, and the check that it is the graph PoreScope writes for a spec.
 *
 * @param inputs       graph inputs (initializers listed as inputs excluded by {@link #check})
 * @param outputs      graph outputs
 * @param nodes        nodes in file order
 * @param initializers initializer names
 */
public record OnnxGraph(List<Value> inputs, List<Value> outputs, List<Node> nodes, Set<String> initializers) {
    /** The input and output names PoreScope's ONNX writer uses. */
    public static final String INPUT = "x";
    public static final String OUTPUT = "probability";
    /** TensorProto.DataType FLOAT. */
    public static final int FLOAT = 1;

    /** A graph input or output: elem type (TensorProto.DataType), dims (Long, String parameter, or null). */
    public record Value(String name, int elemType, List<Object> dims) { }

    /** A node: op type, domain, input and output names. */
    public record Node(String opType, String domain, List<String> inputs, List<String> outputs) { }

    /**
     * Checks that this is the interface PoreScope writes for {@code spec}: one float input
     * {@value #INPUT} [N, in-channels, H, W] and one float output {@value #OUTPUT} [N, classes, H, W]
     * with the same symbolic H and W (full resolution). Returns null when it is, else what differs.
     */
    public String interfaceProblem(UNetSpec spec) {
        List<Value> in = inputs.stream().filter(v -> !initializers.contains(v.name())).toList();
        if (in.size() != 1) return "it has " + in.size() + " inputs, a PoreScope U-Net has one";
        if (outputs.size() != 1) return "it has " + outputs.size() + " outputs, a PoreScope U-Net has one";
        Value x = in.get(0), y = outputs.get(0);
        if (!INPUT.equals(x.name())) return "its input is named '" + x.name() + "', not '" + INPUT + "'";
        if (!OUTPUT.equals(y.name())) return "its output is named '" + y.name() + "', not '" + OUTPUT + "'";
        if (x.elemType() != FLOAT) return "its input has element type " + x.elemType() + ", not float32";
        if (y.elemType() != FLOAT) return "its output has element type " + y.elemType() + ", not float32";
        if (x.dims() == null || x.dims().size() != 4) return "its input is not a 4-d tensor [N, C, H, W]";
        if (y.dims() == null || y.dims().size() != 4) return "its output is not a 4-d tensor [N, C, H, W]";
        if (!Objects.equals(x.dims().get(1), (long) spec.inChannels())) {
            return "its input has " + x.dims().get(1) + " channels, spec '" + spec.name() + "' reads " + spec.inChannels();
        }
        if (!Objects.equals(y.dims().get(1), (long) spec.classes())) {
            return "its output has " + y.dims().get(1) + " classes, spec '" + spec.name() + "' has " + spec.classes();
        }
        for (int d = 2; d < 4; d++) {
            if (!(x.dims().get(d) instanceof String s) || s.isEmpty()) {
                return "its input has a fixed " + (d == 2 ? "height" : "width") + " (" + x.dims().get(d)
                        + "); a PoreScope U-Net takes any tile size";
            }
            if (!Objects.equals(x.dims().get(d), y.dims().get(d))) {
                return "its output " + (d == 2 ? "height" : "width") + " (" + y.dims().get(d) + ") is not its input's ("
                        + x.dims().get(d) + "); a PoreScope U-Net answers at full resolution";
            }
        }
        return null;
    }
}
