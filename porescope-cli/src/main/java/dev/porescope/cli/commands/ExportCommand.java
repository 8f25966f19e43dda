package dev.porescope.cli.commands;

import dev.porescope.cli.export.Exporter;
import dev.porescope.cli.export.ModelInputs;
import dev.porescope.cli.io.FileRoles;
import dev.porescope.cli.io.ImageOptions;
import dev.porescope.cli.support.OptionValues;
import dev.porescope.cli.support.UserException;
import dev.porescope.core.image.Plane;
import dev.porescope.core.model.ModelCard;
import dev.porescope.core.modelfile.ModelFileException;
import dev.porescope.onnx.OnnxExport;
import dev.porescope.onnx.KeepFloat;
import dev.porescope.onnx.Precision;
import dev.porescope.torch.TorchFiles;
import dev.porescope.torch.TorchModel;
import dev.porescope.torch.nativ.TorchException;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code porescope export}: the server {@code .pt} to a phone model ({@code .ptl}, {@code .onnx}, {@code .ort}). */
@Command(name = "export", sortOptions = false,
        description = {"Turn a trained server model (.pt) into a phone model: PyTorch Mobile lite (.ptl, what the paper's"
                + " Android app loads), ONNX (.onnx) or ONNX Runtime Mobile (.ort), fp32, fp16 or int8.",
                "The file carries the model card (preprocessing, threshold) and golden input/output pairs computed by the"
                        + " server model; it is loaded back and checked against them before it is renamed into place.",
                "int8 needs --calibration: photos like the ones the model will see (a folder made by 'porescope synth' will do"
                        + " for synthetic data); they go through the card's preprocessing, as at inference."})
public final class ExportCommand implements Callable<Integer> {

    /** Output formats. */
    public enum Format { ptl, onnx, ort }

    @Option(names = "--model", required = true, paramLabel = "MODEL.pt", description = "Server model made by 'porescope train'.")
    Path model;

    @Option(names = "--format", required = true, paramLabel = "FORMAT", description = "ptl, onnx or ort.")
    Format format;

    @Option(names = "--precision", defaultValue = "fp32", paramLabel = "P", converter = PrecisionConverter.class,
            description = "fp32, fp16 or int8 (onnx and ort only; default: ${DEFAULT-VALUE}).")
    Precision precision;

    @Option(names = "--calibration", paramLabel = "DIR",
            description = "Photos for int8 activation ranges and golden pairs: a folder of photos or a data folder with images/.")
    Path calibration;

    @Option(names = "--calibration-count", converter = OptionValues.AtLeastOne.class, defaultValue = "16", paramLabel = "N",
            description = "Use at most N calibration photos, spread over the folder (default: ${DEFAULT-VALUE}).")
    int calibrationCount;

    @Option(names = "--int8-keep-float", paramLabel = "LAYERS", defaultValue = KeepFloat.DEFAULT,
            description = "int8 only: convolutions kept in float, comma-separated: first (the first conv), last (the last"
                    + " decoder conv and the head), full (every conv at full resolution: first, the last up-conv, last),"
                    + " none, or layer names from 'porescope spec' (default: ${DEFAULT-VALUE}).")
    String keepFloat;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "File to write (.ptl, .onnx or .ort).")
    Path out;

    @Mixin
    ImageOptions images;

    @Spec
    CommandSpec spec;

    /** Unknown precision: a usage error (exit 2) listing the accepted names. */
    static final class PrecisionConverter implements ITypeConverter<Precision> {
        @Override
        public Precision convert(String value) {
            try {
                return Precision.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        checkArguments();
        new FileRoles().input("--model", model).output("--out", out).check(spec);
        ModelCard card = serverCard(model);
        if (precision == Precision.INT8 && card.spec() != null) {
            try {
                KeepFloat.resolve(card.spec(), keepFloat);
            } catch (IllegalArgumentException e) {
                throw new UserException("--int8-keep-float: " + e.getMessage(), e);
            }
        }
        Exporter.Exported result;
        if (format == Format.ptl) {
            result = guarded(() -> Exporter.ptl(model, out));
        } else {
            List<Plane> inputs = calibration == null ? List.of()
                    : ModelInputs.fromPhotos(calibration, calibrationCount, card, images.files());
            if (precision == Precision.INT8 && inputs.isEmpty()) {
                throw new UserException("int8 export needs --calibration DIR (photos like the ones the model will see,"
                        + " e.g. a folder made by 'porescope synth'); or export fp32/fp16");
            }
            if (inputs.size() > 0) {
                err.printf(Locale.ROOT, "porescope: %d calibration photo%s from %s%n", inputs.size(),
                        inputs.size() == 1 ? "" : "s", calibration);
                err.flush();
            }
            result = guarded(() -> {
                try (TorchModel server = TorchModel.load(model)) {
                    return Exporter.onnx(server, precision, inputs, keepFloat, out, format == Format.ort);
                }
            });
        }
        stdout.printf(Locale.ROOT, "wrote %s: %s %s, %.1f kB, golden max |%s - server| = %.3g%n", result.file(),
                result.format(), result.precision(), result.bytes() / 1024.0, result.format(), result.goldenMaxDiff());
        stdout.println("  " + result.detail());
        stdout.flush();
        return 0;
    }

    private void checkArguments() {
        if (format == Format.ptl && precision != Precision.FP32) {
            throw new ParameterException(spec.commandLine(), "--format ptl is fp32 only (PyTorch Mobile lite runs the frozen fp32 graph);"
                    + " use --format onnx or ort for " + precision.label());
        }
        String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!name.endsWith("." + format.name())) {
            throw new ParameterException(spec.commandLine(), "--out " + out + " must end in ." + format.name() + " for --format " + format.name());
        }
        Path parent = out.toAbsolutePath().getParent();
        if (!Files.isDirectory(parent)) {
            throw new UserException("folder " + parent + " for --out does not exist; create it first");
        }
        if (!model.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".pt")) {
            throw new ParameterException(spec.commandLine(), "--model " + model + " must be a server model (.pt) made by 'porescope train'");
        }
    }

    /** The server model's card, read in pure Java; a file that is not a PoreScope .pt fails here. */
    static ModelCard serverCard(Path model) {
        if (!Files.exists(model)) throw new UserException("model file " + model + " does not exist; check the path");
        ModelCard card;
        try {
            card = TorchFiles.serverCard(model);
        } catch (ModelFileException e) {
            throw new UserException(e.getMessage(), e);
        }
        if (!"torchscript".equals(card.runtime())) {
            throw new UserException(model + ": its model card says runtime '" + card.runtime()
                    + "'; export from the server model (.pt made by 'porescope train')");
        }
        return card;
    }

    /** Runs an export, turning problems with the input files into one clear line. */
    static <T> T guarded(java.util.function.Supplier<T> export) {
        try {
            return export.get();
        } catch (TorchException e) {
            throw new UserException("libtorch failed: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            // ModelFileException (card and weights do not match, damaged or foreign file) and bad export settings
            throw new UserException(e.getMessage(), e);
        }
    }
}
