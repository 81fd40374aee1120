package io.kubeai.core.workload;

import io.kubeai.core.resource.ResourceList;
import java.util.List;
import java.util.Objects;

/**
 * What is queued and admitted as a unit: a single pod or a gang (PodGroup). A gang is admitted
 * only when at least {@code minMember} of its pods can be placed at once; its quota charge is
 * what the placed pods request. {@code createdAtSeconds} orders it by age;
 * {@code timeoutSeconds} (0 for none) bounds how long it may wait. Immutable.
 */
public final class Workload {
    private final String id;
    private final String queue;
    private final int priority;
    private final long createdAtSeconds;
    private final List<PodSet> podSets;
    private final int minMember;
    private final long timeoutSeconds;
    private final int podCount;
    private final ResourceList totalRequest;
    private final Timing timing;

    public Workload(String id, String queue, int priority, long createdAtSeconds, List<PodSet> podSets, int minMember,
            long timeoutSeconds) {
        this(id, queue, priority, createdAtSeconds, podSets, minMember, timeoutSeconds, Timing.NONE);
    }

    /** With when it may and must run, for staggering. */
    public Workload(String id, String queue, int priority, long createdAtSeconds, List<PodSet> podSets, int minMember,
            long timeoutSeconds, Timing timing) {
        this.id = Objects.requireNonNull(id, "id");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.priority = priority;
        this.createdAtSeconds = createdAtSeconds;
        this.podSets = List.copyOf(podSets);
        if (this.podSets.isEmpty()) {
            throw new IllegalArgumentException("workload " + id + " has no pods");
        }
        int n = 0;
        ResourceList total = ResourceList.EMPTY;
        for (PodSet s : this.podSets) {
            n += s.count();
            total = total.plus(ResourceList.of(s.request()).times(s.count()));
        }
        if (minMember < 1 || minMember > n) {
            throw new IllegalArgumentException("workload " + id + ": minMember must be 1.." + n + ", was " + minMember);
        }
        if (timeoutSeconds < 0) {
            throw new IllegalArgumentException("workload " + id + ": timeoutSeconds must not be negative");
        }
        this.minMember = minMember;
        this.timeoutSeconds = timeoutSeconds;
        this.podCount = n;
        this.totalRequest = total;
        this.timing = timing == null ? Timing.NONE : timing;
    }

    /** A gang of {@code count} identical pods, all of which must be placed together. */
    public static Workload gang(String id, String queue, int priority, long createdAtSeconds, int count,
            io.kubeai.core.resource.PodRequest request) {
        return new Workload(id, queue, priority, createdAtSeconds, List.of(new PodSet("worker", count, request)), count, 0);
    }

    public String id() {
        return id;
    }

    public String queue() {
        return queue;
    }

    public int priority() {
        return priority;
    }

    public long createdAtSeconds() {
        return createdAtSeconds;
    }

    public List<PodSet> podSets() {
        return podSets;
    }

    public int minMember() {
        return minMember;
    }

    public long timeoutSeconds() {
        return timeoutSeconds;
    }

    public int podCount() {
        return podCount;
    }

    /** What all its pods request together. */
    public ResourceList totalRequest() {
        return totalRequest;
    }

    public Timing timing() {
        return timing;
    }

    public Workload withTiming(Timing t) {
        return new Workload(id, queue, priority, createdAtSeconds, podSets, minMember, timeoutSeconds, t);
    }

    public boolean isGang() {
        return podCount > 1;
    }

    public Workload withPriority(int p) {
        return new Workload(id, queue, p, createdAtSeconds, podSets, minMember, timeoutSeconds, timing);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Workload w && id.equals(w.id);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return id + "{queue " + queue + ", priority " + priority + ", " + podCount + " pods, " + totalRequest + "}";
    }
}
