package io.kubeai.core.placement;

import io.kubeai.core.cluster.NodeState;
import io.kubeai.core.resource.PodRequest;
import java.util.random.RandomGenerator;

/**
 * GpuClustering: keep pods of the same GPU kind (shared, 1, 2, 4, 8 whole devices) together.
 * Bands, best first: nodes running only this kind (75..100), nodes running it among others
 * (50..75), idle nodes (25..50), nodes running other kinds (0..25); within a band, the less
 * GPU free the better. CPU-only pods are indifferent. O(devices).
 */
public final class PlacementGpuClustering implements PlacementPolicy {
    public static final String NAME = "GpuClustering";
    private static final long MAX_GPU_MILLIS = 8_000;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public long score(NodeState node, PodRequest pod) {
        if (!pod.wantsGpu()) {
            return 0;
        }
        long fullness = 25 * (MAX_GPU_MILLIS - node.gpuFreeMillisTotal()) / MAX_GPU_MILLIS;
        int kind = NodeState.gpuKindOf(pod);
        if (node.podsOfGpuKind(kind) > 0) {
            return fullness + (node.gpuKindCount() == 1 ? 75 : 50);
        }
        return fullness + (node.gpuKindCount() == 0 ? 25 : 0);
    }

    @Override
    public int selectDevices(NodeState node, PodRequest pod, RandomGenerator random) {
        return GpuDevices.tightest(node, pod);
    }
}
