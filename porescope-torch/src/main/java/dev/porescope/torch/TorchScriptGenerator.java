package dev.porescope.torch;

import dev.porescope.core.unet.UNetSpec;
import dev.porescope.core.unet.UNetSpec.Activation;
import dev.porescope.core.unet.UNetSpec.Layer;

import java.util.Locale;

/**
 * Turns a {@link UNetSpec} into TorchScript source, one line per layer of
 * {@link UNetSpec#layers()}, with parameters named as in {@link UNetSpec#parameters()}.
 *
 * <p>{@code logits(x)} returns the raw class scores [N, classes, H, W] (training uses them);
 * {@code forward(x)} returns their softmax over the class axis (what every runtime serves).
 * BatchNorm takes {@code self.training}, so train/eval switch it between batch statistics
 * (updating the running buffers) and the running statistics.
 */
public final class TorchScriptGenerator {
    private TorchScriptGenerator() { }

    public static String source(UNetSpec spec) {
        StringBuilder s = new StringBuilder();
        s.append("def logits(self, x: Tensor) -> Tensor:\n");
        String result = null;
        for (Layer l : spec.layers()) {
            if (l.kind() == UNetSpec.Kind.SOFTMAX) {
                break; // forward() applies it
            }
            s.append("    ").append(l.output()).append(" = ").append(expression(spec, l)).append('\n');
            result = l.output();
        }
        s.append("    return ").append(result).append("\n\n");
        s.append("def forward(self, x: Tensor) -> Tensor:\n");
        s.append("    return torch.softmax(self.logits(x), 1)\n");
        return s.toString();
    }

    private static String expression(UNetSpec spec, Layer l) {
        String in = l.input();
        String p = "self." + l.name();
        return switch (l.kind()) {
            case CONV -> {
                int pad = l.kernel() / 2;
                String conv = "torch.conv2d(" + in + ", " + p + "_w, " + (l.batchNorm() ? "None" : p + "_b")
                        + ", [1, 1], [" + pad + ", " + pad + "])";
                if (l.batchNorm()) {
                    conv = "torch.batch_norm(" + conv + ", " + p + "_g, " + p + "_b, " + p + "_rm, " + p + "_rv, "
                            + "self.training, 0.1, 1e-5, False)";
                }
                yield activate(conv, l.activation(), spec);
            }
            case MAX_POOL -> {
                int k = l.kernel();
                int pad = k / 2;
                yield "torch.max_pool2d(" + in + ", [" + k + ", " + k + "], [2, 2], [" + pad + ", " + pad + "])";
            }
            case UP_CONV -> activate("torch.conv_transpose2d(" + in + ", " + p + "_w, " + p + "_b, [2, 2])",
                    l.activation(), spec);
            case CONCAT -> "torch.cat([" + String.join(", ", l.inputs()) + "], 1)";
            case SOFTMAX -> "torch.softmax(" + in + ", 1)";
        };
    }

    private static String activate(String expr, Activation a, UNetSpec spec) {
        return switch (a) {
            case NONE -> expr;
            case RELU -> "torch.relu(" + expr + ")";
            case LEAKY_RELU -> "torch.leaky_relu(" + expr + ", " + String.format(Locale.ROOT, "%s", spec.leakySlope()) + ")";
        };
    }
}
