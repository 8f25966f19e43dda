package dev.porescope.cli.export;

import dev.porescope.core.image.Plane;
import dev.porescope.core.io.AtomicFiles;
import dev.porescope.core.io.WriteFailedException;
import dev.porescope.core.model.ModelCard;
import dev.porescope.core.parity.Golden;
import dev.porescope.onnx.GraphCheck;
import dev.porescope.onnx.KeepFloat;
import dev.porescope.onnx.OnnxExport;
import dev.porescope.onnx.Precision;
import dev.porescope.ort.OnnxModel;
import dev.porescope.torch.TorchModel;
import dev.porescope.torch.mobile.PtlExporter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The server {@code .pt} to a device file: {@code .ptl} through {@link PtlExporter}, {@code .onnx}
 * through {@link OnnxExport} (and {@code .ort} through ONNX Runtime's optimiser). Golden pairs
 * always come from the server model, and every written file is loaded back and checked on them.
 */
public final class Exporter {
    private Exporter() { }

    /**
     * What was written.
     *
     * @param goldenMaxDiff largest |file - server| on the golden pairs in the written card
     * @param detail        format-specific line (bytecode version, calibration tiles)
     */
    public record Exported(Path file, String format, String precision, long bytes, double goldenMaxDiff, String detail) { }

    public static Exported ptl(Path serverPt, Path out) {
        PtlExporter.Result r = new PtlExporter().export(serverPt, out);
        return new Exported(out, "ptl", "fp32", r.bytes(), r.maxAbsDiff(), r.describe());
    }

    /**
     * ONNX ({@code ort == false}) or ORT file of {@code server} at {@code precision}.
     *
     * @param inputs preprocessed photos for int8 calibration; the golden inputs are core's one recipe
     *               ({@link Golden#inputs}), the same as a .ptl export of the same .pt carries
     */
    public static Exported onnx(TorchModel server, Precision precision, List<Plane> inputs, Path out, boolean ort) {
        return onnx(server, precision, inputs, KeepFloat.DEFAULT, out, ort);
    }

    /** As above; {@code keepFloat}: int8 layers kept in float ({@code first}, {@code last}, {@code none}, layer names). */
    public static Exported onnx(TorchModel server, Precision precision, List<Plane> inputs, String keepFloat, Path out,
                                boolean ort) {
        ModelCard card = server.card().withGolden(Golden.make(server));
        ModelCard written;
        if (ort) {
            // the .onnx that ONNX Runtime converts lives in the .ort's own hidden temporary folder
            ModelCard onnxCard = card;
            ModelCard[] converted = new ModelCard[1];
            try {
                AtomicFiles.write(out, tmp -> {
                    Path onnx = tmp.resolveSibling(tmp.getFileName() + ".onnx");
                    OnnxExport.export(onnxCard, server.weights(), precision, inputs, keepFloat, onnx);
                    converted[0] = OnnxExport.toOrt(onnx, tmp);
                });
            } catch (WriteFailedException e) {
                throw e.file().equals(out) ? e : new WriteFailedException(out, e.getCause()); // not the hidden names
            }
            written = converted[0];
        } else {
            written = OnnxExport.export(card, server.weights(), precision, inputs, keepFloat, out);
        }
        double diff;
        try (OnnxModel back = OnnxModel.load(out, OnnxModel.DEFAULT_THREADS, GraphCheck::check)) {
            diff = Golden.check(back).maxAbsDifference();
        }
        String tiles = written.extra() == null ? null : written.extra().get(OnnxExport.EXTRA_CALIBRATION_TILES);
        String detail = "opset " + written.extra().get(OnnxExport.EXTRA_OPSET)
                + (tiles == null ? "" : ", int8 activation ranges from " + tiles + " calibration tiles, float layers: "
                + written.extra().get(OnnxExport.EXTRA_KEEP_FLOAT));
        return new Exported(out, ort ? "ort" : "onnx", precision.label(), size(out), diff, detail);
    }

    static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
