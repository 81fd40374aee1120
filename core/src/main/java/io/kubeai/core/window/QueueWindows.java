package io.kubeai.core.window;

import io.kubeai.core.queue.QueueSpec;
import io.kubeai.core.resource.ResourceLimits;
import io.kubeai.core.resource.ResourceList;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The queues as they are at an instant: each open window's scales applied to its queue's
 * {@code min} and {@code max} (the first open window of a queue wins), and the queues a window
 * closes, with a sentence saying until when. Pure: the instant is given.
 */
public final class QueueWindows {

    /** Specs as of the instant, and closed queues with the reason. */
    public record AtInstant(List<QueueSpec> specs, Map<String, String> closed) {
    }

    private QueueWindows() {
    }

    public static AtInstant at(List<QueueSpec> specs, Map<String, List<QueueWindow>> windows, Instant now) {
        List<QueueSpec> out = new ArrayList<>(specs.size());
        Map<String, String> closed = new LinkedHashMap<>();
        for (QueueSpec s : specs) {
            QueueSpec effective = s;
            for (QueueWindow w : windows.getOrDefault(s.name(), List.of())) {
                if (!w.window().contains(now)) {
                    continue;
                }
                if (w.closed()) {
                    String until = w.window().closesAt(now).map(Instant::toString).orElse("?");
                    closed.put(s.name(), "queue " + s.name() + " is closed by its window " + w.window() + " until " + until);
                } else {
                    effective = new QueueSpec(s.name(), s.parent(), scale(s.min(), w.minScale()),
                            scale(s.max(), w.maxScale()), s.weight(), s.borrowingLimit(), s.lendingLimit(), s.priority(),
                            s.queueing());
                }
                break;
            }
            out.add(effective);
        }
        return new AtInstant(out, closed);
    }

    static ResourceList scale(ResourceList r, double f) {
        Map<String, Long> m = new HashMap<>();
        for (int i = 0; i < r.size(); i++) {
            m.put(r.name(i), (long) Math.floor(r.value(i) * f));
        }
        return ResourceList.of(m);
    }

    static ResourceLimits scale(ResourceLimits r, double f) {
        if (r.isUnlimited()) {
            return r;
        }
        Map<String, Long> m = new HashMap<>();
        for (String n : r.names()) {
            m.put(n, (long) Math.floor(r.limit(n) * f));
        }
        return ResourceLimits.of(m);
    }
}
