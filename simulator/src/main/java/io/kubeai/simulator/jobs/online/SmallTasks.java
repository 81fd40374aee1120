package io.kubeai.simulator.jobs.online;

import io.kubeai.core.resource.PodRequest;
import io.kubeai.simulator.jobs.JobSpec;
import io.kubeai.simulator.jobs.trace.CalibrationTraces;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Small single-pod CPU tasks of development teams (the forecasting and feature jobs that run by
 * the thousand a day): {@code perDay} a day on average, arriving as a Poisson process whose rate
 * follows {@code curve} between {@code floor} and 1 of its peak, each with 250m..2 cores (in
 * steps of 250m), 512 MiB..8 GiB (a power of two) and a Microsoft Philly run time clipped to
 * [{@code minDurationSeconds}, {@code maxDurationSeconds}], in a queue drawn uniformly from
 * {@code queues}. The sizes are an assumption (openb's CPU-only pods are all 8 cores or more):
 * every task is "small" by the webhook's default thresholds. Ids are {@code task-000001}, ….
 * Deterministic.
 */
public record SmallTasks(int perDay, int days, long seed, DiurnalCurve curve, double floor, long minDurationSeconds,
        long maxDurationSeconds, List<String> queues, int priority) {
    public static final String ID_PREFIX = "task-";
    private static final long MIB = 1L << 20;

    public SmallTasks {
        Objects.requireNonNull(curve, "curve");
        queues = List.copyOf(queues);
        if (perDay < 0 || days < 1) {
            throw new IllegalArgumentException("perDay must not be negative and days at least 1, were " + perDay
                    + " and " + days);
        }
        if (!(floor > 0 && floor <= 1)) {
            throw new IllegalArgumentException("floor must be within (0, 1], was " + floor);
        }
        if (minDurationSeconds < 1 || maxDurationSeconds < minDurationSeconds) {
            throw new IllegalArgumentException("durations must satisfy 1 ≤ min ≤ max, were " + minDurationSeconds
                    + " and " + maxDurationSeconds);
        }
        if (queues.isEmpty()) {
            throw new IllegalArgumentException("small tasks need at least one queue");
        }
    }

    /** The tasks, sorted by submission. */
    public List<JobSpec> generate() {
        long[] philly = CalibrationTraces.phillyDurations();
        SplittableRandom r = new SplittableRandom(seed);
        double mean = floor + (1 - floor) * curve.mean();
        double peakRate = perDay / (DiurnalCurve.DAY_SECONDS * mean);
        long horizon = days * DiurnalCurve.DAY_SECONDS;
        List<JobSpec> out = new ArrayList<>();
        double t = 0;
        while (true) {
            // Thinning: candidates at the peak rate, kept in proportion to the curve.
            t += -StrictMath.log(1.0 - r.nextDouble()) / peakRate;
            if (t >= horizon) {
                break;
            }
            double keep = floor + (1 - floor) * curve.at((long) t);
            long cpu = 250L * (1 + r.nextInt(8));
            long memory = 512 * MIB << r.nextInt(5);
            long duration = Math.max(minDurationSeconds, Math.min(maxDurationSeconds, philly[r.nextInt(philly.length)]));
            String queue = queues.get(r.nextInt(queues.size()));
            if (r.nextDouble() >= keep) {
                continue;
            }
            out.add(new JobSpec(String.format("%s%06d", ID_PREFIX, out.size() + 1), (long) t, duration, queue,
                    JobSpec.TIER_DEV, priority, 1, PodRequest.cpuOnly(cpu, memory)));
        }
        return List.copyOf(out);
    }
}
