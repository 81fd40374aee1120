package io.kubeai.simulator.offline;

import ai.timefold.solver.core.api.domain.solution.PlanningEntityCollectionProperty;
import ai.timefold.solver.core.api.domain.solution.PlanningScore;
import ai.timefold.solver.core.api.domain.solution.PlanningSolution;
import ai.timefold.solver.core.api.domain.solution.ProblemFactCollectionProperty;
import ai.timefold.solver.core.api.domain.valuerange.ValueRangeProvider;
import ai.timefold.solver.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import java.util.List;

/** The offline packing problem and a solution of it, as Timefold sees them. */
@PlanningSolution
final class PackingSolution {
    static final String NODE_RANGE = "nodes";
    static final String DEVICE_RANGE = "devices";

    @ProblemFactCollectionProperty
    @ValueRangeProvider(id = NODE_RANGE)
    List<NodeSlot> nodes;

    @ProblemFactCollectionProperty
    @ValueRangeProvider(id = DEVICE_RANGE)
    List<DeviceSlot> devices;

    @PlanningEntityCollectionProperty
    List<NodePod> nodePods;

    @PlanningEntityCollectionProperty
    List<DevicePod> devicePods;

    @PlanningScore
    HardMediumSoftLongScore score;

    PackingSolution() {
        // for Timefold's solution cloner
    }

    PackingSolution(List<NodeSlot> nodes, List<DeviceSlot> devices, List<NodePod> nodePods,
            List<DevicePod> devicePods) {
        this.nodes = nodes;
        this.devices = devices;
        this.nodePods = nodePods;
        this.devicePods = devicePods;
    }
}
