package dev.porescope.spark;

import dev.porescope.cli.analyze.Zones;
import dev.porescope.cli.io.ImageOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code porescope batch}: a photo archive into Parquet tables of photos and pores, on Apache Spark. */
@Command(name = "batch", sortOptions = false,
        description = {"Analyse a photo archive on Apache Spark (in-process with local[*], or on a cluster through"
                + " spark-submit) into two Parquet tables under OUTPUT: photos (one row per photo: pores, density,"
                + " areas, or its error) and pores (one row per pore, ImageJ columns).",
                "Photos are committed in batches; --incremental skips photos whose content and model are already in"
                        + " OUTPUT, so a stopped run continues where it stopped."})
public final class BatchCommand implements Callable<Integer> {

    @Option(names = "--input", required = true, arity = "1..*", paramLabel = "PATH",
            description = "Photos: files, folders (read recursively) or globs, on any Hadoop file system (file:, hdfs:, s3a:, ...).")
    List<String> inputs;

    @Option(names = "--output", required = true, paramLabel = "PATH", description = "Output folder of the two tables.")
    String output;

    @Option(names = "--model", paramLabel = "MODEL",
            description = "dog or an ONNX model file (.onnx, .ort) on this machine. Default: the embedded network model.")
    String model;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master (default: spark-submit's, else local[*]: every core of this machine).")
    String master;

    @Option(names = "--incremental", description = "Skip photos whose (content hash, model digest) are already in OUTPUT.")
    boolean incremental;

    @Option(names = "--batch-photos", paramLabel = "N", defaultValue = "1000",
            description = "Photos per committed batch: the most a stopped run redoes (default: ${DEFAULT-VALUE}).")
    int batchPhotos;

    @Option(names = "--glob", paramLabel = "PATTERN", defaultValue = "*.{png,jpg,jpeg,PNG,JPG,JPEG}",
            description = "Names of photo files (default: ${DEFAULT-VALUE}).")
    String glob;

    @Option(names = "--zones", paramLabel = "auto|none", defaultValue = "auto", converter = Zones.Converter.class,
            description = "auto (default): as analyze, pores counted on the skin and per face zone (the photo row's"
                    + " zones column, each pore's zone); none: the whole photo.")
    Zones zones;

    @Mixin
    ImageOptions images;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (batchPhotos < 1) {
            throw new ParameterException(spec.commandLine(), "--batch-photos must be at least 1, got " + batchPhotos);
        }
        PhotoBatch.Settings settings = new PhotoBatch.Settings(inputs, output, glob, incremental, batchPhotos,
                images.files().maxPixels(), zones);
        ModelPayload model = ModelPayload.resolve(this.model, err); // a bad model fails before Spark starts
        PhotoBatch.Report r;
        try (Sessions.Started session = Sessions.start(master, "porescope batch")) {
            r = new PhotoBatch(session.spark(), settings, model, err, (stage, index, id) -> { }).run();
        }
        out.printf(Locale.ROOT, "%d photos found, %d already in %s (same content and model), %d analysed, %d failed"
                        + " (error rows), %d batches committed in %.1f s (%.2f photos/s)%n",
                r.found(), r.skipped(), output, r.ok(), r.failed(), r.batches(), r.seconds(),
                (r.ok() + r.failed()) / Math.max(1e-9, r.seconds()));
        out.printf(Locale.ROOT, "tables: %s/%s (one row per photo), %s/%s (one row per pore); model %s, digest %s%n",
                output, Tables.PHOTOS, output, Tables.PORES, model.cardName(), model.digest().substring(0, 16));
        if (r.failed() > 0) {
            err.println("porescope: " + r.failed() + " photos failed; their rows in " + output + "/" + Tables.PHOTOS
                    + " have status 'error' and say why");
        }
        out.flush();
        return 0;
    }
}
