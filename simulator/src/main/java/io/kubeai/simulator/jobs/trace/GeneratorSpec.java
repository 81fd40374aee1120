package io.kubeai.simulator.jobs.trace;

import io.kubeai.simulator.trace.OpenbTrace;
import java.time.LocalDate;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What {@link JobTraceGenerator} generates. Start from {@link #defaults()} and change what matters
 * with the {@code with…} methods.
 *
 * @param jobs            how many jobs, at least 1
 * @param seed            the same spec gives the same jobs, bit for bit
 * @param clusterGpus     GPUs of the cluster the load is aimed at, at least 1
 * @param targetLoad      offered GPU load: GPU-seconds submitted per second over the arrival
 *                        horizon, as a fraction of {@code clusterGpus} (0.8 = 80 %), above 0
 * @param queues          team queues: the {@code queues} largest Helios VCs of {@code heliosDay}
 * @param prodShare       the chance that a job is {@code prod}, in [0, 1]
 * @param prodPriority    the priority of every prod job
 * @param devPriority     the priority of every dev job
 * @param maxDurationSeconds Philly run times above this are clipped to it; 0 for no clipping
 * @param podList         the bundled openb pod list the pod shapes are drawn from
 *                        ({@code openb_pod_list_default}, …; see {@link OpenbTrace#BUNDLED_POD_LISTS})
 * @param heliosDay       the day of the Helios Venus VC table whose VCs become the team queues
 * @param gangSizeWeights pods per job for jobs whose pods take whole GPUs, as relative weights
 *                        (size → weight); CPU-only and GPU-sharing jobs are single pods
 * @param maxJobGpuShare  a gang is halved until pods × GPUs per pod is at most this share of
 *                        {@code clusterGpus} (a single pod is never cut), in (0, 1]
 */
public record GeneratorSpec(
        int jobs,
        long seed,
        int clusterGpus,
        double targetLoad,
        int queues,
        double prodShare,
        int prodPriority,
        int devPriority,
        long maxDurationSeconds,
        String podList,
        LocalDate heliosDay,
        Map<Integer, Double> gangSizeWeights,
        double maxJobGpuShare) {

    /** The largest VC configuration of the Helios Venus table: 18 VCs, 1,264 GPUs. */
    public static final LocalDate DEFAULT_HELIOS_DAY = LocalDate.of(2020, 8, 16);

    /**
     * Gang sizes of whole-GPU jobs: mostly single workers, then data-parallel gangs of 2 to 32
     * (about 2.7 pods on average, so about 3 GPUs per whole-GPU job with openb's pods).
     */
    public static final Map<Integer, Double> DEFAULT_GANG_SIZES = Collections.unmodifiableSortedMap(new TreeMap<>(
            Map.of(1, 0.70, 2, 0.10, 4, 0.08, 8, 0.07, 16, 0.04, 32, 0.01)));

    public GeneratorSpec {
        Objects.requireNonNull(podList, "podList");
        Objects.requireNonNull(heliosDay, "heliosDay");
        Objects.requireNonNull(gangSizeWeights, "gangSizeWeights");
        require(jobs >= 1, "jobs must be at least 1, was " + jobs);
        require(clusterGpus >= 1, "clusterGpus must be at least 1, was " + clusterGpus);
        require(targetLoad > 0 && Double.isFinite(targetLoad), "targetLoad must be a positive number, was " + targetLoad);
        require(queues >= 1, "queues must be at least 1, was " + queues);
        require(prodShare >= 0 && prodShare <= 1, "prodShare must be within 0..1, was " + prodShare);
        require(maxDurationSeconds >= 0, "maxDurationSeconds must not be negative (0: no clipping), was "
                + maxDurationSeconds);
        require(OpenbTrace.BUNDLED_POD_LISTS.contains(podList), "podList must be one of "
                + OpenbTrace.BUNDLED_POD_LISTS + ", was " + podList);
        require(maxJobGpuShare > 0 && maxJobGpuShare <= 1, "maxJobGpuShare must be within (0, 1], was "
                + maxJobGpuShare);
        TreeMap<Integer, Double> gangs = new TreeMap<>();
        double sum = 0;
        for (Map.Entry<Integer, Double> e : gangSizeWeights.entrySet()) {
            require(e.getKey() != null && e.getKey() >= 1, "gang sizes must be at least 1, was " + e.getKey());
            require(e.getValue() != null && e.getValue() >= 0 && Double.isFinite(e.getValue()),
                    "gang size weights must be non-negative numbers, was " + e.getValue() + " for " + e.getKey());
            gangs.put(e.getKey(), e.getValue());
            sum += e.getValue();
        }
        require(sum > 0, "gangSizeWeights must have a positive weight, was " + gangSizeWeights);
        gangSizeWeights = Collections.unmodifiableSortedMap(gangs);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * 10,000 jobs, seed 42, the openb cluster's 6,212 GPUs at 80 % load, 12 team queues (the 12
     * largest VCs of 2020-08-16, 64 to 200 GPUs each), 30 % prod jobs at priority 100 and dev jobs
     * at 0, Philly run times unclipped, pod shapes of {@code openb_pod_list_default},
     * {@link #DEFAULT_GANG_SIZES}, no job above a quarter of the cluster's GPUs.
     */
    public static GeneratorSpec defaults() {
        return new GeneratorSpec(10_000, 42, 6212, 0.8, 12, 0.3, 100, 0, 0, "openb_pod_list_default",
                DEFAULT_HELIOS_DAY, DEFAULT_GANG_SIZES, 0.25);
    }

    public GeneratorSpec withJobs(int n) {
        return new GeneratorSpec(n, seed, clusterGpus, targetLoad, queues, prodShare, prodPriority, devPriority,
                maxDurationSeconds, podList, heliosDay, gangSizeWeights, maxJobGpuShare);
    }

    public GeneratorSpec withSeed(long s) {
        return new GeneratorSpec(jobs, s, clusterGpus, targetLoad, queues, prodShare, prodPriority, devPriority,
                maxDurationSeconds, podList, heliosDay, gangSizeWeights, maxJobGpuShare);
    }

    public GeneratorSpec withClusterGpus(int gpus) {
        return new GeneratorSpec(jobs, seed, gpus, targetLoad, queues, prodShare, prodPriority, devPriority,
                maxDurationSeconds, podList, heliosDay, gangSizeWeights, maxJobGpuShare);
    }

    public GeneratorSpec withTargetLoad(double load) {
        return new GeneratorSpec(jobs, seed, clusterGpus, load, queues, prodShare, prodPriority, devPriority,
                maxDurationSeconds, podList, heliosDay, gangSizeWeights, maxJobGpuShare);
    }

    public GeneratorSpec withQueues(int n) {
        return new GeneratorSpec(jobs, seed, clusterGpus, targetLoad, n, prodShare, prodPriority, devPriority,
                maxDurationSeconds, podList, heliosDay, gangSizeWeights, maxJobGpuShare);
    }

    public GeneratorSpec withProdShare(double share) {
        return new GeneratorSpec(jobs, seed, clusterGpus, targetLoad, queues, share, prodPriority, devPriority,
                maxDurationSeconds, podList, heliosDay, gangSizeWeights, maxJobGpuShare);
    }

    public GeneratorSpec withPriorities(int prod, int dev) {
        return new GeneratorSpec(jobs, seed, clusterGpus, targetLoad, queues, prodShare, prod, dev,
                maxDurationSeconds, podList, heliosDay, gangSizeWeights, maxJobGpuShare);
    }

    public GeneratorSpec withMaxDurationSeconds(long max) {
        return new GeneratorSpec(jobs, seed, clusterGpus, targetLoad, queues, prodShare, prodPriority, devPriority,
                max, podList, heliosDay, gangSizeWeights, maxJobGpuShare);
    }

    public GeneratorSpec withPodList(String name) {
        return new GeneratorSpec(jobs, seed, clusterGpus, targetLoad, queues, prodShare, prodPriority, devPriority,
                maxDurationSeconds, name, heliosDay, gangSizeWeights, maxJobGpuShare);
    }

    public GeneratorSpec withHeliosDay(LocalDate day) {
        return new GeneratorSpec(jobs, seed, clusterGpus, targetLoad, queues, prodShare, prodPriority, devPriority,
                maxDurationSeconds, podList, day, gangSizeWeights, maxJobGpuShare);
    }

    public GeneratorSpec withGangSizeWeights(Map<Integer, Double> weights) {
        return new GeneratorSpec(jobs, seed, clusterGpus, targetLoad, queues, prodShare, prodPriority, devPriority,
                maxDurationSeconds, podList, heliosDay, weights, maxJobGpuShare);
    }

    public GeneratorSpec withMaxJobGpuShare(double share) {
        return new GeneratorSpec(jobs, seed, clusterGpus, targetLoad, queues, prodShare, prodPriority, devPriority,
                maxDurationSeconds, podList, heliosDay, gangSizeWeights, share);
    }
}
