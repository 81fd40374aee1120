package io.kubeai.core.placement;

import io.kubeai.core.cluster.NodeState;
import io.kubeai.core.resource.PodRequest;
import java.util.random.RandomGenerator;

/** Device choices shared by the placement policies. All O(devices), allocation-free. */
public final class GpuDevices {
    private GpuDevices() {
    }

    /** The lowest-numbered devices with enough free for the pod, as many as it needs; 0 if none. */
    public static int lowestFitting(NodeState node, PodRequest pod) {
        int need = pod.gpuCount();
        int mask = 0;
        for (int d = 0; d < node.gpuCount() && need > 0; d++) {
            if (node.gpuFreeMillis(d) >= pod.gpuMillisPerDevice()) {
                mask |= 1 << d;
                need--;
            }
        }
        return need == 0 ? mask : 0;
    }

    /**
     * For a shared pod, the fitting device with the least free (lowest index on ties), so partly
     * used devices fill up first; whole-device pods take the lowest-numbered free devices.
     */
    public static int tightest(NodeState node, PodRequest pod) {
        if (!pod.sharesGpu()) {
            return lowestFitting(node, pod);
        }
        int best = -1;
        for (int d = 0; d < node.gpuCount(); d++) {
            int free = node.gpuFreeMillis(d);
            if (free >= pod.gpuMillisPerDevice() && (best < 0 || free < node.gpuFreeMillis(best))) {
                best = d;
            }
        }
        return best < 0 ? 0 : 1 << best;
    }

    /** For a shared pod, a fitting device drawn uniformly; whole-device pods as {@link #lowestFitting}. */
    public static int random(NodeState node, PodRequest pod, RandomGenerator random) {
        if (!pod.sharesGpu()) {
            return lowestFitting(node, pod);
        }
        int chosen = -1;
        int seen = 0;
        for (int d = 0; d < node.gpuCount(); d++) {
            if (node.gpuFreeMillis(d) >= pod.gpuMillisPerDevice() && random.nextInt(++seen) == 0) {
                chosen = d;
            }
        }
        return chosen < 0 ? 0 : 1 << chosen;
    }
}
