package io.kubeai.simulator.jobs.sim;

import io.kubeai.core.cycle.CycleConfig;
import io.kubeai.core.placement.PlacementBestFit;
import io.kubeai.core.placement.PlacementPolicies;
import java.util.Objects;

/**
 * The knobs of a job simulation, with their defaults in {@link #DEFAULT}.
 *
 * @param placementPolicy the placement policy every scheduler places pods with ({@code BestFit})
 * @param seed drives every random tie-break of the run
 * @param cycleIntervalSeconds the least time between two scheduling cycles (10 s): an event
 *     requests a cycle at {@code max(event time, last cycle + interval)}, and every event until
 *     then is coalesced into it; 0 runs a cycle at every event timestamp
 * @param sampleIntervalSeconds how often allocation, fragmentation, queue lengths and borrowing
 *     are sampled (300 s)
 * @param deadlockTimeoutSeconds how long a partially placed gang must have gained no pod before it
 *     is checked for deadlock (600 s)
 * @param jobTimeoutSeconds how long a job may wait in its queue before it fails, for schedulers
 *     that honour timeouts (kubeai's {@code Workload.timeoutSeconds}); 0 for none
 * @param horizonSeconds stop at this simulated time; 0 runs until nothing more can happen
 * @param kubeAiCycle the cycle settings of the kubeai scheduler
 */
public record JobSimulationConfig(String placementPolicy, long seed, long cycleIntervalSeconds,
        long sampleIntervalSeconds, long deadlockTimeoutSeconds, long jobTimeoutSeconds, long horizonSeconds,
        CycleConfig kubeAiCycle) {

    public static final JobSimulationConfig DEFAULT = new JobSimulationConfig(PlacementBestFit.NAME, 1, 10, 300,
            600, 0, 0, CycleConfig.DEFAULT);

    public JobSimulationConfig {
        placementPolicy = PlacementPolicies.canonicalName(Objects.requireNonNull(placementPolicy, "placementPolicy"));
        Objects.requireNonNull(kubeAiCycle, "kubeAiCycle");
        if (cycleIntervalSeconds < 0 || deadlockTimeoutSeconds < 0 || jobTimeoutSeconds < 0 || horizonSeconds < 0) {
            throw new IllegalArgumentException("simulation intervals must not be negative");
        }
        if (sampleIntervalSeconds < 1) {
            throw new IllegalArgumentException("sampleIntervalSeconds must be at least 1, was " + sampleIntervalSeconds);
        }
    }

    public JobSimulationConfig withPlacementPolicy(String name) {
        return new JobSimulationConfig(name, seed, cycleIntervalSeconds, sampleIntervalSeconds, deadlockTimeoutSeconds,
                jobTimeoutSeconds, horizonSeconds, kubeAiCycle);
    }

    public JobSimulationConfig withSeed(long s) {
        return new JobSimulationConfig(placementPolicy, s, cycleIntervalSeconds, sampleIntervalSeconds,
                deadlockTimeoutSeconds, jobTimeoutSeconds, horizonSeconds, kubeAiCycle);
    }

    public JobSimulationConfig withCycleInterval(long seconds) {
        return new JobSimulationConfig(placementPolicy, seed, seconds, sampleIntervalSeconds, deadlockTimeoutSeconds,
                jobTimeoutSeconds, horizonSeconds, kubeAiCycle);
    }

    public JobSimulationConfig withSampleInterval(long seconds) {
        return new JobSimulationConfig(placementPolicy, seed, cycleIntervalSeconds, seconds, deadlockTimeoutSeconds,
                jobTimeoutSeconds, horizonSeconds, kubeAiCycle);
    }

    public JobSimulationConfig withDeadlockTimeout(long seconds) {
        return new JobSimulationConfig(placementPolicy, seed, cycleIntervalSeconds, sampleIntervalSeconds, seconds,
                jobTimeoutSeconds, horizonSeconds, kubeAiCycle);
    }

    public JobSimulationConfig withJobTimeout(long seconds) {
        return new JobSimulationConfig(placementPolicy, seed, cycleIntervalSeconds, sampleIntervalSeconds,
                deadlockTimeoutSeconds, seconds, horizonSeconds, kubeAiCycle);
    }

    public JobSimulationConfig withHorizon(long seconds) {
        return new JobSimulationConfig(placementPolicy, seed, cycleIntervalSeconds, sampleIntervalSeconds,
                deadlockTimeoutSeconds, jobTimeoutSeconds, seconds, kubeAiCycle);
    }

    public JobSimulationConfig withKubeAiCycle(CycleConfig c) {
        return new JobSimulationConfig(placementPolicy, seed, cycleIntervalSeconds, sampleIntervalSeconds,
                deadlockTimeoutSeconds, jobTimeoutSeconds, horizonSeconds, c);
    }
}
