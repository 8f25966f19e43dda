package dev.porescope.spark;

/**
 * The class spark-submit runs: {@code spark-submit --class dev.porescope.spark.SubmitMain
 * porescope-spark-VERSION-all.jar --input ... --output ...} is {@code porescope batch --input ...}.
 */
public final class SubmitMain {
    private SubmitMain() { }

    public static void main(String[] args) {
        String[] batch = new String[args.length + 1];
        batch[0] = "batch";
        System.arraycopy(args, 0, batch, 1, args.length);
        SparkMain.main(batch);
    }
}
