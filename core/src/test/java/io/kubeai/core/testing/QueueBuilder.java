package io.kubeai.core.testing;

import io.kubeai.core.queue.QueueSpec;
import io.kubeai.core.queue.QueueingStrategy;
import io.kubeai.core.resource.ResourceLimits;
import io.kubeai.core.resource.ResourceList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds a {@link QueueSpec} one resource at a time; see {@link Builders#queue(String)}.
 * Defaults as {@link QueueSpec.Builder}: top level, no min, no limits, weight 1, priority 0,
 * best-effort FIFO. GPU helpers take whole GPUs and store milli-GPU: {@code minGpus(8)} is
 * {@code min("nvidia.com/gpu", 8000)}.
 */
public final class QueueBuilder {
    private final String name;
    private String parent;
    private final Map<String, Long> min = new LinkedHashMap<>();
    private final Map<String, Long> max = new LinkedHashMap<>();
    private final Map<String, Long> borrowingLimit = new LinkedHashMap<>();
    private final Map<String, Long> lendingLimit = new LinkedHashMap<>();
    private int weight = 1;
    private int priority;
    private QueueingStrategy queueing = QueueingStrategy.BEST_EFFORT_FIFO;

    QueueBuilder(String name) {
        this.name = name;
    }

    public QueueBuilder parent(String p) {
        this.parent = p;
        return this;
    }

    public QueueBuilder min(String resource, long quantity) {
        min.put(resource, quantity);
        return this;
    }

    public QueueBuilder max(String resource, long quantity) {
        max.put(resource, quantity);
        return this;
    }

    public QueueBuilder borrowingLimit(String resource, long quantity) {
        borrowingLimit.put(resource, quantity);
        return this;
    }

    public QueueBuilder lendingLimit(String resource, long quantity) {
        lendingLimit.put(resource, quantity);
        return this;
    }

    public QueueBuilder minGpus(long gpus) {
        return min(ResourceList.GPU, gpus * 1000);
    }

    public QueueBuilder maxGpus(long gpus) {
        return max(ResourceList.GPU, gpus * 1000);
    }

    public QueueBuilder borrowingLimitGpus(long gpus) {
        return borrowingLimit(ResourceList.GPU, gpus * 1000);
    }

    public QueueBuilder lendingLimitGpus(long gpus) {
        return lendingLimit(ResourceList.GPU, gpus * 1000);
    }

    public QueueBuilder weight(int w) {
        this.weight = w;
        return this;
    }

    public QueueBuilder priority(int p) {
        this.priority = p;
        return this;
    }

    public QueueBuilder strictFifo() {
        this.queueing = QueueingStrategy.STRICT_FIFO;
        return this;
    }

    public QueueBuilder queueing(QueueingStrategy q) {
        this.queueing = q;
        return this;
    }

    public QueueSpec build() {
        return QueueSpec.named(name).parent(parent).min(ResourceList.of(min)).max(ResourceLimits.of(max))
                .borrowingLimit(ResourceLimits.of(borrowingLimit)).lendingLimit(ResourceLimits.of(lendingLimit))
                .weight(weight).priority(priority).queueing(queueing).build();
    }
}
