package io.kubeai.simulator.jobs;

import io.kubeai.core.resource.PodRequest;
import java.util.Objects;

/**
 * One job of a job trace: when it is submitted, how long it runs once all its pods run, where it
 * queues, its tier ({@code prod} or {@code dev}) and priority, and its gang: {@code pods}
 * identical pods that must run together (1 for a single pod). A job may also say when it may and
 * must run, for staggering: whether it recurs ({@code periodic}, a CronJob's), not before
 * {@code notBeforeSeconds} and finished by {@code deadlineSeconds} (each {@link #NO_TIME} when
 * it has none).
 */
public record JobSpec(
        String id,
        long submitSeconds,
        long durationSeconds,
        String queue,
        String tier,
        int priority,
        int pods,
        PodRequest podRequest,
        boolean periodic,
        long notBeforeSeconds,
        long deadlineSeconds) {

    public static final String TIER_PROD = "prod";
    public static final String TIER_DEV = "dev";
    /** No not-before time, or no deadline. */
    public static final long NO_TIME = -1;

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
        if (notBeforeSeconds < NO_TIME || deadlineSeconds < NO_TIME) {
            throw new IllegalArgumentException("job " + id + ": notBeforeSeconds and deadlineSeconds must be "
                    + NO_TIME + " (none) or a time, were " + notBeforeSeconds + " and " + deadlineSeconds);
        }
        if (deadlineSeconds != NO_TIME && deadlineSeconds <= submitSeconds) {
            throw new IllegalArgumentException("job " + id + ": its deadline " + deadlineSeconds
                    + " must be after its submission " + submitSeconds);
        }
        if (deadlineSeconds != NO_TIME && notBeforeSeconds != NO_TIME && deadlineSeconds <= notBeforeSeconds) {
            throw new IllegalArgumentException("job " + id + ": its deadline " + deadlineSeconds
                    + " must be after its not-before time " + notBeforeSeconds);
        }
    }

    /** A job without timing: not periodic, no not-before time, no deadline. */
    public JobSpec(String id, long submitSeconds, long durationSeconds, String queue, String tier, int priority,
            int pods, PodRequest podRequest) {
        this(id, submitSeconds, durationSeconds, queue, tier, priority, pods, podRequest, false, NO_TIME, NO_TIME);
    }

    /** The same job with when it may and must run. */
    public JobSpec withTiming(boolean isPeriodic, long notBefore, long deadline) {
        return new JobSpec(id, submitSeconds, durationSeconds, queue, tier, priority, pods, podRequest, isPeriodic,
                notBefore, deadline);
    }

    /** The same job requesting something else per pod (as an admission webhook would rewrite it). */
    public JobSpec withPodRequest(PodRequest request) {
        return new JobSpec(id, submitSeconds, durationSeconds, queue, tier, priority, pods, request, periodic,
                notBeforeSeconds, deadlineSeconds);
    }

    /** The same job under another id and submission time, its timing shifted with it. */
    public JobSpec shifted(String newId, long newSubmitSeconds) {
        long d = newSubmitSeconds - submitSeconds;
        return new JobSpec(newId, newSubmitSeconds, durationSeconds, queue, tier, priority, pods, podRequest, periodic,
                notBeforeSeconds == NO_TIME ? NO_TIME : notBeforeSeconds + d,
                deadlineSeconds == NO_TIME ? NO_TIME : deadlineSeconds + d);
    }

    public boolean hasDeadline() {
        return deadlineSeconds != NO_TIME;
    }

    public boolean hasNotBefore() {
        return notBeforeSeconds != NO_TIME;
    }

    /** Whether it says anything about when it may or must run. */
    public boolean hasTiming() {
        return periodic || hasNotBefore() || hasDeadline();
    }

    /** GPU-seconds of work: pods × GPUs per pod × duration. */
    public double gpuSeconds() {
        return (double) pods * podRequest.totalGpuMillis() / 1000.0 * durationSeconds;
    }

    /** CPU-seconds of work: pods × CPU per pod (regular and elastic) × duration, in core-seconds. */
    public double cpuSeconds(String elasticCpuResource) {
        long milli = podRequest.cpuMillis() + podRequest.extended().get(elasticCpuResource);
        return (double) pods * milli / 1000.0 * durationSeconds;
    }
}
