package dev.porescope.spark;

import dev.porescope.cli.analyze.Zones;
import dev.porescope.cli.io.ImageFiles;
import dev.porescope.cli.support.UserException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.sha2;

/**
 * The driver side of {@code porescope batch}: lists the photos through Spark's {@code binaryFile}
 * source, cuts the list into batches, and for each batch has the executors analyse its photos
 * ({@link PhotoTask}) into a pending folder, then commits the batch by renaming its pore and photo
 * folders into the tables ({@link Tables}). A job killed at any point leaves only whole batches
 * behind; the next run deletes what a killed run left pending and, with {@code --incremental},
 * skips every photo whose (content hash, model digest) is already in the photo table.
 */
public final class PhotoBatch {

    /**
     * What to analyse and where to.
     *
     * @param inputs       Hadoop paths: files, folders (read recursively) or globs
     * @param output       the output folder (a Hadoop path)
     * @param glob         file-name pattern of photos (Hadoop glob)
     * @param incremental  skip photos already in the output; without it the output must hold no photos yet
     * @param batchPhotos  photos per committed batch: what a killed job may have to redo at most
     * @param maxPixels    photos above this are error rows, refused from their header
     * @param zones        {@code AUTO}: find the face zones and count per zone, as {@code analyze}; {@code NONE}: the whole photo
     */
    public record Settings(List<String> inputs, String output, String glob, boolean incremental, int batchPhotos,
                           long maxPixels, Zones zones) {
        public Settings {
            if (inputs.isEmpty()) throw new IllegalArgumentException("no input");
            if (batchPhotos < 1) throw new IllegalArgumentException("photos per batch must be at least 1, got " + batchPhotos);
        }

        /** {@code zones_mode} of this run's rows: {@code auto} or {@code none}, as {@code --zones} takes them. */
        public String zonesMode() {
            return zones.text();
        }
    }

    /** Stages of a batch, for progress and for tests that stop a job half-way. */
    public interface Listener {
        /** Called after {@code stage} of batch {@code index} (0-based) has happened. */
        void after(Stage stage, int index, String batchId);
    }

    /** What has just happened to a batch. */
    public enum Stage { ANALYSED, STAGED, PORES_COMMITTED, COMMITTED }

    /**
     * What a run did.
     *
     * @param found    photo files under the inputs
     * @param skipped  photos skipped because the output already had them (same content, same model)
     * @param ok       photos analysed
     * @param failed   photos that became error rows
     * @param batches  batches committed
     * @param seconds  wall time of the run (Spark session not included)
     */
    public record Report(long found, long skipped, long ok, long failed, int batches, double seconds) { }

    /**
     * Photo files larger than this many bytes per allowed pixel are error rows before their content
     * is read: no PNG or JPEG of an allowed size is that big (16-bit RGBA, uncompressed, is 8).
     */
    static final long MAX_BYTES_PER_PIXEL = 8;

    private final SparkSession spark;
    private final Settings settings;
    private final ModelPayload model;
    private final PrintWriter err;
    private final Listener listener;
    private final FileSystem fs;
    private final Path root;

    public PhotoBatch(SparkSession spark, Settings settings, ModelPayload model, PrintWriter err, Listener listener) {
        this.spark = spark;
        this.settings = settings;
        this.model = model;
        this.err = err;
        this.listener = listener;
        this.root = new Path(settings.output());
        try {
            this.fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
        } catch (IOException e) {
            throw new UserException("cannot open the output " + settings.output() + " (" + e.getMessage() + "); check the path", e);
        }
    }

    public Report run() {
        long start = System.nanoTime();
        tidy();
        Dataset<Row> done = doneHashes();
        List<Row> photos = list();
        if (photos.isEmpty()) {
            throw new UserException("no photos matching " + settings.glob() + " under " + String.join(", ", settings.inputs())
                    + "; give folders or globs of .png/.jpg/.jpeg photos");
        }
        Broadcast<ModelPayload> shipped = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(model);
        String run = runId();
        int batches = (photos.size() + settings.batchPhotos() - 1) / settings.batchPhotos();
        long ok = 0;
        long failed = 0;
        long skipped = 0;
        int committed = 0;
        try {
            for (int b = 0; b < batches; b++) {
                List<Row> chunk = photos.subList(b * settings.batchPhotos(), Math.min(photos.size(), (b + 1) * settings.batchPhotos()));
                String id = String.format(Locale.ROOT, "%s-%05d", run, b);
                long batchStart = System.nanoTime();
                long[] counts = batch(b, id, chunk, done, shipped);
                ok += counts[0];
                failed += counts[1];
                skipped += chunk.size() - counts[0] - counts[1];
                if (counts[0] + counts[1] > 0) committed++;
                err.printf(Locale.ROOT, "porescope: batch %d/%d: %d photos, %d analysed, %d failed, %d already done (%.1f s)%n",
                        b + 1, batches, chunk.size(), counts[0], counts[1], chunk.size() - counts[0] - counts[1],
                        (System.nanoTime() - batchStart) / 1e9);
                err.flush();
            }
            Path pending = new Path(root, Tables.PENDING);
            if (fs.exists(pending) && fs.listStatus(pending).length == 0) fs.delete(pending, false);
        } catch (IOException e) {
            err.println("porescope: could not remove the empty " + Tables.PENDING + " folder (" + oneLine(e.getMessage()) + ")");
        } finally {
            shipped.destroy();
            if (done != null) done.unpersist();
        }
        return new Report(photos.size(), skipped, ok, failed, committed, (System.nanoTime() - start) / 1e9);
    }

    // ------------------------------------------------------------------ input

    /** (path, length) of every photo file under the inputs, sorted by path; content is not read. */
    private List<Row> list() {
        Dataset<Row> files;
        try {
            files = spark.read().format("binaryFile")
                    .option("recursiveFileLookup", "true")
                    .option("pathGlobFilter", settings.glob())
                    .load(settings.inputs().toArray(String[]::new))
                    .select("path", "length");
        } catch (Exception e) { // Scala throws AnalysisException (a checked exception) undeclared
            if (e instanceof AnalysisException) {
                throw new UserException("cannot read the input " + String.join(", ", settings.inputs()) + " ("
                        + oneLine(e.getMessage()) + "); check the path", e);
            }
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
        List<Row> rows = new ArrayList<>(files.collectAsList());
        // Spark's file scans skip empty files; they are photos that fail all the same
        Set<String> listed = new HashSet<>();
        for (Row r : rows) listed.add(new Path(r.getString(0)).toString());
        for (String f : files.inputFiles()) {
            String path = new Path(f).toString();
            if (!listed.contains(path)) rows.add(RowFactory.create(path, 0L));
        }
        rows.sort(Comparator.comparing(r -> r.getString(0)));
        return rows;
    }

    /** Content hashes already in the photo table for this model and zones mode; null when nothing is there yet. */
    private Dataset<Row> doneHashes() {
        Path photos = new Path(root, Tables.PHOTOS);
        if (!hasBatches(photos)) return null;
        Dataset<Row> table = spark.read().parquet(photos.toString());
        if (!settings.incremental()) {
            long rows = table.count();
            if (rows > 0) {
                throw new UserException(settings.output() + " already holds " + rows + " photo rows from earlier runs;"
                        + " add --incremental to analyse only the photos it does not have yet, or give an empty output folder");
            }
            return null;
        }
        Dataset<Row> done = table.where(col("model_digest").equalTo(model.digest()))
                .where(col("zones_mode").equalTo(settings.zonesMode()))
                .where(col("content_hash").isNotNull())
                .select("content_hash").distinct().cache();
        done.count();
        return done;
    }

    // ------------------------------------------------------------------ one batch

    /** Analyses and commits one batch; returns {analysed ok, failed}. */
    private long[] batch(int index, String id, List<Row> chunk, Dataset<Row> done, Broadcast<ModelPayload> shipped) {
        Path pending = new Path(new Path(root, Tables.PENDING), id);
        long maxBytes = settings.maxPixels() * MAX_BYTES_PER_PIXEL + (16L << 20);
        List<String> readable = new ArrayList<>();
        List<Row> refusedHere = new ArrayList<>();
        for (Row r : chunk) {
            long length = r.getLong(1);
            String path = r.getString(0);
            if (length > maxBytes) {
                refusedHere.add(PhotoTask.errorRow(PhotoTask.photoKey(path, null, model.digest(), settings.zonesMode()), path,
                        length, null, model, settings.zonesMode(), path + " is " + (length >> 20) + " MB, larger than any photo under the pixel limit;"
                                + " check the file or raise --max-megapixels", 0));
            } else if (length == 0) {
                // Spark does not scan empty files: the driver makes their row, as a task would (same message)
                if (!emptyDone(done)) {
                    refusedHere.add(PhotoTask.analyse(model, new ImageFiles(settings.maxPixels()), settings.zones(), path, 0,
                            EMPTY_SHA256, new byte[0]));
                }
            } else {
                readable.add(escapeGlob(path));
            }
        }
        Dataset<Row> analysed = null;
        if (!readable.isEmpty()) {
            Dataset<Row> photos = spark.read().format("binaryFile").load(readable.toArray(String[]::new))
                    .select(col("path"), col("length"), sha2(col("content"), 256).as("content_hash"), col("content"));
            if (done != null) {
                photos = photos.join(broadcast(done), photos.col("content_hash").equalTo(done.col("content_hash")), "left_anti");
            }
            analysed = photos.mapPartitions(new PhotoTask(shipped, settings.maxPixels(), settings.zones()), Encoders.row(Tables.ANALYSIS));
        }
        if (!refusedHere.isEmpty()) {
            Dataset<Row> refused = spark.createDataFrame(refusedHere, Tables.ANALYSIS);
            analysed = analysed == null ? refused : analysed.union(refused);
        }
        if (analysed == null) return new long[] {0, 0};
        Path staged = new Path(pending, "analysis");
        analysed.write().parquet(staged.toString());
        listener.after(Stage.ANALYSED, index, id);

        Dataset<Row> result = spark.read().schema(Tables.ANALYSIS).parquet(staged.toString());
        long ok = 0;
        long failed = 0;
        for (Row r : result.groupBy("status").count().collectAsList()) {
            if (Tables.STATUS_OK.equals(r.getString(0))) ok = r.getLong(1);
            else failed += r.getLong(1);
        }
        if (ok + failed == 0) {
            delete(pending);
            return new long[] {0, 0};
        }
        Path photoTable = new Path(pending, Tables.PHOTOS);
        Path poreTable = new Path(pending, Tables.PORES);
        result.drop("pore_list").coalesce(1).write().parquet(photoTable.toString());
        result.select(col("photo_key"), col("path"), explode(col("pore_list")).as("p"))
                .select(poreColumns()).coalesce(1).write().parquet(poreTable.toString());
        listener.after(Stage.STAGED, index, id);

        // commit: pores first, photos last; the photo partition is what makes the batch count as done
        String partition = Tables.BATCH + "=" + id;
        rename(poreTable, new Path(new Path(root, Tables.PORES), partition));
        listener.after(Stage.PORES_COMMITTED, index, id);
        rename(photoTable, new Path(new Path(root, Tables.PHOTOS), partition));
        listener.after(Stage.COMMITTED, index, id);
        delete(pending);
        return new long[] {ok, failed};
    }

    /** SHA-256 of no bytes: the content hash of an empty file. */
    static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private Boolean emptyDone;

    /** Whether the output already has the row of an empty file (for this model). */
    private boolean emptyDone(Dataset<Row> done) {
        if (emptyDone == null) {
            emptyDone = done != null && !done.where(col("content_hash").equalTo(EMPTY_SHA256)).isEmpty();
        }
        return emptyDone;
    }

    private static Column[] poreColumns() {
        List<Column> columns = new ArrayList<>();
        columns.add(col("photo_key"));
        columns.add(col("path"));
        for (String c : Tables.PORE_COLUMNS) columns.add(col("p." + c).as(c));
        return columns.toArray(Column[]::new);
    }

    // ------------------------------------------------------------------ output folder

    /**
     * Removes what a killed run left: pending batches, and pore partitions whose photo partition was
     * never renamed into place (their photos are analysed again).
     */
    private void tidy() {
        try {
            Path pending = new Path(root, Tables.PENDING);
            if (fs.exists(pending)) {
                FileStatus[] left = fs.listStatus(pending);
                if (left.length > 0) {
                    err.println("porescope: removing " + left.length + " unfinished batch(es) of a run that stopped early under " + pending);
                }
                fs.delete(pending, true);
            }
            Path pores = new Path(root, Tables.PORES);
            Path photos = new Path(root, Tables.PHOTOS);
            if (fs.exists(pores)) {
                for (FileStatus s : fs.listStatus(pores)) {
                    String name = s.getPath().getName();
                    if (s.isDirectory() && name.startsWith(Tables.BATCH + "=") && !fs.exists(new Path(photos, name))) {
                        err.println("porescope: removing the pores of uncommitted batch " + name + " (its photos are analysed again)");
                        fs.delete(s.getPath(), true);
                    }
                }
            }
        } catch (IOException e) {
            throw new UserException("cannot tidy the output " + root + " (" + oneLine(e.getMessage()) + "); check its permissions", e);
        }
    }

    private boolean hasBatches(Path table) {
        try {
            if (!fs.exists(table)) return false;
            return Arrays.stream(fs.listStatus(table)).anyMatch(s -> s.isDirectory() && s.getPath().getName().startsWith(Tables.BATCH + "="));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void rename(Path from, Path to) {
        try {
            fs.mkdirs(to.getParent());
            if (!fs.rename(from, to)) {
                throw new IOException("rename returned false");
            }
        } catch (IOException e) {
            throw new UserException("cannot commit " + from + " as " + to + " (" + oneLine(e.getMessage())
                    + "); check the output's permissions and free space, then run again with --incremental", e);
        }
    }

    private void delete(Path path) {
        try {
            fs.delete(path, true);
        } catch (IOException e) {
            err.println("porescope: could not remove " + path + " (" + oneLine(e.getMessage()) + "); the next run removes it");
        }
    }

    /** Run ids sort by start time and are never read as numbers or dates by Spark's partition discovery. */
    private static String runId() {
        return "r" + ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT))
                + "-" + String.format(Locale.ROOT, "%04x", ThreadLocalRandom.current().nextInt(0x10000));
    }

    /** A file path as a Hadoop glob that matches only itself (Spark globs every path it is given). */
    static String escapeGlob(String path) {
        StringBuilder s = new StringBuilder(path.length() + 8);
        for (char c : path.toCharArray()) {
            if ("{}[]*?\\".indexOf(c) >= 0) s.append('\\');
            s.append(c);
        }
        return s.toString();
    }

    static String oneLine(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
