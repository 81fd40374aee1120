package io.kubeai.core.placement;

import io.kubeai.core.cluster.NodeState;
import io.kubeai.core.resource.PodRequest;
import java.util.random.RandomGenerator;

/**
 * GpuPacking: prefer, in this order, devices already shared (the fuller the better), then free
 * devices on a node already in use (the fewer the better), then an untouched node (the fewer
 * devices it has the better). CPU-only pods are indifferent. Scores as in the FGD artifact:
 * 50..100, 33..50 and 0..33. O(devices²), allocation-free.
 */
public final class PlacementGpuPacking implements PlacementPolicy {
    public static final String NAME = "GpuPacking";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public long score(NodeState node, PodRequest pod) {
        if (!pod.wantsGpu()) {
            return 0;
        }
        int fullyFree = node.fullyFreeGpuCount();
        // An untouched node: fewer devices is better, never below the device count.
        if (fullyFree == node.gpuCount()) {
            return Math.max(100 / 3 - fullyFree, fullyFree);
        }
        // Walk devices from the least free up, as the pod would be packed.
        int want = pod.gpuCount();
        int freeDevicesUsed = 0;
        long freePercentOnUsed = 0;
        int taken = 0;
        while (want > 0) {
            int best = -1;
            for (int d = 0; d < node.gpuCount(); d++) {
                int free = node.gpuFreeMillis(d);
                if ((taken & (1 << d)) == 0 && free >= pod.gpuMillisPerDevice()
                        && (best < 0 || free < node.gpuFreeMillis(best))) {
                    best = d;
                }
            }
            if (best < 0) {
                return 0;
            }
            taken |= 1 << best;
            want--;
            int free = node.gpuFreeMillis(best);
            if (free == PodRequest.MILLIS_PER_GPU) {
                freeDevicesUsed++;
            }
            freePercentOnUsed += free * 100L / PodRequest.MILLIS_PER_GPU;
        }
        // A used node, but the pod needs untouched devices: the fewer the better.
        if (freeDevicesUsed > 0) {
            return Math.max(100 / 2 - freeDevicesUsed, 100 / 3);
        }
        // Only shared devices: the fuller they are the better.
        return Math.max(100 - freePercentOnUsed / 10, 100 / 2);
    }

    @Override
    public int selectDevices(NodeState node, PodRequest pod, RandomGenerator random) {
        return GpuDevices.tightest(node, pod);
    }
}
