package io.kubeai.core.workload;

import io.kubeai.core.resource.ResourceList;
import java.util.List;

/** A running workload: its plan, what it is charged against its queue, and when it was admitted. */
public record Admission(Workload workload, int queueIndex, List<PlannedPod> pods, ResourceList charged,
        long admittedAtSeconds) {
    public Admission {
        pods = List.copyOf(pods);
    }
}
