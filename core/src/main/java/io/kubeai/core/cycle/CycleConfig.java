package io.kubeai.core.cycle;

/**
 * The knobs of a scheduling cycle.
 *
 * @param agingIntervalSeconds every this many seconds of waiting raise a workload's priority by
 *     {@code agingStep} in the cycle's order (0 turns aging off), up to {@code maxAgingBoost}
 * @param preemption whether the cycle may choose victims at all
 * @param maxVictims the most workloads one preemptor may evict
 * @param maxPreemptionsPerCycle the most preemptors per cycle (bounds churn)
 * @param preemptorPrecedenceCycles for how many later runs of the same {@link SchedulingCycle} a
 *     workload that preempted is decided before all other pending work, so that the room its
 *     victims free is not taken by work ordered before it (a borrower just reclaimed, say, which
 *     it would then evict again); it ends early when the workload is admitted or is no longer
 *     pending. 0 turns precedence off
 */
public record CycleConfig(long agingIntervalSeconds, int agingStep, int maxAgingBoost, boolean preemption,
        int maxVictims, int maxPreemptionsPerCycle, int preemptorPrecedenceCycles) {

    /** Precedence lasts this many runs unless configured: a minute at the controller's 10 s cycle. */
    public static final int DEFAULT_PREEMPTOR_PRECEDENCE_CYCLES = 6;

    public static final CycleConfig DEFAULT = new CycleConfig(3600, 1, 10, true, 16, 10);

    public CycleConfig {
        if (agingIntervalSeconds < 0 || agingStep < 0 || maxAgingBoost < 0 || maxVictims < 0 || maxPreemptionsPerCycle < 0
                || preemptorPrecedenceCycles < 0) {
            throw new IllegalArgumentException("cycle settings must not be negative");
        }
    }

    /** With the default preemptor precedence. */
    public CycleConfig(long agingIntervalSeconds, int agingStep, int maxAgingBoost, boolean preemption, int maxVictims,
            int maxPreemptionsPerCycle) {
        this(agingIntervalSeconds, agingStep, maxAgingBoost, preemption, maxVictims, maxPreemptionsPerCycle,
                DEFAULT_PREEMPTOR_PRECEDENCE_CYCLES);
    }

    public CycleConfig withPreemption(boolean on) {
        return new CycleConfig(agingIntervalSeconds, agingStep, maxAgingBoost, on, maxVictims, maxPreemptionsPerCycle,
                preemptorPrecedenceCycles);
    }

    public CycleConfig withAging(long intervalSeconds, int step, int maxBoost) {
        return new CycleConfig(intervalSeconds, step, maxBoost, preemption, maxVictims, maxPreemptionsPerCycle,
                preemptorPrecedenceCycles);
    }

    public CycleConfig withPreemptorPrecedence(int cycles) {
        return new CycleConfig(agingIntervalSeconds, agingStep, maxAgingBoost, preemption, maxVictims,
                maxPreemptionsPerCycle, cycles);
    }

    /** The priority a workload is ordered by after waiting {@code waitedSeconds}. */
    public long effectivePriority(int priority, long waitedSeconds) {
        if (agingIntervalSeconds == 0 || waitedSeconds <= 0) {
            return priority;
        }
        long boost = Math.min(maxAgingBoost, (waitedSeconds / agingIntervalSeconds) * agingStep);
        return priority + boost;
    }
}
