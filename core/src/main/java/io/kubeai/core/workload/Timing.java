package io.kubeai.core.workload;

import java.time.Instant;

/**
 * When a workload may and must run: not before {@code notBefore}, finished by {@code deadline}
 * given that it runs about {@code expectedDurationSeconds}; its tier ({@code prod} or
 * {@code dev}) and whether it recurs (a CronJob's). Null instants mean "no such bound".
 */
public record Timing(String tier, boolean periodic, Instant notBefore, Instant deadline, long expectedDurationSeconds) {
    public static final Timing NONE = new Timing(null, false, null, null, 0);

    public Timing {
        if (expectedDurationSeconds < 0) {
            throw new IllegalArgumentException("expectedDurationSeconds must not be negative");
        }
    }

    /** The latest start that still meets the deadline, or null without one. */
    public Instant latestStart() {
        return deadline == null ? null : deadline.minusSeconds(expectedDurationSeconds);
    }
}
