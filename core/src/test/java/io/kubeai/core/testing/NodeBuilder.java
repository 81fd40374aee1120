package io.kubeai.core.testing;

import io.kubeai.core.cluster.Node;
import io.kubeai.core.resource.ExtendedResources;
import java.util.TreeMap;

/** Builds a {@link Node}'s capacity; see {@link Builders#node(String)}. */
public final class NodeBuilder {
    private static final long GIB = 1024L * 1024 * 1024;

    private final String name;
    private long cpuMillis;
    private long memoryBytes;
    private int gpuCount;
    private String gpuModel = "";
    private final TreeMap<String, Long> extended = new TreeMap<>();

    NodeBuilder(String name) {
        this.name = name;
    }

    public NodeBuilder cpu(long millis) {
        this.cpuMillis = millis;
        return this;
    }

    public NodeBuilder memoryGi(long gibibytes) {
        this.memoryBytes = gibibytes * GIB;
        return this;
    }

    public NodeBuilder memoryBytes(long bytes) {
        this.memoryBytes = bytes;
        return this;
    }

    /** {@code count} identical devices of {@code model}. */
    public NodeBuilder gpus(int count, String model) {
        this.gpuCount = count;
        this.gpuModel = model;
        return this;
    }

    public NodeBuilder extended(String name, long quantity) {
        extended.put(name, quantity);
        return this;
    }

    public Node build() {
        return new Node(name, cpuMillis, memoryBytes, gpuCount, gpuModel, ExtendedResources.of(extended));
    }
}
