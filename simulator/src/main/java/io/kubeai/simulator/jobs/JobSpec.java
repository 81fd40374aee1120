package io.kubeai.simulator.jobs;

import io.kubeai.core.resource.PodRequest;
import java.util.Objects;

/**
 * One job of a job trace: when it is submitted, how long it runs once all its pods run, where it
 * queues, its tier ({@code prod} or {@code dev}) and priority, and its gang: {@code pods}
 * identical pods that must run together (1 for a single pod).
 */
public record JobSpec(
        String id,
        long submitSeconds,
        long durationSeconds,
        String queue,
        String tier,
        int priority,
        int pods,
        PodRequest podRequest) {

    public static final String TIER_PROD = "prod";
    public static final String TIER_DEV = "dev";

    public JobSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(tier, "tier");
        Objects.requireNonNull(podRequest, "podRequest");
        if (submitSeconds < 0) {
            throw new IllegalArgumentException("job " + id + ": submitSeconds must not be negative");
        }
        if (durationSeconds <= 0) {
            throw new IllegalArgumentException("job " + id + ": durationSeconds must be positive");
        }
        if (pods < 1) {
            throw new IllegalArgumentException("job " + id + ": pods must be at least 1");
        }
        if (!tier.equals(TIER_PROD) && !tier.equals(TIER_DEV)) {
            throw new IllegalArgumentException("job " + id + ": tier must be prod or dev, was " + tier);
        }
    }

    /** GPU-seconds of work: pods × GPUs per pod × duration. */
    public double gpuSeconds() {
        return (double) pods * podRequest.totalGpuMillis() / 1000.0 * durationSeconds;
    }
}
