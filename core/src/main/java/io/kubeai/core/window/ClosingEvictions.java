package io.kubeai.core.window;

import io.kubeai.core.workload.Admission;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * When a queue's window closes, its running workloads leave gradually, never all at once (the
 * idea of Volcano's tdm plugin, with the time passed in): at most {@code budget} per interval,
 * the lowest priority and the most recently admitted first. Pure.
 */
public final class ClosingEvictions {
    private ClosingEvictions() {
    }

    /**
     * The workloads to evict now: those running in a closed queue, in order, up to {@code budget}
     * minus those already leaving ({@code inProgress}).
     */
    public static List<Admission> choose(Collection<Admission> running, Map<String, String> closedQueues,
            java.util.function.IntFunction<String> queueName, int budget, int inProgress) {
        int room = Math.max(0, budget - inProgress);
        List<Admission> in = new ArrayList<>();
        for (Admission a : running) {
            if (closedQueues.containsKey(queueName.apply(a.queueIndex()))) {
                in.add(a);
            }
        }
        in.sort(Comparator.<Admission>comparingInt(a -> a.workload().priority())
                .thenComparing(Comparator.comparingLong(Admission::admittedAtSeconds).reversed())
                .thenComparing(a -> a.workload().id()));
        return in.subList(0, Math.min(room, in.size()));
    }
}
