package io.kubeai.simulator.jobs.scheduler;

import io.kubeai.core.window.QueueWindow;
import io.kubeai.core.window.Stagger;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the kubeai scheduler staggers work by, as the live controller would be configured:
 * deferral of production periodic work to an off-peak window against its deadline
 * ({@link Stagger}), time windows that scale a queue's {@code min}/{@code max} or close it
 * ({@link QueueWindow}), and how fast a closing window evicts what still runs in its queue
 * ({@code io.kubeai.core.window.ClosingEvictions}): at most {@code closingEvictionsPerInterval}
 * workloads per {@code intervalSeconds}. Simulation seconds are read as epoch seconds, as the
 * cycle reads them ({@code Instant.ofEpochSecond}).
 *
 * @param windows per queue name, its windows in order (the first open one wins)
 * @param intervalSeconds how often a scheduler with windows or deferred work looks again even
 *     when nothing arrives or completes, and the period of the closing-eviction budget
 */
public record Staggering(Stagger stagger, Map<String, List<QueueWindow>> windows, int closingEvictionsPerInterval,
        long intervalSeconds) {

    /** Nothing staggered: no deferral, no windows. */
    public static final Staggering NONE = new Staggering(Stagger.NONE, Map.of(), 0, 60);

    public Staggering {
        Objects.requireNonNull(stagger, "stagger");
        windows = Map.copyOf(windows);
        windows.values().forEach(l -> List.copyOf(l));
        if (closingEvictionsPerInterval < 0) {
            throw new IllegalArgumentException("closingEvictionsPerInterval must not be negative, was "
                    + closingEvictionsPerInterval);
        }
        if (intervalSeconds < 1) {
            throw new IllegalArgumentException("intervalSeconds must be at least 1, was " + intervalSeconds);
        }
    }

    public boolean isNone() {
        return stagger.offPeak() == null && windows.isEmpty();
    }
}
