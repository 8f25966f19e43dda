package dev.porescope.torch.mobile;

import dev.porescope.core.model.ModelCard;
import dev.porescope.core.preprocess.Preprocessing;
import dev.porescope.core.unet.UNetSpec;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.pytorch.BoolType;
import org.bytedeco.pytorch.ExtraFilesMap;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.JitModule;
import org.bytedeco.pytorch.QualifiedName;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.SingletonTypePtr;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.Type;
import org.bytedeco.pytorch.global.torch;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Test fixture: a small PoreScope U-Net as a TorchScript module with random weights and random
 * BatchNorm statistics (so that freezing really folds something), saved as a server {@code .pt}
 * with its card. TODO(merge): use branch torch's TorchScriptGenerator / UNetModule instead.
 */
final class TinyUNet {
    private TinyUNet() { }

    static final UNetSpec SPEC = UNetSpec.family("ptl-test", 4, 8, 16);

    static ModelCard card(UNetSpec spec) {
        return new ModelCard(ModelCard.FORMAT, spec.name(), spec, Preprocessing.standard(), 0.5, 3, "torchscript",
                "fp32", null, 7, 0, Map.of(), Map.of(), List.of(), Map.of());
    }

    /** A module for {@code spec} in eval mode. */
    static JitModule module(UNetSpec spec, long seed) {
        torch.manual_seed(seed);
        JitModule m = new JitModule(new QualifiedName("UNet"));
        m.register_attribute("training", new Type.TypePtr(new SingletonTypePtr(BoolType.get().get())),
                new IValue(true), false, false);
        for (UNetSpec.Param p : spec.parameters()) {
            Tensor t = switch (p.role()) {
                case CONV_WEIGHT, UP_WEIGHT -> torch.randn(p.shape()).mul_(new Scalar(Math.sqrt(2.0 / p.fanIn())));
                case BN_WEIGHT -> torch.rand(p.shape()).add_(new Scalar(0.5));
                case BN_VAR -> torch.rand(p.shape()).add_(new Scalar(0.5));
                default -> torch.randn(p.shape()).mul_(new Scalar(0.1));
            };
            if (p.isBuffer()) m.register_buffer(p.name(), t);
            else m.register_parameter(p.name(), t, false);
        }
        m.define(source(spec));
        m.eval();
        return m;
    }

    /** TorchScript source of {@code spec}'s forward, from its topology walk. */
    static String source(UNetSpec spec) {
        StringBuilder s = new StringBuilder("def forward(self, x: Tensor) -> Tensor:\n");
        String last = "x";
        for (UNetSpec.Layer l : spec.layers()) {
            String in = l.input();
            String expr = switch (l.kind()) {
                case CONV -> {
                    int pad = l.kernel() / 2;
                    String conv = "torch.conv2d(" + in + ", self." + l.name() + "_w, "
                            + (l.batchNorm() ? "None" : "self." + l.name() + "_b") + ", [1, 1], [" + pad + ", " + pad + "])";
                    if (l.batchNorm()) {
                        String n = "self." + l.name();
                        conv = "torch.batch_norm(" + conv + ", " + n + "_g, " + n + "_b, " + n + "_rm, " + n
                                + "_rv, self.training, 0.1, 1e-5, False)";
                    }
                    yield l.activation() == UNetSpec.Activation.RELU ? "torch.relu(" + conv + ")" : conv;
                }
                case MAX_POOL -> {
                    int pad = l.kernel() / 2;
                    yield "torch.max_pool2d(" + in + ", [" + l.kernel() + ", " + l.kernel() + "], [2, 2], [" + pad + ", " + pad + "])";
                }
                case UP_CONV -> "torch.leaky_relu(torch.conv_transpose2d(" + in + ", self." + l.name() + "_w, self."
                        + l.name() + "_b, [2, 2]), " + spec.leakySlope() + ")";
                case CONCAT -> "torch.cat([" + l.inputs().get(0) + ", " + l.inputs().get(1) + "], 1)";
                case SOFTMAX -> "torch.softmax(" + in + ", 1)";
            };
            s.append("    ").append(l.output()).append(" = ").append(expr).append('\n');
            last = l.output();
        }
        return s.append("    return ").append(last).append('\n').toString();
    }

    /** Saves {@code m} as a server model with {@code card}. */
    static void save(JitModule m, ModelCard card, Path file) {
        try (ExtraFilesMap extra = new ExtraFilesMap();
             BytePointer key = new BytePointer(ModelCard.FILE_NAME);
             BytePointer value = new BytePointer(Cards.write(card))) {
            extra.put(key, value);
            m.save(file.toString(), extra);
        }
    }
}
