package io.kubeai.core.elastic;

import java.time.Instant;
import java.util.Objects;

/**
 * One unfinished pod bound to a node, as the elastic calculation sees it.
 *
 * @param key {@code namespace/name}
 * @param elastic whether it runs on lent capacity: its usage is what lending is for, so it is
 *     not subtracted from what the node can lend
 * @param request its CPU and memory requests
 * @param usage what metrics-server last measured; null when it has no sample for the pod
 * @param measuredAt when {@code usage} was measured; null with it
 */
public record PodUsage(String key, boolean elastic, Usage request, Usage usage, Instant measuredAt) {
    public PodUsage {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(request, "request");
        if ((usage == null) != (measuredAt == null)) {
            throw new IllegalArgumentException("pod " + key + ": usage and measuredAt come together");
        }
    }

    public static PodUsage unmeasured(String key, boolean elastic, Usage request) {
        return new PodUsage(key, elastic, request, null, null);
    }

    /** Whether it has a sample no older than {@code maxAgeSeconds} at {@code now}. */
    public boolean measuredSince(Instant now, long maxAgeSeconds) {
        return measuredAt != null && !measuredAt.plusSeconds(maxAgeSeconds).isBefore(now);
    }
}
