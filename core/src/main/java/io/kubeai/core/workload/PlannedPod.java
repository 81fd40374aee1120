package io.kubeai.core.workload;

import io.kubeai.core.resource.PodRequest;

/** One member of an admitted workload: where it goes and on which GPU devices (bit mask). */
public record PlannedPod(String podId, PodRequest request, int nodeIndex, String nodeName, int gpuDevices) {
}
