package io.kubeai.core.placement;

import io.kubeai.core.cluster.NodeState;
import io.kubeai.core.resource.PodRequest;
import java.util.random.RandomGenerator;

/**
 * DotProd (Tetris, SIGCOMM '14, as configured in the FGD artifact): the dot product of the
 * node's free (CPU, GPU) and the pod's request, each normalised by the largest node spec
 * (128 cores, 8 GPUs); the smaller the product, the higher the score, so pods go where they
 * leave the least unusable room. Shared pods take the tightest device. O(devices).
 */
public final class PlacementDotProd implements PlacementPolicy {
    public static final String NAME = "DotProd";
    static final double MAX_CPU_MILLIS = 128_000;
    static final double MAX_GPU_MILLIS = 8_000;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public long score(NodeState node, PodRequest pod) {
        double dot = 0;
        dot += node.cpuFreeMillis() / MAX_CPU_MILLIS * (pod.cpuMillis() / MAX_CPU_MILLIS);
        dot += node.gpuFreeMillisTotal() / MAX_GPU_MILLIS * (pod.totalGpuMillis() / MAX_GPU_MILLIS);
        double normalised = dot / 2;
        return (long) (100.0 * (1 - normalised));
    }

    @Override
    public int selectDevices(NodeState node, PodRequest pod, RandomGenerator random) {
        return GpuDevices.tightest(node, pod);
    }
}
