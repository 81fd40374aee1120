package io.kubeai.simulator.jobs.metrics;

import java.util.List;

/**
 * The cluster sampled every {@code sampleIntervalSeconds} of simulated time. Per-queue arrays are
 * indexed {@code [queue][sample]} in the order of {@link #queues()} (the queue tree's order,
 * parents before children; a parent counts its subtree). Arrays are shared, not copied: do not
 * modify them.
 *
 * @param gpuAllocation allocated milli-GPU / cluster milli-GPU
 * @param gpuFragmentation fragmented milli-GPU (FGD's measure against the jobs' typical pods) /
 *     cluster milli-GPU
 * @param partialHeldGpuMillis milli-GPU held by pods of gangs that are not all running
 * @param borrowedGpuMillis what each queue holds on nodes beyond its guarantee, as core's
 *     {@link io.kubeai.core.queue.QuotaLedger#borrowed} counts it
 */
public record TimeSeries(
        long[] timesSeconds,
        double[] gpuAllocation,
        double[] gpuFragmentation,
        int[] pendingJobs,
        int[] runningJobs,
        int[] partialJobs,
        long[] partialHeldGpuMillis,
        List<String> queues,
        int[][] pendingJobsByQueue,
        long[][] heldGpuMillisByQueue,
        long[][] borrowedGpuMillisByQueue) {

    public TimeSeries {
        queues = List.copyOf(queues);
    }

    public int size() {
        return timesSeconds.length;
    }
}
