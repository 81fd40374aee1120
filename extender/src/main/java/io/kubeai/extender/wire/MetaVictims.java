package io.kubeai.extender.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** kube-scheduler's {@code MetaVictims}: the pods to evict on one node, by UID. */
public record MetaVictims(@JsonProperty("Pods") List<MetaPod> pods,
        @JsonProperty("NumPDBViolations") long numPdbViolations) {
}
