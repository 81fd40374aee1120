package io.kubeai.simulator.offline;

import ai.timefold.solver.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import ai.timefold.solver.core.api.score.stream.Constraint;
import ai.timefold.solver.core.api.score.stream.ConstraintFactory;
import ai.timefold.solver.core.api.score.stream.ConstraintProvider;

/**
 * The offline packing's constraints (Timefold Constraint Streams):
 *
 * <ul>
 *   <li>hard: no node over its CPU, memory, per-device milli-GPU or device count
 *       ({@link NodeLoadCollector}); no GPU pod on a GPU model it does not accept;
 *   <li>medium: place CPU-only pods (one point each; only present when they are included);
 *   <li>soft: place GPU, one point per milli-GPU.
 * </ul>
 */
public final class PackingConstraints implements ConstraintProvider {

    public PackingConstraints() {
        // instantiated by Timefold
    }

    @Override
    public Constraint[] defineConstraints(ConstraintFactory factory) {
        return new Constraint[] {
            nodeCapacity(factory),
            gpuModel(factory),
            cpuOnlyPodsPlaced(factory),
            gpuPlaced(factory),
        };
    }

    Constraint nodeCapacity(ConstraintFactory factory) {
        return factory.forEach(PackedPod.class)
                .filter(PackedPod::isAssigned)
                .groupBy(PackedPod::assignedNode, NodeLoadCollector.INSTANCE)
                .filter((node, overload) -> overload > 0)
                .penalizeLong(HardMediumSoftLongScore.ONE_HARD, (node, overload) -> overload)
                .asConstraint("node capacity");
    }

    Constraint gpuModel(ConstraintFactory factory) {
        return factory.forEach(PackedPod.class)
                .filter(p -> !p.modelAllowed())
                .penalizeLong(HardMediumSoftLongScore.ONE_HARD, p -> 1000L)
                .asConstraint("GPU model");
    }

    Constraint cpuOnlyPodsPlaced(ConstraintFactory factory) {
        return factory.forEach(NodePod.class)
                .filter(p -> p.node != null && p.cpuOnly())
                .reward(HardMediumSoftLongScore.ONE_MEDIUM)
                .asConstraint("CPU-only pods placed");
    }

    Constraint gpuPlaced(ConstraintFactory factory) {
        return factory.forEach(PackedPod.class)
                .filter(p -> p.isAssigned() && !p.cpuOnly())
                .rewardLong(HardMediumSoftLongScore.ONE_SOFT, PackedPod::gpuMillis)
                .asConstraint("GPU placed");
    }
}
