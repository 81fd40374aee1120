package io.kubeai.simulator.offline;

import io.kubeai.core.resource.PodRequest;

/**
 * A pod of the offline packing: its position in the arrival list and its request. The two
 * planning entity classes differ only in what their variable points at: a node
 * ({@link NodePod}) or one GPU device ({@link DevicePod}). Not itself a planning entity.
 */
abstract class PackedPod {
    /** Position in the arrival list; also the tie-break that keeps runs reproducible. */
    int id;
    PodRequest request;

    PackedPod() {
        // for Timefold's solution cloner
    }

    PackedPod(int id, PodRequest request) {
        this.id = id;
        this.request = request;
    }

    /** The node this pod is on, or null while it is left out. */
    abstract NodeSlot assignedNode();

    /** The device this pod shares, or null for whole-GPU and CPU-only pods. */
    abstract DeviceSlot assignedDevice();

    final boolean isAssigned() {
        return assignedNode() != null;
    }

    final long gpuMillis() {
        return request.totalGpuMillis();
    }

    final boolean cpuOnly() {
        return !request.wantsGpu();
    }

    /** Whether the GPU model of the node it is on is one the pod accepts (true while left out). */
    final boolean modelAllowed() {
        NodeSlot n = assignedNode();
        return n == null || !request.wantsGpu() || request.gpuModels().allows(n.node.gpuModel());
    }

    @Override
    public String toString() {
        return "pod#" + id + "(" + request + ")@" + assignedNode();
    }
}
