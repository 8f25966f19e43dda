package dev.porescope.spark;

import dev.porescope.cli.Main;
import dev.porescope.cli.analyze.Zones;
import dev.porescope.cli.io.ArgbImage;
import dev.porescope.cli.io.ImageFiles;
import dev.porescope.cli.io.PngFiles;
import dev.porescope.cli.support.UserException;
import dev.porescope.core.synth.SkinSynthesizer;
import dev.porescope.core.synth.SynthConfig;
import dev.porescope.core.synth.SyntheticPhoto;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code porescope batch} on {@code local[2]} against {@code porescope analyze} of the same 50 small
 * photos (4 of them corrupt), one Spark session for the class.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BatchJobTest {
    static final int GOOD = 46;
    static final Set<String> CORRUPT = Set.of("truncated.png", "empty.png", "noise.jpg", "text.png");

    @TempDir
    static Path tmp;
    static Path photos;
    static SparkSession spark;
    static ModelPayload model;
    /** analyze's answer: photo file name -> pore count (absent for photos analyze could not read). */
    static Map<String, Integer> expected;
    static Set<String> analyzeFailed;
    /** analyze's answer per zone: photo file name -> zone -> pore count (the summary CSV's zone rows). */
    static Map<String, Map<String, Integer>> expectedZones;

    @BeforeAll
    static void setUp() throws IOException {
        photos = tmp.resolve("photos");
        Path sub = photos.resolve("sub");
        long[] seeds = new SplittableRandom(3).longs(GOOD).toArray();
        for (int i = 0; i < GOOD; i++) {
            SynthConfig config = i % 2 == 0 ? SynthConfig.defaults(96, 96) : SynthConfig.hard(96, 96);
            SyntheticPhoto p = new SkinSynthesizer(config).generate(String.format(Locale.ROOT, "p%02d", i), seeds[i]);
            // half in a subfolder: binaryFile reads folders recursively
            PngFiles.writeArgb(new ArgbImage(p.width(), p.height(), p.argb()), (i < GOOD / 2 ? photos : sub).resolve(p.name() + ".png"));
        }
        byte[] good = Files.readAllBytes(photos.resolve("p00.png"));
        Files.write(photos.resolve("truncated.png"), java.util.Arrays.copyOf(good, good.length / 2));
        Files.write(photos.resolve("empty.png"), new byte[0]);
        byte[] noise = new byte[3000];
        new SplittableRandom(5).nextBytes(noise);
        noise[0] = (byte) 0xFF;
        noise[1] = (byte) 0xD8;
        Files.write(sub.resolve("noise.jpg"), noise);
        Files.writeString(sub.resolve("text.png"), "not a photo\n");
        Files.writeString(photos.resolve("notes.txt"), "not matched by the photo glob\n");

        // the independent answer: porescope analyze on the same files, with its default zones as batch's default
        Path summary = tmp.resolve("analyze.csv");
        ByteArrayOutputStream ignored = new ByteArrayOutputStream();
        Main.run(new PrintStream(ignored, true, StandardCharsets.UTF_8), new PrintStream(ignored, true, StandardCharsets.UTF_8),
                "analyze", photos.toString(), sub.toString(), "--summary-csv", summary.toString());
        expected = new HashMap<>();
        expectedZones = new HashMap<>();
        analyzeFailed = new HashSet<>();
        List<String> lines = Files.readAllLines(summary);
        int zoneColumn = List.of(lines.get(0).split(",")).indexOf("zone");
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            String name = Path.of(f[0]).getFileName().toString();
            if (!f[1].equals("ok")) {
                analyzeFailed.add(name); // (its quoted message may hold commas: no further column is read)
                continue;
            }
            String zone = f[zoneColumn];
            if (!zone.isEmpty() && !zone.equals("all")) {
                expectedZones.computeIfAbsent(name, k -> new HashMap<>()).put(zone, Integer.parseInt(f[4]));
            } else {
                expected.put(name, Integer.parseInt(f[4]));
            }
        }
        assertEquals(GOOD, expected.size(), "analyze reads every good photo");
        assertEquals(CORRUPT, analyzeFailed, "analyze refuses exactly the corrupt ones");
        assertEquals(GOOD, expectedZones.size(), "analyze counts every good photo by zone (the skin of a close-up)");

        spark = SparkSession.builder().master("local[2]").appName("BatchJobTest")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
                .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1").getOrCreate();
        model = ModelPayload.resolve(null, new PrintWriter(new StringWriter()));
    }

    @AfterAll
    static void tearDown() {
        if (spark != null) spark.stop();
    }

    static PhotoBatch.Report run(Path out, boolean incremental, int batchPhotos, PhotoBatch.Listener listener) {
        PhotoBatch.Settings s = new PhotoBatch.Settings(List.of(photos.toUri().toString()), out.toUri().toString(),
                "*.{png,jpg,jpeg}", incremental, batchPhotos, ImageFiles.DEFAULT_MAX_PIXELS, Zones.AUTO);
        return new PhotoBatch(spark, s, model, new PrintWriter(new StringWriter()), listener).run();
    }

    static List<Row> photoRows(Path out) {
        return spark.read().parquet(out.resolve(Tables.PHOTOS).toString()).collectAsList();
    }

    static String name(Row r) {
        String path = r.getAs("path");
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** Every photo exactly once; ok rows carry analyze's count, error rows are the corrupt photos; pores match counts. */
    static void assertComplete(Path out) {
        List<Row> rows = photoRows(out);
        assertEquals(GOOD + CORRUPT.size(), rows.size(), "one row per photo");
        assertEquals(rows.size(), rows.stream().map(BatchJobTest::name).distinct().count(), "no photo twice");
        Map<String, Integer> counts = new HashMap<>();
        Map<String, Map<String, Integer>> zoneCounts = new HashMap<>();
        for (Row r : rows) {
            assertEquals(Zones.AUTO.text(), r.getAs("zones_mode"));
            String status = r.getAs("status");
            if (CORRUPT.contains(name(r))) {
                assertEquals(Tables.STATUS_ERROR, status, name(r));
                String error = r.getAs("error");
                assertTrue(error.contains(name(r)), "the error names the file: " + error);
            } else {
                assertEquals(Tables.STATUS_OK, status, name(r) + ": " + r.getAs("error"));
                counts.put(name(r), r.getAs("pores"));
                assertTrue(r.getAs("zone_finder") != null && r.getAs("zone_status") != null, "who found the zones, and what");
                List<Row> zones = r.getList(r.fieldIndex("zones"));
                for (Row z : zones) {
                    zoneCounts.computeIfAbsent(name(r), k -> new HashMap<>()).put(z.getAs("zone"), z.getAs("pores"));
                }
                assertEquals(96, (int) r.getAs("width"));
            }
            assertEquals(model.digest(), r.getAs("model_digest"));
        }
        assertEquals(expected, counts, "per-photo pore counts equal analyze's");
        assertEquals(expectedZones, zoneCounts, "per-zone pore counts equal analyze's summary rows");
        Map<String, Long> poreRows = spark.read().parquet(out.resolve(Tables.PORES).toString())
                .groupBy("path").count().collectAsList().stream()
                .collect(Collectors.toMap(r -> { String p = r.getString(0); return p.substring(p.lastIndexOf('/') + 1); },
                        r -> r.getLong(1)));
        Map<String, Long> nonZero = expected.entrySet().stream().filter(e -> e.getValue() > 0)
                .collect(Collectors.toMap(Map.Entry::getKey, e -> (long) e.getValue()));
        assertEquals(nonZero, poreRows, "one pore row per pore of each photo, none twice");
        assertFalse(Files.exists(out.resolve(Tables.PENDING)) && out.resolve(Tables.PENDING).toFile().list().length > 0,
                "nothing left pending");
    }

    @Test
    @Order(1)
    void batchEqualsAnalyzeAndFailedPhotosAreErrorRows() throws IOException {
        Path out = tmp.resolve("out");
        PhotoBatch.Report r = run(out, false, 1000, (stage, i, id) -> { });
        assertEquals(GOOD + CORRUPT.size(), r.found());
        assertEquals(GOOD, r.ok());
        assertEquals(CORRUPT.size(), r.failed());
        assertComplete(out);

        // the pore table holds analyze's ImageJ table: same areas, in order, for a photo with pores
        String photo = expected.entrySet().stream().filter(e -> e.getValue() > 3).map(Map.Entry::getKey).sorted().findFirst().orElseThrow();
        Path file = Files.exists(photos.resolve(photo)) ? photos.resolve(photo) : photos.resolve("sub").resolve(photo);
        Path csv = tmp.resolve("one.csv");
        ByteArrayOutputStream ignored = new ByteArrayOutputStream();
        assertEquals(0, Main.run(new PrintStream(ignored), new PrintStream(ignored), "analyze", file.toString(), "--zones", "none", "--csv", csv.toString()));
        List<String> csvLines = Files.readAllLines(csv);
        List<Double> csvAreas = csvLines.subList(1, csvLines.size()).stream().map(l -> Double.parseDouble(l.split(",")[1])).toList();
        List<Double> tableAreas = spark.read().parquet(out.resolve(Tables.PORES).toString())
                .where(col("path").endsWith("/" + photo)).orderBy("pore").select("area").collectAsList()
                .stream().map(x -> x.getDouble(0)).toList();
        assertEquals(csvAreas, tableAreas);

        // one ONNX Runtime session in this (executor) JVM for every task so far
        assertEquals(1, ExecutorModels.loads());
    }

    @Test
    @Order(2)
    void incrementalRerunAnalysesNothingNew() {
        Path out = tmp.resolve("out");
        PhotoBatch.Report r = run(out, true, 1000, (stage, i, id) -> { });
        assertEquals(GOOD + CORRUPT.size(), r.skipped());
        assertEquals(0, r.ok() + r.failed());
        assertEquals(0, r.batches());
        assertComplete(out);
        // and without --incremental the filled output is refused rather than doubled
        UserException refused = assertThrows(UserException.class, () -> run(out, false, 1000, (stage, i, id) -> { }));
        assertTrue(refused.getMessage().contains("--incremental"), refused.getMessage());
        assertComplete(out);
    }

    @Test
    @Order(3)
    void runsStoppedHalfWayResumeWithEveryPhotoOnce() {
        Path out = tmp.resolve("stopped");
        // batches of 17, 17 and 16 photos. Run 1 stops between committing batch 1's pores and its photos
        assertThrows(Stop.class, () -> run(out, false, 17, (stage, i, id) -> {
            if (i == 1 && stage == PhotoBatch.Stage.PORES_COMMITTED) throw new Stop();
        }));
        assertEquals(17, photoRows(out).size());
        // run 2 skips batch 0, commits batch 1 again (its orphaned pores removed first), and stops after
        // batch 2 was analysed but before it was committed
        assertThrows(Stop.class, () -> run(out, true, 17, (stage, i, id) -> {
            if (i == 2 && stage == PhotoBatch.Stage.ANALYSED) throw new Stop();
        }));
        assertEquals(34, photoRows(out).size());
        // run 3 finishes: only the 16 photos never committed are analysed
        PhotoBatch.Report r = run(out, true, 17, (stage, i, id) -> { });
        assertEquals(16, r.ok() + r.failed());
        assertEquals(34, r.skipped());
        assertComplete(out);
        assertEquals(1, ExecutorModels.loads(), "the model stays loaded across runs and batches");
    }

    @Test
    @Order(4)
    void commandLine() throws IOException {
        Path out = tmp.resolve("cli");
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int code = SparkMain.run(new PrintStream(stdout, true, StandardCharsets.UTF_8), new PrintStream(stderr, true, StandardCharsets.UTF_8),
                "batch", "--input", photos.resolve("sub").toString(), "--output", out.toString(), "--model", "dog",
                "--zones", "none");
        assertEquals(0, code, stderr.toString(StandardCharsets.UTF_8));
        for (Row r : photoRows(out)) {
            assertEquals(Zones.NONE.text(), r.getAs("zones_mode"), "--zones none: the whole photo");
            assertTrue(r.isNullAt(r.fieldIndex("zones")), "--zones none: no zones");
            if (Tables.STATUS_OK.equals(r.getAs("status"))) {
                assertEquals(96L * 96, (long) r.getAs("roi_px"), "--zones none counts over the whole photo");
            }
        }
        long subPhotos;
        try (Stream<Path> s = Files.list(photos.resolve("sub"))) {
            subPhotos = s.count();
        }
        assertTrue(stdout.toString(StandardCharsets.UTF_8).startsWith(subPhotos + " photos found"), stdout.toString(StandardCharsets.UTF_8));
        assertEquals(subPhotos, photoRows(out).size());
        assertTrue(spark.sparkContext().isStopped() == false, "the test's session is not stopped by the command");

        // bad usage: exit 2; a model the executors cannot run, or no photos: exit 1 with one line
        assertEquals(2, SparkMain.run(new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()),
                "batch", "--output", out.toString()));
        assertEquals(2, SparkMain.run(new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()),
                "batch", "--input", photos.toString(), "--output", tmp.resolve("z").toString(), "--zones", "face"));
        Path pt = Files.writeString(tmp.resolve("model.pt"), "x");
        ByteArrayOutputStream e2 = new ByteArrayOutputStream();
        assertEquals(1, SparkMain.run(new PrintStream(new ByteArrayOutputStream()), new PrintStream(e2, true, StandardCharsets.UTF_8),
                "batch", "--input", photos.toString(), "--output", tmp.resolve("x").toString(), "--model", pt.toString()));
        assertTrue(e2.toString(StandardCharsets.UTF_8).startsWith("porescope: batch runs ONNX Runtime models"), e2.toString(StandardCharsets.UTF_8));
        ByteArrayOutputStream e3 = new ByteArrayOutputStream();
        assertEquals(1, SparkMain.run(new PrintStream(new ByteArrayOutputStream()), new PrintStream(e3, true, StandardCharsets.UTF_8),
                "batch", "--input", tmp.resolve("missing").toString(), "--output", tmp.resolve("y").toString(), "--model", "dog"));
        String line = e3.toString(StandardCharsets.UTF_8).strip();
        assertTrue(line.startsWith("porescope: ") && line.contains("missing") && !line.contains("\n"), line);
    }

    /** A simulated kill of the driver at a chosen point. */
    static final class Stop extends RuntimeException {
        Stop() {
            super("simulated stop");
        }
    }
}
