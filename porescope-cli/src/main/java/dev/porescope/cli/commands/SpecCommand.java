package dev.porescope.cli.commands;

import dev.porescope.cli.support.UserException;
import dev.porescope.core.unet.UNetSpec;
import dev.porescope.torch.TorchScriptGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code porescope spec NAME}: a network spec, its size and cost, and the TorchScript generated from it. */
@Command(name = "spec", sortOptions = false,
        description = "Print a U-Net spec (widths, layers), its parameter count, multiply-adds per pixel,"
                + " and the TorchScript generated from it. Without NAME, list the specs.")
public final class SpecCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", paramLabel = "NAME", description = "Spec name (see the list without NAME).")
    String name;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (name == null) {
            out.println("name       widths                 parameters   MACs/pixel");
            for (String n : UNetSpec.names()) {
                UNetSpec s = UNetSpec.named(n);
                out.printf(Locale.ROOT, "%-10s %-22s %10d %12.0f%n", n, s.widths(), s.parameterCount(), s.macsPerPixel());
            }
            return 0;
        }
        UNetSpec s;
        try {
            s = UNetSpec.named(name);
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage());
        }
        out.printf(Locale.ROOT, "spec %s: %d input channel(s), %d classes, widths %s, %d conv(s) per level, %dx%d convs%s,%n",
                s.name(), s.inChannels(), s.classes(), s.widths(), s.convsPerLevel(), s.kernel(), s.kernel(),
                s.batchNorm() ? " + BatchNorm + ReLU" : " + ReLU");
        out.printf(Locale.ROOT, "  %dx%d max-pool stride 2 between levels, 2x2 transposed conv stride 2 + LeakyReLU(%s) up, softmax over classes%n",
                s.poolKernel(), s.poolKernel(), s.leakySlope());
        out.printf(Locale.ROOT, "parameters: %,d (%.2f M)%n", s.parameterCount(), s.parameterCount() / 1e6);
        out.printf(Locale.ROOT, "multiply-adds per pixel: %,.0f (%.2f GMAC for a 512x512 photo)%n", s.macsPerPixel(),
                s.macsPerPixel() * 512 * 512 / 1e9);
        out.printf(Locale.ROOT, "receptive-field margin: %d px; tile sides multiple of %d%n", s.margin(), s.sizeMultiple());
        out.println();
        out.println("layers:");
        for (UNetSpec.Layer l : s.layers()) {
            out.printf(Locale.ROOT, "  %-9s %-8s %-16s -> %-11s %4d -> %4d ch, 1/%d resolution%n", l.kind(),
                    l.name() == null ? "" : l.name(), String.join("+", l.inputs()), l.output(), l.inChannels(),
                    l.outChannels(), l.scale());
        }
        out.println();
        out.println("TorchScript:");
        out.print(TorchScriptGenerator.source(s));
        return 0;
    }
}
