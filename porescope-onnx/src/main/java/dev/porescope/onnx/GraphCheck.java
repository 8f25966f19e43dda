package dev.porescope.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import dev.porescope.core.json.Json;
import dev.porescope.core.model.ModelCard;
import dev.porescope.core.modelfile.ModelFile;
import dev.porescope.core.modelfile.ModelFileException;
import dev.porescope.core.modelfile.OnnxGraph;
import dev.porescope.core.unet.UNetSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An ONNX file is a PoreScope model of its card's spec only if its graph is the graph
 * {@link OnnxWriter} writes for that spec and precision: the interface (checked by core's
 * {@link OnnxGraph#interfaceProblem}) and the node structure (op types and output names in
 * order). Pure Java, before ONNX Runtime sees the file. ORT-format files are ONNX Runtime's
 * optimised graphs; only their card and structure are checked by core, and the golden pairs at load.
 * Desktop loaders pass it to the runtime: {@code OnnxModel.load(path, threads, GraphCheck::check)}.
 */
public final class GraphCheck {
    private static final Map<String, List<String>> EXPECTED = new ConcurrentHashMap<>();

    private GraphCheck() { }

    /** Refuses (one line naming the file) an .onnx whose graph is not the one written for its card; .ort files pass. */
    public static void check(ModelFile file) {
        OnnxGraph graph = file.graph();
        if (graph == null) return;
        ModelCard card = file.card();
        UNetSpec spec = card.spec();
        String problem = graph.interfaceProblem(spec);
        if (problem == null) {
            List<String> actual = structure(graph);
            List<String> expected = expected(card);
            if (!actual.equals(expected)) {
                int i = 0;
                while (i < actual.size() && i < expected.size() && actual.get(i).equals(expected.get(i))) i++;
                problem = "its node " + (i + 1) + " is " + (i < actual.size() ? actual.get(i) : "missing") + " where the "
                        + card.precision() + " graph of that spec has " + (i < expected.size() ? expected.get(i) : "no more nodes");
            }
        }
        if (problem != null) {
            throw new ModelFileException(file.name() + ": is not a PoreScope model of spec '" + spec.name() + "': " + problem
                    + "; use a model made by 'porescope export'");
        }
    }

    private static List<String> structure(OnnxGraph graph) {
        List<String> out = new ArrayList<>();
        for (OnnxGraph.Node n : graph.nodes()) out.add(n.opType() + " -> " + String.join(",", n.outputs()));
        return out;
    }

    /** The node structure OnnxWriter writes for the card (weights and activation ranges do not change it). */
    private static List<String> expected(ModelCard card) {
        String keep = card.extra() == null ? null : card.extra().get(OnnxExport.EXTRA_KEEP_FLOAT);
        String key = card.precision() + "\n" + keep + "\n" + Json.write(card.spec());
        return EXPECTED.computeIfAbsent(key, k -> {
            UNetSpec spec = card.spec();
            Map<String, float[]> weights = new LinkedHashMap<>();
            for (UNetSpec.Param p : spec.parameters()) {
                float[] v = new float[Math.toIntExact(p.numel())];
                if (p.role() == UNetSpec.ParamRole.BN_VAR || p.role() == UNetSpec.ParamRole.BN_WEIGHT) java.util.Arrays.fill(v, 1f);
                weights.put(p.name(), v);
            }
            OnnxWriter writer = new OnnxWriter(spec, weights);
            Precision precision = Precision.parse(card.precision() == null ? ModelCard.FP32 : card.precision());
            Map<String, Calibration.Range> ranges = new LinkedHashMap<>();
            ranges.put(OnnxWriter.INPUT, new Calibration.Range(-1, 1));
            for (String t : writer.calibratedTensors()) ranges.put(t, new Calibration.Range(-1, 1));
            Set<String> keepFloat = precision != Precision.INT8 || keep == null || keep.equals("none")
                    ? Set.of() : new LinkedHashSet<>(List.of(keep.split(",")));
            ModelProto model = writer.model(precision, ranges, keepFloat);
            List<String> out = new ArrayList<>();
            for (NodeProto n : model.getGraph().getNodeList()) out.add(n.getOpType() + " -> " + String.join(",", n.getOutputList()));
            return out;
        });
    }
}
