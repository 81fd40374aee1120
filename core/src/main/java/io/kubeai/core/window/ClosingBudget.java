package io.kubeai.core.window;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The budget of window-closing evictions: at most {@code max} workloads evicted in any interval
 * of {@code interval} (a sliding interval, so cycles that run often cannot spend it twice), and
 * a workload whose eviction was refused is not tried again before an interval has passed (a
 * PodDisruptionBudget's 429 is answered by waiting, not by a loop). Instants are given; O(1)
 * amortised per call. Not thread-safe. The controller and the simulator both spend it through
 * {@link ClosingEvictions}.
 */
public final class ClosingBudget {
    private final Duration interval;
    private final int max;
    private final ArrayDeque<Instant> spent = new ArrayDeque<>();
    private final Map<String, Instant> retryAt = new HashMap<>();

    public ClosingBudget(Duration interval, int max) {
        this.interval = interval;
        this.max = max;
    }

    /** Forgets evictions and refusals older than one interval before {@code now}. */
    public void advance(Instant now) {
        while (!spent.isEmpty() && !spent.peekFirst().plus(interval).isAfter(now)) {
            spent.removeFirst();
        }
        retryAt.values().removeIf(t -> !t.isAfter(now));
    }

    /** Evictions made in the interval that ends now (call {@link #advance} first). */
    public int used() {
        return spent.size();
    }

    public int max() {
        return max;
    }

    /** Whether the workload may be tried now: not refused within the last interval. */
    public boolean mayTry(String workloadId) {
        return !retryAt.containsKey(workloadId);
    }

    /** An eviction was made (at least one pod of the workload left): it spends the budget. */
    public void evicted(Instant now) {
        spent.addLast(now);
    }

    /** An eviction was refused (in whole or in part): the workload waits an interval. */
    public void refused(String workloadId, Instant now) {
        retryAt.put(workloadId, now.plus(interval));
    }
}
