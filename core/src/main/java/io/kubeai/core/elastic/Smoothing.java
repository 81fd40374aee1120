package io.kubeai.core.elastic;

/**
 * Keeps a published elastic figure from swinging: a change smaller than the hysteresis band is
 * not made at all, and a larger one moves the figure by at most one step per interval, up or
 * down. Both are a percentage of the node's capacity. Koordinator users saw a node's batch CPU
 * fall to zero in one update and everything on it evicted (koordinator-sh/koordinator issues
 * 1906 and 2118); with a step of 10 % a fall from full to nothing takes ten intervals, and the
 * reclaimer evicts only against the figure it has reached. Pure; O(1).
 */
public final class Smoothing {
    private Smoothing() {
    }

    /**
     * The next figure after {@code previous}, heading for {@code target}.
     *
     * @param capacity what the percentages are of (the node's capacity of the resource)
     * @param hysteresisPercent changes of at most this much of capacity are ignored
     * @param maxStepPercent the most the figure moves in one interval; at least one unit
     */
    public static long next(long previous, long target, long capacity, double hysteresisPercent, double maxStepPercent) {
        long band = (long) Math.floor(capacity * hysteresisPercent / 100.0);
        long step = Math.max(1, (long) Math.floor(capacity * maxStepPercent / 100.0));
        long diff = target - previous;
        // Inside the band: keep what is published, so that noise publishes nothing.
        if (Math.abs(diff) <= band) {
            return previous;
        }
        // Outside it: one step at most toward the target.
        return previous + Math.max(-step, Math.min(step, diff));
    }
}
