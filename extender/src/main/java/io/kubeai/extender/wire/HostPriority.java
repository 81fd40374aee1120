package io.kubeai.extender.wire;

import com.fasterxml.jackson.annotation.JsonProperty;

/** kube-scheduler's {@code HostPriority}: a node and its score, 0..10. The answer to prioritize is a JSON array of these. */
public record HostPriority(@JsonProperty("Host") String host, @JsonProperty("Score") long score) {
    public static final long MIN_SCORE = 0;
    public static final long MAX_SCORE = 10;
}
