package io.kubeai.simulator.offline;

import ai.timefold.solver.core.api.domain.entity.PlanningEntity;
import ai.timefold.solver.core.api.domain.variable.PlanningVariable;
import io.kubeai.core.resource.PodRequest;

/**
 * A pod placed on a whole node: one asking for whole GPUs (they take devices nobody shares, and
 * which ones does not matter, so only their number is modelled), or a CPU-only pod. Left out when
 * its node is null.
 */
@PlanningEntity
final class NodePod extends PackedPod {

    @PlanningVariable(valueRangeProviderRefs = PackingSolution.NODE_RANGE, allowsUnassigned = true)
    NodeSlot node;

    NodePod() {
        // for Timefold's solution cloner
    }

    NodePod(int id, PodRequest request) {
        super(id, request);
    }

    @Override
    NodeSlot assignedNode() {
        return node;
    }

    @Override
    DeviceSlot assignedDevice() {
        return null;
    }
}
