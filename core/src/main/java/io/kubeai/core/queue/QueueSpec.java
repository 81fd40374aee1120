package io.kubeai.core.queue;

import io.kubeai.core.resource.ResourceLimits;
import io.kubeai.core.resource.ResourceList;
import java.util.Objects;

/**
 * A queue as configured: its parent (none for a top-level queue), the resources it is guaranteed
 * ({@code min}), its cap ({@code max}, unbounded where not named), its weight in fair sharing,
 * how much it may borrow beyond its min and how much of its unused min it lends, its priority
 * among queues, and what happens behind a blocked head.
 */
public record QueueSpec(
        String name,
        String parent,
        ResourceList min,
        ResourceLimits max,
        int weight,
        ResourceLimits borrowingLimit,
        ResourceLimits lendingLimit,
        int priority,
        QueueingStrategy queueing) {

    public QueueSpec {
        Objects.requireNonNull(name, "name");
        min = min == null ? ResourceList.EMPTY : min;
        max = max == null ? ResourceLimits.UNLIMITED : max;
        borrowingLimit = borrowingLimit == null ? ResourceLimits.UNLIMITED : borrowingLimit;
        lendingLimit = lendingLimit == null ? ResourceLimits.UNLIMITED : lendingLimit;
        queueing = queueing == null ? QueueingStrategy.BEST_EFFORT_FIFO : queueing;
    }

    public static Builder named(String name) {
        return new Builder(name);
    }

    /** Fluent construction with the defaults: no parent, no min, no limits, weight 1. */
    public static final class Builder {
        private final String name;
        private String parent;
        private ResourceList min = ResourceList.EMPTY;
        private ResourceLimits max = ResourceLimits.UNLIMITED;
        private int weight = 1;
        private ResourceLimits borrowingLimit = ResourceLimits.UNLIMITED;
        private ResourceLimits lendingLimit = ResourceLimits.UNLIMITED;
        private int priority;
        private QueueingStrategy queueing = QueueingStrategy.BEST_EFFORT_FIFO;

        private Builder(String name) {
            this.name = name;
        }

        public Builder parent(String p) {
            this.parent = p;
            return this;
        }

        public Builder min(ResourceList m) {
            this.min = m;
            return this;
        }

        public Builder max(ResourceLimits m) {
            this.max = m;
            return this;
        }

        public Builder weight(int w) {
            this.weight = w;
            return this;
        }

        public Builder borrowingLimit(ResourceLimits l) {
            this.borrowingLimit = l;
            return this;
        }

        public Builder lendingLimit(ResourceLimits l) {
            this.lendingLimit = l;
            return this;
        }

        public Builder priority(int p) {
            this.priority = p;
            return this;
        }

        public Builder queueing(QueueingStrategy q) {
            this.queueing = q;
            return this;
        }

        public QueueSpec build() {
            return new QueueSpec(name, parent, min, max, weight, borrowingLimit, lendingLimit, priority, queueing);
        }
    }
}
