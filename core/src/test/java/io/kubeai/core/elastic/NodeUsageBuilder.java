package io.kubeai.core.elastic;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@code node("n1").cores(64).memoryGi(256).used(8, 64).at(now).online("ml/a", 4, 16).build()}. */
public final class NodeUsageBuilder {
    public static final long GI = 1L << 30;

    private final String name;
    private Usage capacity = new Usage(64_000, 256 * GI);
    private Usage allocatable;
    private Usage used;
    private Instant at;
    private final List<PodUsage> pods = new ArrayList<>();
    private Instant podsAt;

    private NodeUsageBuilder(String name) {
        this.name = name;
    }

    public static NodeUsageBuilder node(String name) {
        return new NodeUsageBuilder(name);
    }

    public NodeUsageBuilder capacity(long cpuMillis, long memoryBytes) {
        capacity = new Usage(cpuMillis, memoryBytes);
        return this;
    }

    public NodeUsageBuilder allocatable(long cpuMillis, long memoryBytes) {
        allocatable = new Usage(cpuMillis, memoryBytes);
        return this;
    }

    /** The node's measured usage, and when (also the default time of pod samples). */
    public NodeUsageBuilder used(long cpuMillis, long memoryBytes, Instant measuredAt) {
        used = new Usage(cpuMillis, memoryBytes);
        at = measuredAt;
        podsAt = measuredAt;
        return this;
    }

    /** Pod samples added after this are taken at {@code t}. */
    public NodeUsageBuilder podsMeasuredAt(Instant t) {
        podsAt = t;
        return this;
    }

    /** An online pod requesting {@code req} and using {@code use} (cpu millis, memory bytes). */
    public NodeUsageBuilder online(String key, Usage req, Usage use) {
        pods.add(new PodUsage(key, false, req, use, use == null ? null : podsAt));
        return this;
    }

    public NodeUsageBuilder elastic(String key, Usage req, Usage use) {
        pods.add(new PodUsage(key, true, req, use, use == null ? null : podsAt));
        return this;
    }

    public NodeUsage build() {
        return new NodeUsage(name, capacity, allocatable == null ? capacity : allocatable, used, at, pods);
    }

    public static Usage cpu(long millis) {
        return new Usage(millis, 0);
    }

    public static Usage mem(long bytes) {
        return new Usage(0, bytes);
    }

    public static Usage use(long millis, long bytes) {
        return new Usage(millis, bytes);
    }
}
