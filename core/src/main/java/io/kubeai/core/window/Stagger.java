package io.kubeai.core.window;

import io.kubeai.core.workload.Timing;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Staggering: which workloads wait for their window. A workload with {@code notBefore} waits
 * for it; a production periodic workload without one waits for the off-peak window (if one is
 * configured) — unless its deadline, given its expected duration and a safety margin, needs it
 * to start earlier: then it may start as soon as it must. Pure: the instant is given.
 */
public record Stagger(TimeWindow offPeak, Duration safetyMargin) {
    public static final Stagger NONE = new Stagger(null, Duration.ZERO);

    /** Until when the workload is deferred at {@code now}, with why; empty when it may start now. */
    public Optional<Deferral> deferral(Timing t, Instant now) {
        Instant eligible = null;
        String why = null;
        if (t.notBefore() != null && now.isBefore(t.notBefore())) {
            eligible = t.notBefore();
            why = "its not-before time " + t.notBefore();
        } else if (t.notBefore() == null && offPeak != null && t.periodic() && "prod".equals(t.tier())) {
            Optional<Instant> open = offPeak.nextOpen(now);
            if (open.isPresent() && open.get().isAfter(now)) {
                eligible = open.get();
                why = "the off-peak window " + offPeak;
            }
        }
        if (eligible == null) {
            return Optional.empty();
        }
        Instant latest = t.latestStart();
        if (latest != null) {
            Instant mustStart = latest.minus(safetyMargin);
            if (!now.isBefore(mustStart)) {
                return Optional.empty(); // its deadline needs it now
            }
            if (mustStart.isBefore(eligible)) {
                eligible = mustStart;
                why = why + ", or earlier when its deadline " + t.deadline() + " requires";
            }
        }
        return Optional.of(new Deferral(eligible, "deferred until " + eligible + ": " + why));
    }

    /** A workload deferred until {@code until}. */
    public record Deferral(Instant until, String reason) {
    }
}
