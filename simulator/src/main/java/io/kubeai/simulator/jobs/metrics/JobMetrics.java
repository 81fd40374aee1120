package io.kubeai.simulator.jobs.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * Everything one run measured: a {@link JobRecord} per job, the {@link TimeSeries}, the run's
 * counters, and aggregates computed from them (percentiles by queue and tier, fairness, jobs per
 * day). Immutable; aggregates are computed on each call, O(jobs log jobs).
 *
 * @param scheduler the scheduler's name
 * @param queues every queue of the tree, parents before children
 * @param leafQueue per queue: whether jobs are submitted to it (it has no children)
 * @param queueEntitlement per queue (same order as {@code queues}): its guaranteed GPU (effective
 *     min) as a fraction of the cluster's
 * @param queueAverageShare per queue: GPU it held on nodes, averaged over [start, end], as a
 *     fraction of the cluster's
 * @param startSeconds the first submission
 * @param endSeconds the last event of the run
 * @param meanAllocation allocated GPU / cluster GPU, averaged while jobs arrive: from the first
 *     submission to the last (the whole run when they coincide), so the drain at the end does not
 *     dilute it
 * @param meanAllocationWholeRun the same averaged over [start, end]
 * @param cycles scheduling cycles run
 * @param evictions jobs evicted (preemptions and reclaims)
 * @param wallNanos real time the run took
 * @param schedulerNanos real time spent inside the scheduler's cycles
 * @param cycleCost CPU time spent inside the scheduler's cycles
 */
public record JobMetrics(
        String scheduler,
        String placementPolicy,
        long seed,
        List<JobRecord> jobs,
        TimeSeries series,
        List<String> queues,
        boolean[] leafQueue,
        double[] queueEntitlement,
        double[] queueAverageShare,
        long clusterGpuMillis,
        long startSeconds,
        long endSeconds,
        double meanAllocation,
        double meanAllocationWholeRun,
        long cycles,
        long evictions,
        long wallNanos,
        long schedulerNanos,
        CycleCost cycleCost) {

    public static final long DAY_SECONDS = 86_400;

    /**
     * What the scheduler's cycles cost in CPU time of the thread that ran them (the JVM's thread
     * CPU clock, so other processes on the machine do not inflate it).
     *
     * @param cpuNanos every cycle together
     * @param longestCpuNanos the most expensive single cycle
     * @param pendingAtLongest jobs pending when that cycle began
     * @param mostPending the most jobs pending when any cycle began
     */
    public record CycleCost(long cpuNanos, long longestCpuNanos, int pendingAtLongest, int mostPending) {
        public static final CycleCost NONE = new CycleCost(0, 0, 0, 0);
    }

    public JobMetrics {
        jobs = List.copyOf(jobs);
        queues = List.copyOf(queues);
    }

    /** One queue's GPU share over the run against what it is guaranteed. */
    public record Fairness(String queue, double entitlement, double averageShare) {
        /** Share over entitlement; NaN for a queue guaranteed nothing. */
        public double ratio() {
            return entitlement > 0 ? averageShare / entitlement : Double.NaN;
        }
    }

    public int jobsDone() {
        return count(j -> j.outcome() == JobRecord.Outcome.DONE);
    }

    /** Jobs that gave up (timeouts). */
    public int jobsFailed() {
        return count(j -> j.outcome() == JobRecord.Outcome.FAILED);
    }

    public int jobsUnfinished() {
        return count(j -> j.outcome() == JobRecord.Outcome.UNFINISHED);
    }

    public int jobsStarted() {
        return count(JobRecord::started);
    }

    /** Gangs found deadlocked: holding some pods with no way to get the rest. */
    public int deadlocks() {
        return count(JobRecord::deadlocked);
    }

    public int timeouts() {
        return jobsFailed();
    }

    public int jobsPreempted() {
        return count(JobRecord::preempted);
    }

    public double wastedGpuHours() {
        return jobs.stream().mapToDouble(JobRecord::wastedGpuSeconds).sum() / 3600;
    }

    /** GPU-hours held by gangs that could not run (partially placed). */
    public double heldIdleGpuHours() {
        return jobs.stream().mapToDouble(JobRecord::heldIdleGpuSeconds).sum() / 3600;
    }

    /**
     * Queueing delay (first start − submit) over every job; jobs that never started count with
     * how long they had waited (a lower bound), so a scheduler that leaves jobs stuck is not
     * flattered.
     */
    public Percentiles queueingDelay() {
        return percentiles(jobs, j -> true, JobRecord::queueingDelaySeconds);
    }

    /** Job completion time (end − submit) over completed jobs. */
    public Percentiles completionTime() {
        return percentiles(jobs, j -> j.outcome() == JobRecord.Outcome.DONE, JobRecord::completionSeconds);
    }

    public Map<String, Percentiles> queueingDelayByQueue() {
        return grouped(JobRecord::queue, j -> true, JobRecord::queueingDelaySeconds);
    }

    public Map<String, Percentiles> queueingDelayByTier() {
        return grouped(JobRecord::tier, j -> true, JobRecord::queueingDelaySeconds);
    }

    public Map<String, Percentiles> completionTimeByQueue() {
        return grouped(JobRecord::queue, j -> j.outcome() == JobRecord.Outcome.DONE, JobRecord::completionSeconds);
    }

    public Map<String, Percentiles> completionTimeByTier() {
        return grouped(JobRecord::tier, j -> j.outcome() == JobRecord.Outcome.DONE, JobRecord::completionSeconds);
    }

    /** Mean fragmented GPU / cluster GPU over the samples. */
    public double meanFragmentation() {
        double[] f = series.gpuFragmentation();
        double sum = 0;
        for (double v : f) {
            sum += v;
        }
        return f.length == 0 ? Double.NaN : sum / f.length;
    }

    /** Completed jobs per simulated day of the run's span [start, end]. */
    public double jobsPerDay() {
        double days = (endSeconds - startSeconds) / (double) DAY_SECONDS;
        return days <= 0 ? jobsDone() : jobsDone() / days;
    }

    /** Jobs completed in each simulated day (day {@code d} covers [d × 86400, (d+1) × 86400)). */
    public long[] completedPerDay() {
        long lastDay = -1;
        for (JobRecord j : jobs) {
            if (j.outcome() == JobRecord.Outcome.DONE) {
                lastDay = Math.max(lastDay, j.endSeconds() / DAY_SECONDS);
            }
        }
        long[] out = new long[(int) (lastDay + 1)];
        for (JobRecord j : jobs) {
            if (j.outcome() == JobRecord.Outcome.DONE) {
                out[(int) (j.endSeconds() / DAY_SECONDS)]++;
            }
        }
        return out;
    }

    /** Each queue's average GPU share against its entitlement, in queue-tree order. */
    public List<Fairness> fairness() {
        List<Fairness> out = new ArrayList<>(queues.size());
        for (int q = 0; q < queues.size(); q++) {
            out.add(new Fairness(queues.get(q), queueEntitlement[q], queueAverageShare[q]));
        }
        return out;
    }

    private int count(Predicate<JobRecord> p) {
        int n = 0;
        for (JobRecord j : jobs) {
            if (p.test(j)) {
                n++;
            }
        }
        return n;
    }

    private Map<String, Percentiles> grouped(Function<JobRecord, String> key, Predicate<JobRecord> filter,
            ToLongFunction<JobRecord> value) {
        Map<String, List<JobRecord>> groups = new TreeMap<>();
        for (JobRecord j : jobs) {
            groups.computeIfAbsent(key.apply(j), k -> new ArrayList<>()).add(j);
        }
        Map<String, Percentiles> out = new TreeMap<>();
        groups.forEach((k, list) -> out.put(k, percentiles(list, filter, value)));
        return out;
    }

    private static Percentiles percentiles(List<JobRecord> list, Predicate<JobRecord> filter,
            ToLongFunction<JobRecord> value) {
        return Percentiles.of(list.stream().filter(filter).mapToLong(value).toArray());
    }
}
