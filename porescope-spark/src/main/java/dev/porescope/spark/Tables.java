package dev.porescope.spark;

import dev.porescope.cli.report.PoreTable;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Parquet tables {@code porescope batch} writes under its output folder, and their columns.
 *
 * <pre>
 * OUTPUT/photos/batch=ID/part-*.parquet   one row per photo (ok or error), its face zones in a column
 * OUTPUT/pores/batch=ID/part-*.parquet    one row per pore
 * OUTPUT/_pending/ID/                     a batch being written (Spark ignores names starting with _)
 * </pre>
 *
 * A batch becomes visible when its {@code photos/batch=ID} folder is renamed into place, after its
 * {@code pores/batch=ID}; readers read {@code OUTPUT/photos} and {@code OUTPUT/pores} as tables
 * partitioned by {@code batch}.
 */
public final class Tables {
    private Tables() { }

    public static final String PHOTOS = "photos";
    public static final String PORES = "pores";
    public static final String PENDING = "_pending";
    /** The partition column: one folder per committed batch. */
    public static final String BATCH = "batch";

    public static final String STATUS_OK = "ok";
    public static final String STATUS_ERROR = "error";

    /**
     * Pore columns: ImageJ "Analyze Particles" columns of {@link PoreTable#COLUMNS} as Parquet names
     * (" " = the pore number becomes {@code pore}; {@code Perim.} becomes {@code perim}), in pixels.
     */
    public static final List<String> PORE_COLUMNS = PoreTable.COLUMNS.stream()
            .map(c -> c.isBlank() ? "pore" : c.toLowerCase(Locale.ROOT).replace(".", "")).toList();

    /**
     * One measured pore: {@link #PORE_COLUMNS}, the number an int, the rest doubles; then {@code zone}, the
     * face zone it is counted in ({@code Zone} id, as {@code analyze --json}), null without zones.
     */
    public static final StructType PORE = poreStruct();

    /** The area histogram bins of {@code PoreSummary}, px^2 (the last bin has no upper edge). */
    public static final StructType BIN = new StructType()
            .add("from_px", DataTypes.DoubleType, false)
            .add("to_px", DataTypes.DoubleType, true)
            .add("count", DataTypes.IntegerType, false);

    /**
     * One face zone of a photo, as a row of {@code analyze --summary-csv} and {@code zones} of its JSON:
     * the zone's pixels, pores, density, areas (px^2), pore fraction and 0-100 pore score.
     */
    public static final StructType ZONE = new StructType()
            .add("zone", DataTypes.StringType, false)
            .add("label", DataTypes.IntegerType, false)
            .add("pixels", DataTypes.LongType, false)
            .add("pores", DataTypes.IntegerType, false)
            .add("pores_per_100x100_px", DataTypes.DoubleType, false)
            .add("mean_area_px", DataTypes.DoubleType, false)
            .add("median_area_px", DataTypes.DoubleType, false)
            .add("pore_fraction", DataTypes.DoubleType, false)
            .add("pore_score", DataTypes.DoubleType, false);


    /** Columns of a photo row, in order (the pore list and the batch folder come on top). */
    public static final StructType PHOTO = new StructType()
            .add("photo_key", DataTypes.StringType, false)
            .add("path", DataTypes.StringType, false)
            .add("size_bytes", DataTypes.LongType, false)
            .add("content_hash", DataTypes.StringType, true)
            .add("model_digest", DataTypes.StringType, false)
            .add("model", DataTypes.StringType, false)
            .add("status", DataTypes.StringType, false)
            .add("error", DataTypes.StringType, true)
            .add("width", DataTypes.IntegerType, true)
            .add("height", DataTypes.IntegerType, true)
            .add("pores", DataTypes.IntegerType, true)
            .add("roi_px", DataTypes.LongType, true)
            .add("pores_per_100x100_px", DataTypes.DoubleType, true)
            .add("mean_area_px", DataTypes.DoubleType, true)
            .add("median_area_px", DataTypes.DoubleType, true)
            .add("pore_fraction", DataTypes.DoubleType, true)
            .add("area_histogram", DataTypes.createArrayType(BIN, false), true)
            .add("zones_mode", DataTypes.StringType, false)
            .add("zone_status", DataTypes.StringType, true)
            .add("zone_finder", DataTypes.StringType, true)
            .add("zone_note", DataTypes.StringType, true)
            .add("zones", DataTypes.createArrayType(Tables.ZONE, false), true)
            .add("seconds", DataTypes.DoubleType, true);

    /** What a task returns per photo: the photo row and its pores, staged before the two tables are written. */
    public static final StructType ANALYSIS = PHOTO.add("pore_list", DataTypes.createArrayType(PORE, false), true);

    private static StructType poreStruct() {
        List<StructField> fields = new ArrayList<>();
        for (int i = 0; i < PORE_COLUMNS.size(); i++) {
            DataType type = i == 0 ? DataTypes.IntegerType : DataTypes.DoubleType;
            fields.add(DataTypes.createStructField(PORE_COLUMNS.get(i), type, false));
        }
        fields.add(DataTypes.createStructField("zone", DataTypes.StringType, true));
        return DataTypes.createStructType(fields);
    }
}
