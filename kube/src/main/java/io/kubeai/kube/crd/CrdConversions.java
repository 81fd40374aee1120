package io.kubeai.kube.crd;

import io.fabric8.kubernetes.api.model.Quantity;
import io.kubeai.core.config.QueueWindowRule;
import io.kubeai.core.config.Tree;
import io.kubeai.core.config.ValidationError;
import io.kubeai.core.config.Windows;
import io.kubeai.core.queue.QueueSpec;
import io.kubeai.core.queue.QueueingStrategy;
import io.kubeai.core.resource.ResourceLimits;
import io.kubeai.core.resource.ResourceList;
import io.kubeai.kube.InvalidObjectException;
import io.kubeai.kube.KubeAiNames;
import io.kubeai.kube.KubeConversions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * From our CRDs to core types. Quantities follow Kubernetes: {@code cpu} in cores ({@code 500m}),
 * {@code memory} in bytes ({@code 16Gi}), {@code nvidia.com/gpu} in whole GPUs (core counts
 * milli-GPU, so 8 becomes 8000), others as plain numbers.
 */
public final class CrdConversions {
    private CrdConversions() {
    }

    public static QueueSpec queue(Queue q) {
        String name = q.getMetadata().getName();
        QueueResourceSpec s = q.getSpec() == null ? new QueueResourceSpec() : q.getSpec();
        String at = "queue " + name + " spec.";
        QueueingStrategy queueing = QueueingStrategy.BEST_EFFORT_FIFO;
        if (s.getQueueing() != null) {
            queueing = switch (s.getQueueing()) {
                case "StrictFIFO" -> QueueingStrategy.STRICT_FIFO;
                case "BestEffortFIFO" -> QueueingStrategy.BEST_EFFORT_FIFO;
                default -> throw new InvalidObjectException(at + "queueing: \"" + s.getQueueing()
                        + "\" is not one of [StrictFIFO, BestEffortFIFO]");
            };
        }
        return new QueueSpec(name, blankToNull(s.getParent()), list(s.getMin(), at + "min"), limits(s.getMax(), at + "max"),
                s.getWeight() == null ? 1 : s.getWeight(), limits(s.getBorrowingLimit(), at + "borrowingLimit"),
                limits(s.getLendingLimit(), at + "lendingLimit"), s.getPriority() == null ? 0 : s.getPriority(), queueing);
    }

    /**
     * A queue's time windows ({@code spec.windows}) in core's terms, in order; throws naming the
     * queue and every bad field ({@code queue dev spec.windows[1].start: "25:00" is not a time of day ...}).
     */
    public static List<QueueWindowRule> windows(Queue q) {
        List<QueueWindowSpec> specs = q.getSpec() == null || q.getSpec().getWindows() == null ? List.of()
                : q.getSpec().getWindows();
        if (specs.isEmpty()) {
            return List.of();
        }
        List<Object> raw = new ArrayList<>();
        for (QueueWindowSpec w : specs) {
            Map<String, Object> m = new LinkedHashMap<>();
            if (w == null) {
                raw.add(m); // reported as missing its fields
                continue;
            }
            put(m, "days", w.getDays());
            put(m, "start", w.getStart());
            put(m, "end", w.getEnd());
            put(m, "timeZone", w.getTimeZone());
            put(m, "action", w.getAction());
            put(m, "minScale", w.getMinScale());
            put(m, "maxScale", w.getMaxScale());
            put(m, "evictRunning", w.getEvictRunning());
            raw.add(m);
        }
        List<ValidationError> errors = new ArrayList<>();
        Map<String, Object> doc = Map.of("spec", Map.of("windows", raw));
        List<QueueWindowRule> out = Windows.queueWindows(Tree.root(doc, errors).child("spec"), "windows");
        if (!errors.isEmpty()) {
            throw new InvalidObjectException("queue " + q.getMetadata().getName() + " "
                    + String.join("; ", errors.stream().map(ValidationError::toString).toList()));
        }
        return out;
    }

    private static void put(Map<String, Object> m, String key, Object v) {
        if (v != null) {
            m.put(key, v);
        }
    }

    public static ResourceList list(Map<String, Quantity> q, String where) {
        return q == null ? ResourceList.EMPTY : ResourceList.of(amounts(q, where));
    }

    public static ResourceLimits limits(Map<String, Quantity> q, String where) {
        return q == null ? ResourceLimits.UNLIMITED : ResourceLimits.of(amounts(q, where));
    }

    /** Core quantities back into Kubernetes ones, for status. */
    public static Map<String, Quantity> quantities(ResourceList r) {
        Map<String, Quantity> out = new HashMap<>();
        for (int i = 0; i < r.size(); i++) {
            String n = r.name(i);
            long v = r.value(i);
            out.put(n, switch (n) {
                case ResourceList.CPU -> new Quantity(v % 1000 == 0 ? String.valueOf(v / 1000) : v + "m");
                case ResourceList.GPU -> new Quantity(ResourceList.format(n, v));
                default -> new Quantity(String.valueOf(v));
            });
        }
        return out;
    }

    private static Map<String, Long> amounts(Map<String, Quantity> q, String where) {
        Map<String, Long> m = new HashMap<>();
        q.forEach((k, v) -> {
            long amount = switch (k) {
                case ResourceList.CPU -> KubeConversions.millis(v, where + "." + k);
                case KubeAiNames.GPU_RESOURCE -> Math.multiplyExact(KubeConversions.units(v, where + "." + k), 1000L);
                default -> KubeConversions.units(v, where + "." + k);
            };
            m.put(k, amount);
        });
        return m;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
