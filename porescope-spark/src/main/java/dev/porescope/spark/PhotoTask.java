package dev.porescope.spark;

import dev.porescope.cli.analyze.PhotoAnalysis;
import dev.porescope.cli.analyze.PhotoRunner;
import dev.porescope.cli.analyze.Zones;
import dev.porescope.cli.io.ArgbImage;
import dev.porescope.cli.io.ImageFiles;
import dev.porescope.cli.report.PoreTable;
import dev.porescope.cli.support.Messages;
import dev.porescope.core.face.FaceZones;
import dev.porescope.core.face.Zone;
import dev.porescope.core.face.ZoneFigures;
import dev.porescope.core.image.Luma;
import dev.porescope.core.image.Plane;
import dev.porescope.core.pipeline.PoreAnalyzer;
import dev.porescope.core.pores.Pore;
import dev.porescope.core.pores.PoreSummary;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;

/**
 * The executor side of a batch: turns rows of Spark's {@code binaryFile} source (path, length,
 * content hash, content) into {@link Tables#ANALYSIS} rows, one photo at a time (the iterator is
 * lazy: a task never holds more than the photo it is working on). Photos are decoded by the CLI's
 * {@link ImageFiles} (the same checks and pixel limit as {@code analyze}) and analysed by
 * {@link PoreAnalyzer#analyze}; a photo that fails becomes an error row.
 */
final class PhotoTask implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    private final Broadcast<ModelPayload> model;
    private final long maxPixels;
    private final Zones zones;

    /** @param zones {@code AUTO}: find the face zones as {@code analyze} does; {@code NONE}: the whole photo */
    PhotoTask(Broadcast<ModelPayload> model, long maxPixels, Zones zones) {
        this.model = model;
        this.maxPixels = maxPixels;
        this.zones = zones;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> photos) {
        ModelPayload payload = model.value();
        ImageFiles files = new ImageFiles(maxPixels);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return photos.hasNext();
            }

            @Override
            public Row next() {
                Row in = photos.next();
                return analyse(payload, files, zones, in.getString(0), in.getLong(1), in.getString(2), (byte[]) in.get(3));
            }
        };
    }

    /** One photo's row: analysed, or an error row saying why not. */
    static Row analyse(ModelPayload model, ImageFiles files, Zones zonesOption, String path, long size, String contentHash,
                       byte[] content) {
        long start = System.nanoTime();
        String zonesMode = zonesOption.text();
        String key = photoKey(path, contentHash, model.digest(), zonesMode);
        try {
            ImageFiles.Size header = files.readSize(content, path);
            PoreAnalyzer analyzer = ExecutorModels.analyzer(model);
            // the pixel limit was checked from the header; now wait for heap for this photo's planes
            int permit = ExecutorModels.reserve(header.pixels() * PhotoRunner.BYTES_PER_PIXEL);
            PoreAnalyzer.Analysis analysis;
            FaceZones zones;
            int w;
            int h;
            try {
                ArgbImage argb = files.readArgb(content, path);
                w = argb.width();
                h = argb.height();
                // the same zones and refusals as analyze (--zones auto): one home, PhotoAnalysis.findZones
                zones = zonesOption.found() ? PhotoAnalysis.findZones(argb, path) : null;
                Plane luma = Luma.fromArgb(argb.argb(), w, h);
                argb = null;
                analysis = analyzer.analyze(luma, zones == null ? null : zones.analysed());
            } finally {
                ExecutorModels.release(permit);
            }
            return okRow(key, path, size, contentHash, model, w, h, analysis, zonesMode, zones, (System.nanoTime() - start) / 1e9);
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
            return errorRow(key, path, size, contentHash, model, zonesMode, Messages.message(e), (System.nanoTime() - start) / 1e9);
        }
    }

    private static Row okRow(String key, String path, long size, String contentHash, ModelPayload model, int w, int h,
                             PoreAnalyzer.Analysis analysis, String zonesMode, FaceZones zones, double seconds) {
        PoreSummary s = analysis.summary();
        List<Row> bins = new ArrayList<>(s.areaHistogram().size());
        for (PoreSummary.Bin b : s.areaHistogram()) bins.add(RowFactory.create(b.from(), b.to(), b.count()));
        List<Row> pores = new ArrayList<>(analysis.pores().size());
        int number = 0;
        for (Pore p : analysis.pores()) {
            double[] v = PoreTable.values(p, null);
            Object[] cells = new Object[v.length + 2];
            cells[0] = ++number;
            for (int i = 0; i < v.length; i++) cells[i + 1] = v[i];
            Zone zone = zones == null ? null : ZoneFigures.zoneOf(p, zones);
            cells[v.length + 1] = zone == null ? null : zone.id();
            pores.add(RowFactory.create(cells));
        }
        List<Row> zoneRows = null;
        if (zones != null) {
            zoneRows = new ArrayList<>();
            for (ZoneFigures f : ZoneFigures.of(analysis.pores(), zones, null)) {
                PoreSummary z = f.summary();
                zoneRows.add(RowFactory.create(f.name(), f.label(), z.roiPixels(), z.count(), z.per100x100(), z.meanArea(),
                        z.medianArea(), z.poreFraction(), f.score()));
            }
        }
        return RowFactory.create(key, path, size, contentHash, model.digest(), model.cardName(), Tables.STATUS_OK, null,
                w, h, s.count(), s.roiPixels(), s.per100x100(), s.meanArea(), s.medianArea(), s.poreFraction(),
                seq(bins), zonesMode, zones == null ? null : zones.status().name().toLowerCase(java.util.Locale.ROOT),
                zones == null ? null : zones.finder(), zones == null ? null : zones.note(), zoneRows == null ? null : seq(zoneRows), seconds, seq(pores));
    }

    /** Spark's Row encoder takes arrays as Scala sequences. */
    private static scala.collection.immutable.Seq<Row> seq(List<Row> rows) {
        return scala.jdk.javaapi.CollectionConverters.asScala(rows).toList();
    }

    /** A photo that could not be analysed (or read): its key columns and the one-line reason. */
    static Row errorRow(String key, String path, long size, String contentHash, ModelPayload model, String zonesMode,
                        String error, double seconds) {
        return RowFactory.create(key, path, size, contentHash, model.digest(), model.cardName(), Tables.STATUS_ERROR, error,
                null, null, null, null, null, null, null, null, null, zonesMode, null, null, null, null, seconds, null);
    }

    /**
     * The key that ties a photo row to its pore rows: SHA-256 (first 32 hex digits) of path, content hash, model
     * digest and zones mode.
     */
    static String photoKey(String path, String contentHash, String modelDigest, String zonesMode) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((path + '\n' + contentHash + '\n' + modelDigest + '\n' + zonesMode).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest()).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
