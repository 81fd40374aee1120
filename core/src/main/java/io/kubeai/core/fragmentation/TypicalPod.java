package io.kubeai.core.fragmentation;

import io.kubeai.core.resource.GpuModels;
import io.kubeai.core.resource.PodRequest;

/**
 * One resource shape of a workload and how often it occurs (0..1). Memory is not part of the
 * shape: fragmentation is measured on CPU and GPU, as in the FGD paper.
 */
public record TypicalPod(long cpuMillis, int gpuCount, int gpuMillisPerDevice, GpuModels gpuModels,
        double frequency) {

    public static TypicalPod of(PodRequest pod, double frequency) {
        return new TypicalPod(pod.cpuMillis(), pod.gpuCount(), pod.gpuMillisPerDevice(), pod.gpuModels(), frequency);
    }

    TypicalPod withFrequency(double f) {
        return new TypicalPod(cpuMillis, gpuCount, gpuMillisPerDevice, gpuModels, f);
    }
}
