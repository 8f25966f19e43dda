package dev.porescope.core.metrics;

/**
 * Summary of per-image agreement values in the paper's Table 3 form.
 * {@code std} and {@code variance} are sample statistics (divisor n - 1), 0 for a single value.
 */
public record Agreement(int count, double mean, double std, double variance, double min, double max) {

    public static Agreement of(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("agreement needs at least one value");
        }
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            sum += v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double mean = sum / values.length;
        double ss = 0;
        for (double v : values) ss += (v - mean) * (v - mean);
        double variance = values.length > 1 ? ss / (values.length - 1) : 0;
        return new Agreement(values.length, mean, Math.sqrt(variance), variance, min, max);
    }
}
