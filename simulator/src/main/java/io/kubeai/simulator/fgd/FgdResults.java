package io.kubeai.simulator.fgd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Function;

/** The runs of an experiment, in grid order, with medians over seeds. */
public record FgdResults(List<FgdRunResult> runs, double inflate, int threads, long wallNanos) {

    /** Which curve of a run. */
    public enum Metric {
        ALLOCATION(FgdRunResult::allocationPercent),
        FRAGMENTATION(FgdRunResult::fragmentationPercent),
        FRAGMENTATION_RATE(FgdRunResult::fragmentationRatePercent);

        private final Function<FgdRunResult, double[]> curve;

        Metric(Function<FgdRunResult, double[]> curve) {
            this.curve = curve;
        }

        public double[] of(FgdRunResult run) {
            return curve.apply(run);
        }
    }

    public FgdResults {
        runs = List.copyOf(runs);
    }

    public List<String> workloads() {
        LinkedHashSet<String> s = new LinkedHashSet<>();
        runs.forEach(r -> s.add(r.workload()));
        return new ArrayList<>(s);
    }

    public List<String> policies() {
        LinkedHashSet<String> s = new LinkedHashSet<>();
        runs.forEach(r -> s.add(r.policy()));
        return new ArrayList<>(s);
    }

    public List<Long> seeds() {
        LinkedHashSet<Long> s = new LinkedHashSet<>();
        runs.forEach(r -> s.add(r.seed()));
        return new ArrayList<>(s);
    }

    public List<FgdRunResult> runsOf(String workload, String policy) {
        List<FgdRunResult> out = new ArrayList<>();
        for (FgdRunResult r : runs) {
            if (r.workload().equals(workload) && r.policy().equals(policy)) {
                out.add(r);
            }
        }
        return out;
    }

    /** Median over seeds of a metric at an arrived percentage (NaN values ignored). */
    public double median(String workload, String policy, Metric metric, int arrivedPercent) {
        List<FgdRunResult> rs = runsOf(workload, policy);
        double[] v = new double[rs.size()];
        int n = 0;
        for (FgdRunResult r : rs) {
            double x = metric.of(r)[arrivedPercent];
            if (!Double.isNaN(x)) {
                v[n++] = x;
            }
        }
        return median(Arrays.copyOf(v, n));
    }

    /** The median curve over seeds, 0..130 %. */
    public double[] medianCurve(String workload, String policy, Metric metric) {
        double[] out = new double[ArrivalCurve.MAX_PERCENT + 1];
        for (int p = 0; p <= ArrivalCurve.MAX_PERCENT; p++) {
            out[p] = median(workload, policy, metric, p);
        }
        return out;
    }

    /** Median wall time of one run of this workload and policy, in milliseconds. */
    public double medianRunMillis(String workload, String policy) {
        List<FgdRunResult> rs = runsOf(workload, policy);
        double[] v = new double[rs.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = rs.get(i).elapsedNanos() / 1e6;
        }
        return median(v);
    }

    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] v = values.clone();
        Arrays.sort(v);
        int m = v.length / 2;
        return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
    }
}
