package io.kubeai.extender.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;

/** kube-scheduler's {@code Victims}: the pods to evict on one node, in full. */
public record Victims(@JsonProperty("Pods") List<Pod> pods, @JsonProperty("NumPDBViolations") long numPdbViolations) {
}
