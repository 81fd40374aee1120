package io.kubeai.core.elastic;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the elastic calculation remembers of one node between intervals: the smoothed figures
 * (what was last published while the inputs were fresh), since when each GPU has been idle, and
 * which GPUs were lent to whom. Immutable; a new one per interval.
 *
 * @param smoothed the smoothed figure per resource; kept, not zeroed, while metrics are stale,
 *     so that a metrics outage does not reset it (publishing zero is done apart)
 * @param gpuIdleSince per GPU UUID, since when it has been idle without a break
 * @param gpuLent per GPU UUID counted as lendable, the online pods it belonged to then
 */
public record ElasticNodeState(ElasticAmounts smoothed, Map<String, Instant> gpuIdleSince,
        Map<String, Set<String>> gpuLent) {
    public ElasticNodeState {
        Objects.requireNonNull(smoothed, "smoothed");
        gpuIdleSince = Map.copyOf(gpuIdleSince);
        gpuLent = Map.copyOf(gpuLent);
    }

    /** The state of a node first seen carrying {@code published}: a restart continues from there. */
    public static ElasticNodeState initial(ElasticAmounts published) {
        return new ElasticNodeState(published, Map.of(), Map.of());
    }
}
