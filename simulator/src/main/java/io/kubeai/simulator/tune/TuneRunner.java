package io.kubeai.simulator.tune;

import io.kubeai.core.config.SchedulingPolicy;

/**
 * What the tuner runs each configuration on: a scenario with its work, giving every
 * {@link TuneMetric} of one run. Implementations are shared by the tuner's threads and must be
 * safe to call from several at once; a run depends only on the policy and the seed.
 */
public interface TuneRunner {
    /** One line for reports: what is simulated. */
    String description();

    /** A digest of everything the runs read but the policy and the seed, to check shards ran the same thing. */
    String fingerprint();

    /** Checks that the runner can run {@code seeds} seeds; throws {@link IllegalArgumentException} otherwise. */
    void checkSeeds(int seeds);

    /** Every metric of the run of {@code policy} with the seed {@code seed} (at {@code seedIndex} in the space). */
    double[] run(SchedulingPolicy policy, int seedIndex, long seed);
}
