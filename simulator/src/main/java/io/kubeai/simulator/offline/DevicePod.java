package io.kubeai.simulator.offline;

import ai.timefold.solver.core.api.domain.entity.PlanningEntity;
import ai.timefold.solver.core.api.domain.variable.PlanningVariable;
import io.kubeai.core.resource.PodRequest;

/** A pod sharing one GPU device (under 1000 milli): placed on a concrete device, or left out. */
@PlanningEntity
final class DevicePod extends PackedPod {

    @PlanningVariable(valueRangeProviderRefs = PackingSolution.DEVICE_RANGE, allowsUnassigned = true)
    DeviceSlot device;

    DevicePod() {
        // for Timefold's solution cloner
    }

    DevicePod(int id, PodRequest request) {
        super(id, request);
    }

    @Override
    NodeSlot assignedNode() {
        return device == null ? null : device.node;
    }

    @Override
    DeviceSlot assignedDevice() {
        return device;
    }
}
