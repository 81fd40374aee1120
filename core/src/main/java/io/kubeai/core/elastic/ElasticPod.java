package io.kubeai.core.elastic;

import java.time.Instant;
import java.util.Objects;

/**
 * A pod on lent capacity, as the reclaimer sees it.
 *
 * @param key {@code namespace/name}
 * @param node where it runs
 * @param priority its priority ({@code spec.priority}); lower goes first
 * @param started when it was created; younger goes first among equal priorities (it has lost
 *     the least work); null when unknown, which counts as oldest
 * @param holds the elastic resources it requests
 */
public record ElasticPod(String key, String node, int priority, Instant started, ElasticAmounts holds) {
    public ElasticPod {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(holds, "holds");
    }
}
