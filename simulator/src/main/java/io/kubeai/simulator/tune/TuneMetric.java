package io.kubeai.simulator.tune;

import io.kubeai.simulator.jobs.JobSpec;
import io.kubeai.simulator.jobs.metrics.JobMetrics;
import io.kubeai.simulator.jobs.metrics.Percentiles;
import io.kubeai.simulator.jobs.stagger.StaggerExperiment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * A figure of one simulation run that tuning can optimise or constrain: its name, whether more is
 * better, its unit, and how it is read from {@link JobMetrics} or, for the staggering scenario's
 * own figures (deadline misses, peak-to-average), from its run. {@link #ALL} is the registry; a
 * new objective is one more line there. NaN means the run has nothing to measure (no job of that tier).
 *
 * @param name what users write in objectives and constraints
 * @param higherIsBetter the direction it is optimised in
 * @param unit how values read and print
 * @param description one sentence for the report
 * @param staggerOnly measured only by the staggering scenario ({@link TuneScenario#STAGGER})
 */
public record TuneMetric(String name, boolean higherIsBetter, Unit unit, String description, boolean staggerOnly,
        ToDoubleFunction<Measured> read) {

    /**
     * What one run measured: the job simulation's figures, and for the staggering scenario its
     * run (deadlines, peak-to-average, elastic reclaims), else null.
     */
    public record Measured(JobMetrics metrics, StaggerExperiment.Run stagger) {
        public Measured {
            java.util.Objects.requireNonNull(metrics, "metrics");
        }
    }

    /** How values read and print. */
    public enum Unit {
        /** A share in [0, 1], printed as a percentage; constraints may be written in %. */
        FRACTION,
        /** Seconds, printed as a duration. */
        SECONDS,
        /** A count. */
        COUNT,
        /** A dimensionless score. */
        SCORE
    }

    /** Every metric, in the order reports list them. */
    public static final List<TuneMetric> ALL = registry();

    private static List<TuneMetric> registry() {
        List<TuneMetric> m = new ArrayList<>();
        m.add(jobs("gpuAllocation", true, Unit.FRACTION,
                "allocated GPU / cluster GPU, averaged while jobs arrive", JobMetrics::meanAllocation));
        for (int pct : new int[] {50, 95, 99}) {
            m.add(jobs("queueingDelayP" + pct, false, Unit.SECONDS,
                    "p" + pct + " of queueing delay (first start − submit), every job",
                    r -> pick(r.queueingDelay(), pct)));
            for (String tier : List.of(JobSpec.TIER_PROD, JobSpec.TIER_DEV)) {
                m.add(jobs("queueingDelayP" + pct + "." + tier, false, Unit.SECONDS,
                        "p" + pct + " of queueing delay of " + tier + " jobs",
                        r -> pick(r.queueingDelayByTier().getOrDefault(tier, Percentiles.EMPTY), pct)));
            }
        }
        m.add(jobs("completionTimeP95", false, Unit.SECONDS,
                "p95 of job completion time (end − submit) of completed jobs", r -> r.completionTime().p95()));
        m.add(jobs("evictions", false, Unit.COUNT, "jobs evicted (preemptions and reclaims)",
                r -> r.evictions()));
        m.add(jobs("wastedGpuHours", false, Unit.COUNT, "GPU-hours of progress lost to evictions",
                JobMetrics::wastedGpuHours));
        m.add(jobs("fairness", true, Unit.SCORE,
                "Jain's index over leaf queues of GPU share / guarantee, each capped at 1 (1 = every queue got "
                        + "its guarantee or all it asked for alike)", TuneMetric::jainFairness));
        m.add(jobs("fairness.worstQueue", true, Unit.FRACTION,
                "the lowest leaf queue's GPU share / guarantee, capped at 1", TuneMetric::worstQueue));
        m.add(jobs("fragmentation", false, Unit.FRACTION, "fragmented GPU / cluster GPU, mean of samples",
                JobMetrics::meanFragmentation));
        m.add(jobs("jobsDone", true, Unit.COUNT, "jobs completed", r -> r.jobsDone()));
        m.add(jobs("jobsFailed", false, Unit.COUNT, "jobs that timed out in their queue",
                r -> r.jobsFailed()));
        m.add(jobs("deadlocks", false, Unit.COUNT, "gangs found holding some pods with no way to get the rest",
                r -> r.deadlocks()));
        m.add(stagger("deadlineMisses", false, Unit.FRACTION,
                "production jobs due within the run not done by their deadline, over those due (stagger)",
                StaggerExperiment.Run::prodMissRate));
        m.add(stagger("gpuPeakToAverage", false, Unit.SCORE,
                "the busiest hour-of-day mean GPU allocation over the day's mean (stagger)",
                StaggerExperiment.Run::gpuPeakToAverage));
        m.add(stagger("cpuPeakToAverage", false, Unit.SCORE,
                "the busiest hour-of-day mean CPU in use (online, regular and elastic) over the day's mean (stagger)",
                StaggerExperiment.Run::cpuPeakToAverage));
        m.add(stagger("devGpuDelayP95", false, Unit.SECONDS,
                "p95 of queueing delay of development GPU jobs, small tasks left out (stagger)",
                r -> r.devDelay().p95()));
        m.add(stagger("smallTaskDelayP95", false, Unit.SECONDS, "p95 of queueing delay of the small tasks (stagger)",
                r -> r.smallDelay().p95()));
        m.add(stagger("closingEvictions", false, Unit.COUNT,
                "workloads evicted because the production queue's window closed (stagger)",
                r -> r.closingEvictions()));
        m.add(stagger("elasticReclaims", false, Unit.COUNT, "elastic pods evicted to give capacity back (stagger)",
                r -> r.stats().evictions()));
        return Collections.unmodifiableList(m);
    }

    private static TuneMetric jobs(String name, boolean higherIsBetter, Unit unit, String description,
            ToDoubleFunction<JobMetrics> read) {
        return new TuneMetric(name, higherIsBetter, unit, description, false, m -> read.applyAsDouble(m.metrics()));
    }

    private static TuneMetric stagger(String name, boolean higherIsBetter, Unit unit, String description,
            ToDoubleFunction<StaggerExperiment.Run> read) {
        return new TuneMetric(name, higherIsBetter, unit, description, true,
                m -> m.stagger() == null ? Double.NaN : read.applyAsDouble(m.stagger()));
    }

    private static final Map<String, TuneMetric> BY_NAME = byName();
    private static final Map<String, Integer> POSITION = positions();

    private static Map<String, Integer> positions() {
        Map<String, Integer> out = new java.util.HashMap<>();
        for (int i = 0; i < ALL.size(); i++) {
            out.put(ALL.get(i).name(), i);
        }
        return Collections.unmodifiableMap(out);
    }

    private static Map<String, TuneMetric> byName() {
        Map<String, TuneMetric> out = new java.util.LinkedHashMap<>();
        for (TuneMetric t : ALL) {
            out.put(t.name().toLowerCase(Locale.ROOT), t);
        }
        return Collections.unmodifiableMap(out);
    }

    /** The metric of that name, matched case-insensitively. */
    public static Optional<TuneMetric> named(String name) {
        return Optional.ofNullable(BY_NAME.get(name.strip().toLowerCase(Locale.ROOT)));
    }

    public static List<String> names() {
        return ALL.stream().map(TuneMetric::name).toList();
    }

    /** This metric's position in {@link #ALL} (and in every run's value vector). */
    public int index() {
        return POSITION.get(name);
    }

    /** Every metric of a job-simulation run, in the order of {@link #ALL}; the staggering ones NaN. */
    public static double[] valuesOf(JobMetrics run) {
        return valuesOf(new Measured(run, null));
    }

    /** Every metric of a run, in the order of {@link #ALL}. */
    public static double[] valuesOf(Measured run) {
        double[] v = new double[ALL.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = ALL.get(i).read().applyAsDouble(run);
        }
        return v;
    }

    /** Whether {@code a} is strictly better than {@code b}; NaN is worse than any number. */
    public boolean better(double a, double b) {
        if (Double.isNaN(a)) {
            return false;
        }
        if (Double.isNaN(b)) {
            return true;
        }
        return higherIsBetter ? a > b : a < b;
    }

    /** A value as a person reads it: 91.2 %, 1h05m, 17, 0.94. */
    public String format(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        return switch (unit) {
            case FRACTION -> String.format(Locale.ROOT, "%.2f %%", 100 * v);
            case SECONDS -> duration(v);
            case COUNT -> Math.rint(v) == v ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v);
            case SCORE -> String.format(Locale.ROOT, "%.4f", v);
        };
    }

    /** A change between two values: percentage points, a signed duration, a signed count. */
    public String formatChange(double d) {
        if (Double.isNaN(d)) {
            return "n/a";
        }
        String sign = d > 0 ? "+" : d < 0 ? "−" : "±";
        double a = Math.abs(d);
        return switch (unit) {
            case FRACTION -> sign + String.format(Locale.ROOT, "%.2f pts", 100 * a);
            case SECONDS -> sign + duration(a);
            case COUNT -> sign + (Math.rint(a) == a ? String.valueOf((long) a) : String.format(Locale.ROOT, "%.1f", a));
            case SCORE -> sign + String.format(Locale.ROOT, "%.4f", a);
        };
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }

    private static double pick(Percentiles p, int pct) {
        return switch (pct) {
            case 50 -> p.p50();
            case 95 -> p.p95();
            case 99 -> p.p99();
            default -> throw new IllegalArgumentException("no percentile " + pct);
        };
    }

    /** Each leaf queue guaranteed some GPU: its average share over its guarantee, capped at 1. */
    private static double[] cappedRatios(JobMetrics r) {
        List<JobMetrics.Fairness> f = r.fairness();
        boolean[] leaf = r.leafQueue();
        double[] out = new double[f.size()];
        int n = 0;
        for (int q = 0; q < f.size(); q++) {
            if (leaf[q] && f.get(q).entitlement() > 0) {
                out[n++] = Math.min(1.0, f.get(q).ratio());
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    static double jainFairness(JobMetrics r) {
        double[] x = cappedRatios(r);
        if (x.length == 0) {
            return Double.NaN;
        }
        double sum = 0;
        double squares = 0;
        for (double v : x) {
            sum += v;
            squares += v * v;
        }
        return squares == 0 ? Double.NaN : sum * sum / (x.length * squares);
    }

    static double worstQueue(JobMetrics r) {
        double[] x = cappedRatios(r);
        double min = Double.NaN;
        for (double v : x) {
            min = Double.isNaN(min) ? v : Math.min(min, v);
        }
        return min;
    }

    @Override
    public String toString() {
        return name;
    }
}
