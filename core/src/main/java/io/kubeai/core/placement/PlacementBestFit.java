package io.kubeai.core.placement;

import io.kubeai.core.cluster.NodeState;
import io.kubeai.core.resource.PodRequest;
import java.util.random.RandomGenerator;

/**
 * BestFit: the node left with the least free CPU and GPU after the pod, each normalised by the
 * largest node spec (128 cores, 8 GPUs) and weighted equally. Shared pods take the tightest
 * device. O(devices).
 */
public final class PlacementBestFit implements PlacementPolicy {
    public static final String NAME = "BestFit";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public long score(NodeState node, PodRequest pod) {
        double left = 0;
        left += (node.cpuFreeMillis() - pod.cpuMillis()) / PlacementDotProd.MAX_CPU_MILLIS * 0.5;
        left += (node.gpuFreeMillisTotal() - pod.totalGpuMillis()) / PlacementDotProd.MAX_GPU_MILLIS * 0.5;
        return (long) ((1.0 - left) * 100);
    }

    @Override
    public int selectDevices(NodeState node, PodRequest pod, RandomGenerator random) {
        return GpuDevices.tightest(node, pod);
    }
}
