package io.kubeai.kube.crd;

import io.fabric8.kubernetes.api.model.Quantity;
import io.kubeai.core.queue.QueueSpec;
import io.kubeai.core.queue.QueueingStrategy;
import io.kubeai.core.resource.ResourceLimits;
import io.kubeai.core.resource.ResourceList;
import io.kubeai.kube.InvalidObjectException;
import io.kubeai.kube.KubeAiNames;
import io.kubeai.kube.KubeConversions;
import java.util.HashMap;
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
