package io.kubeai.simulator.tune;

import io.kubeai.core.config.SchedulingPolicy;
import io.kubeai.simulator.jobs.sim.JobSimulationConfig;
import java.util.List;

/**
 * The one place a {@link SchedulingPolicy} becomes a job simulation's settings: everything the
 * tuner changes reaches the simulator through {@link #configFor}, and {@link #READ_PATHS} lists
 * the policy fields it carries over. A knob at any other path would change nothing in a
 * simulation, so the tuner refuses it. When the simulator learns to read another section of the
 * policy (elastic thresholds, windows, small/large thresholds), it is mapped here and its paths
 * are added to {@link #READ_PATHS}; a test checks that every listed path changes the result.
 */
public final class PolicySimulation {

    /** The policy fields the job simulator reads, as paths in the policy file. */
    public static final List<String> READ_PATHS = List.of(
            "placement.policy",
            "queueing.agingIntervalSeconds",
            "queueing.agingStep",
            "queueing.maxAgingBoost",
            "preemption.enabled",
            "preemption.maxVictims",
            "preemption.maxPreemptionsPerCycle",
            "preemption.preemptorPrecedenceCycles");

    private PolicySimulation() {
    }

    /**
     * The simulation settings of {@code base} with the policy's placement and cycle; the run's own
     * settings (seed, cycle interval, sampling, timeouts, horizon) stay those of {@code base}.
     */
    public static JobSimulationConfig configFor(SchedulingPolicy policy, JobSimulationConfig base) {
        return base.withPlacementPolicy(policy.placementPolicy()).withKubeAiCycle(policy.cycle());
    }
}
