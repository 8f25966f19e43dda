package dev.porescope.cli.export;

import dev.porescope.core.image.Plane;
import dev.porescope.core.io.AtomicFiles;
import dev.porescope.core.io.WriteFailedException;
import dev.porescope.core.json.FloatCodec;
import dev.porescope.core.model.ModelCard;
import dev.porescope.core.model.ModelCard.GoldenPair;
import dev.porescope.onnx.OnnxExport;
import dev.porescope.onnx.OnnxModel;
import dev.porescope.onnx.Precision;
import dev.porescope.torch.TorchModel;
import dev.porescope.torch.mobile.PtlExporter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The server {@code .pt} to a device file: {@code .ptl} through {@link PtlExporter}, {@code .onnx}
 * through {@link OnnxExport} (and {@code .ort} through ONNX Runtime's optimiser). Golden pairs
 * always come from the server model, and every written file is loaded back and checked on them.
 */
public final class Exporter {
    /** Golden pairs stored in an ONNX/ORT card, and their side before rounding to the spec's multiple. */
    static final int GOLDEN_COUNT = 2;
    static final int GOLDEN_SIDE = 64;

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
     * @param inputs preprocessed photos: int8 calibration and golden inputs; when empty, the golden
     *               inputs are preprocessed synthetic photos
     */
    public static Exported onnx(TorchModel server, Precision precision, List<Plane> inputs, Path out, boolean ort) {
        return onnx(server, precision, inputs, OnnxExport.DEFAULT_KEEP_FLOAT, out, ort);
    }

    /** As above; {@code keepFloat}: int8 layers kept in float ({@code first}, {@code last}, {@code none}, layer names). */
    public static Exported onnx(TorchModel server, Precision precision, List<Plane> inputs, String keepFloat, Path out,
                                boolean ort) {
        ModelCard card = server.card();
        List<Plane> goldenInputs = inputs.isEmpty()
                ? ModelInputs.synthetic(GOLDEN_COUNT, GOLDEN_SIDE, card.seed(), card) : inputs;
        card = card.withGolden(serverGolden(server, goldenInputs));
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
        try (OnnxModel back = OnnxModel.load(out)) {
            diff = back.goldenMaxDifference();
        }
        String tiles = written.extra() == null ? null : written.extra().get(OnnxExport.EXTRA_CALIBRATION_TILES);
        String detail = "opset " + written.extra().get(OnnxExport.EXTRA_OPSET)
                + (tiles == null ? "" : ", int8 activation ranges from " + tiles + " calibration tiles, float layers: "
                + written.extra().get(OnnxExport.EXTRA_KEEP_FLOAT));
        return new Exported(out, ort ? "ort" : "onnx", precision.label(), size(out), diff, detail);
    }

    /** Centre crops of the first inputs with the server model's output for each. */
    static List<GoldenPair> serverGolden(TorchModel server, List<Plane> inputs) {
        int m = server.sizeMultiple();
        int side = Math.max(m, (GOLDEN_SIDE + m - 1) / m * m);
        List<GoldenPair> pairs = new ArrayList<>();
        for (Plane p : inputs) {
            if (pairs.size() == GOLDEN_COUNT) break;
            int w = Math.min(side, p.width() / m * m), h = Math.min(side, p.height() / m * m);
            if (w == 0 || h == 0) continue;
            Plane crop = p.crop((p.width() - w) / 2, (p.height() - h) / 2, w, h);
            Plane probability = server.predict(crop);
            pairs.add(new GoldenPair(w, h, FloatCodec.encode(crop.values()), FloatCodec.encode(probability.values())));
        }
        if (pairs.isEmpty()) throw new IllegalArgumentException("photos are smaller than the model's size multiple " + m);
        return pairs;
    }

    static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
