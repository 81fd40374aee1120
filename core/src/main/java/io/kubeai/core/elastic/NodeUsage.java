package io.kubeai.core.elastic;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One node at one instant, as the elastic calculation needs it.
 *
 * @param capacity the node's {@code status.capacity} (CPU and memory)
 * @param allocatable its {@code status.allocatable}: capacity less what the kubelet keeps for the
 *     system; the difference is the system's reservation
 * @param used the whole node's usage from metrics-server; null when there is none
 * @param measuredAt when {@code used} was measured; null with it
 * @param pods the unfinished pods bound to it
 */
public record NodeUsage(String node, Usage capacity, Usage allocatable, Usage used, Instant measuredAt,
        List<PodUsage> pods) {
    public NodeUsage {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(capacity, "capacity");
        Objects.requireNonNull(allocatable, "allocatable");
        if ((used == null) != (measuredAt == null)) {
            throw new IllegalArgumentException("node " + node + ": used and measuredAt come together");
        }
        pods = List.copyOf(pods);
    }

    /** Age of the node's sample at {@code now}, in whole seconds; -1 when there is none. */
    public long ageSeconds(Instant now) {
        return measuredAt == null ? -1 : Math.max(0, now.getEpochSecond() - measuredAt.getEpochSecond());
    }
}
