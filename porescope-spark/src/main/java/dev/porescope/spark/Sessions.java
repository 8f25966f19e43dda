package dev.porescope.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** Starting Spark in-process ({@code local[*]}) or joining the session spark-submit set up. */
final class Sessions {
    private Sessions() { }

    /** Quiet Spark logging for in-process runs (warnings and errors only, on stderr). */
    static final String QUIET_LOG = "dev/porescope/spark/log4j2-quiet.properties";

    /**
     * A session and whether this call started it (then the caller stops it).
     *
     * @param master the master URL given on the command line, or null: spark-submit's, else {@code local[*]}
     */
    record Started(SparkSession spark, boolean owned) implements AutoCloseable {
        @Override
        public void close() {
            if (owned) spark.stop();
        }
    }

    static Started start(String master, String appName) {
        SparkSession existing = SparkSession.getActiveSession().getOrElse(() -> SparkSession.getDefaultSession().getOrElse(() -> null));
        if (existing != null) return new Started(existing, false);
        String chosen = master != null ? master : new SparkConf().get("spark.master", "local[*]");
        if (chosen.startsWith("local") && System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "classpath:" + QUIET_LOG);
        }
        SparkSession.Builder builder = SparkSession.builder().appName(appName).master(chosen);
        if (chosen.startsWith("local")) {
            // in-process: no web UI, and the driver's ports on the loopback interface only
            builder.config("spark.ui.enabled", "false")
                    .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
                    .config("spark.sql.debug.maxToStringFields", "200"); // the photo row is wider than Spark's default 25
        }
        return new Started(builder.getOrCreate(), true);
    }
}
