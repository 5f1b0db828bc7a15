package io.flinkcommander.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** A set of latencies (nanoseconds), sorted, and the figures the report gives of them. */
final class Latencies {

    private final long[] sorted;

    private Latencies(long[] sorted) {
        this.sorted = sorted;
    }

    /** The first {@code count} values of {@code nanos}. */
    static Latencies of(long[] nanos, int count) {
        long[] copy = Arrays.copyOf(nanos, count);
        Arrays.sort(copy);
        return new Latencies(copy);
    }

    int count() {
        return sorted.length;
    }

    /** Nearest-rank percentile in milliseconds; 0 when empty. */
    double millis(double quantile) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(quantile * sorted.length) - 1));
        return round(sorted[rank] / 1e6);
    }

    /** p50, p95, p99 and max, in ms. */
    Map<String, Object> figures() {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("p50Ms", millis(0.50));
        figures.put("p95Ms", millis(0.95));
        figures.put("p99Ms", millis(0.99));
        figures.put("maxMs", millis(1.0));
        return figures;
    }

    /** The percentile axis of {@link #distribution}: 0 = p0, 1 = p90, 2 = p99, 3 = p99.9. */
    static final double TAIL_NINES = 3;

    /**
     * The latency distribution as (nines, latency ms) pairs, {@code points} of them: x is
     * -log10(1 - quantile), so p90, p99 and p99.9 are evenly spaced and the tail shows.
     */
    double[][] distribution(int points) {
        if (sorted.length == 0) {
            return new double[][] {new double[0], new double[0]};
        }
        double[] x = new double[points];
        double[] y = new double[points];
        for (int i = 0; i < points; i++) {
            x[i] = TAIL_NINES * i / (points - 1);
            // Floor at 0.1 ms: the chart's latency axis is logarithmic.
            y[i] = Math.max(millis(1 - Math.pow(10, -x[i])), 0.1);
        }
        return new double[][] {x, y};
    }

    static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
