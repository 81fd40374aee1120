package io.kubeai.extender.wire;

import com.fasterxml.jackson.annotation.JsonProperty;

/** kube-scheduler's {@code ExtenderBindingArgs}: which pod goes to which node. */
public record ExtenderBindingArgs(
        @JsonProperty("PodName") String podName,
        @JsonProperty("PodNamespace") String podNamespace,
        @JsonProperty("PodUID") String podUid,
        @JsonProperty("Node") String node) {
}
