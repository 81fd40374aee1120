package io.kubeai.simulator.jobs;

import io.kubeai.core.resource.PodRequest;

/** Fluent {@link JobSpec}: {@code job("a").at(0).runs(100).queue("cv").pods(4).gpus(2).build()}. */
public final class JobBuilder {
    private static final long GIB = 1024L * 1024 * 1024;

    private final String id;
    private long submitSeconds;
    private long durationSeconds = 100;
    private String queue = "default";
    private String tier = JobSpec.TIER_DEV;
    private int priority;
    private int pods = 1;
    private long cpuMillis = 1000;
    private long memoryBytes = GIB;
    private int gpus;
    private int gpuMillis = PodRequest.MILLIS_PER_GPU;

    private JobBuilder(String id) {
        this.id = id;
    }

    public static JobBuilder job(String id) {
        return new JobBuilder(id);
    }

    public JobBuilder at(long seconds) {
        this.submitSeconds = seconds;
        return this;
    }

    public JobBuilder runs(long seconds) {
        this.durationSeconds = seconds;
        return this;
    }

    public JobBuilder queue(String q) {
        this.queue = q;
        return this;
    }

    public JobBuilder prod() {
        this.tier = JobSpec.TIER_PROD;
        return this;
    }

    public JobBuilder priority(int p) {
        this.priority = p;
        return this;
    }

    /** A gang of this many identical pods. */
    public JobBuilder pods(int n) {
        this.pods = n;
        return this;
    }

    public JobBuilder cpu(long millis) {
        this.cpuMillis = millis;
        return this;
    }

    public JobBuilder memory(long bytes) {
        this.memoryBytes = bytes;
        return this;
    }

    /** Whole GPUs per pod. */
    public JobBuilder gpus(int count) {
        this.gpus = count;
        this.gpuMillis = PodRequest.MILLIS_PER_GPU;
        return this;
    }

    /** A fraction of one GPU per pod. */
    public JobBuilder gpuMillis(int millis) {
        this.gpus = 1;
        this.gpuMillis = millis;
        return this;
    }

    public JobSpec build() {
        PodRequest r = PodRequest.cpuOnly(cpuMillis, memoryBytes);
        if (gpus > 0) {
            r = r.withGpus(gpus, gpuMillis);
        }
        return new JobSpec(id, submitSeconds, durationSeconds, queue, tier, priority, pods, r);
    }
}
