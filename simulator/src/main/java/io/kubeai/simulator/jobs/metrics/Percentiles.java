package io.kubeai.simulator.jobs.metrics;

import java.util.Arrays;

/**
 * Nearest-rank percentiles of a sample of durations in seconds; all NaN when it is empty.
 * O(n log n) to build.
 */
public record Percentiles(int count, double mean, double p50, double p95, double p99, double max) {

    public static final Percentiles EMPTY = new Percentiles(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
            Double.NaN);

    public static Percentiles of(long[] values) {
        if (values.length == 0) {
            return EMPTY;
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        double sum = 0;
        for (long v : sorted) {
            sum += v;
        }
        return new Percentiles(sorted.length, sum / sorted.length, rank(sorted, 50), rank(sorted, 95), rank(sorted, 99),
                sorted[sorted.length - 1]);
    }

    /** The smallest value with at least {@code pct} % of the sample at or below it. */
    static double rank(long[] sorted, int pct) {
        int r = (int) Math.ceil(pct / 100.0 * sorted.length);
        return sorted[Math.max(0, r - 1)];
    }
}
