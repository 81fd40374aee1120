package io.kubeai.simulator.tune;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What one configuration measured: for each seed of the space, every {@link TuneMetric} of its
 * run, and the median, least and greatest over the seeds. Immutable.
 */
public final class Evaluation {
    private final Candidate candidate;
    private final double[][] runs;

    /** {@code runs[seed][metric]}, metrics in the order of {@link TuneMetric#ALL}. */
    public Evaluation(Candidate candidate, double[][] runs) {
        this.candidate = Objects.requireNonNull(candidate, "candidate");
        this.runs = new double[runs.length][];
        for (int s = 0; s < runs.length; s++) {
            if (runs[s].length != TuneMetric.ALL.size()) {
                throw new IllegalArgumentException("run " + s + " of configuration " + candidate.index() + " has "
                        + runs[s].length + " metrics, expected " + TuneMetric.ALL.size());
            }
            this.runs[s] = runs[s].clone();
        }
    }

    public Candidate candidate() {
        return candidate;
    }

    public int seeds() {
        return runs.length;
    }

    /** The value of {@code metric} in the run with the seed at {@code seedIndex}. */
    public double value(int seedIndex, TuneMetric metric) {
        return runs[seedIndex][metric.index()];
    }

    /** Every seed's value of {@code metric}, in the order of the space's seeds. */
    public double[] values(TuneMetric metric) {
        double[] out = new double[runs.length];
        for (int s = 0; s < runs.length; s++) {
            out[s] = runs[s][metric.index()];
        }
        return out;
    }

    /** {@code runs[seed][metric]}, a copy. */
    public double[][] runs() {
        double[][] out = new double[runs.length][];
        for (int s = 0; s < runs.length; s++) {
            out[s] = runs[s].clone();
        }
        return out;
    }

    /** The median over seeds (the mean of the middle two for an even count); NaN runs are left out. */
    public double median(TuneMetric metric) {
        double[] v = finite(metric);
        if (v.length == 0) {
            return Double.NaN;
        }
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    public double min(TuneMetric metric) {
        double[] v = finite(metric);
        return v.length == 0 ? Double.NaN : v[0];
    }

    public double max(TuneMetric metric) {
        double[] v = finite(metric);
        return v.length == 0 ? Double.NaN : v[v.length - 1];
    }

    private double[] finite(TuneMetric metric) {
        List<Double> out = new ArrayList<>(runs.length);
        for (double[] r : runs) {
            double x = r[metric.index()];
            if (!Double.isNaN(x)) {
                out.add(x);
            }
        }
        double[] a = out.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        return a;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Evaluation e && candidate.equals(e.candidate) && Arrays.deepEquals(runs, e.runs);
    }

    @Override
    public int hashCode() {
        return 31 * candidate.hashCode() + Arrays.deepHashCode(runs);
    }

    @Override
    public String toString() {
        return "Evaluation[" + candidate + ", " + Arrays.deepToString(runs) + "]";
    }
}
