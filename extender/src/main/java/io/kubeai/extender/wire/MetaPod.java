package io.kubeai.extender.wire;

import com.fasterxml.jackson.annotation.JsonProperty;

/** kube-scheduler's {@code MetaPod}: a pod named by its UID. */
public record MetaPod(@JsonProperty("UID") String uid) {
}
