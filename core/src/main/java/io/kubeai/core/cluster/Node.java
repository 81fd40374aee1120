package io.kubeai.core.cluster;

import io.kubeai.core.resource.ExtendedResources;
import java.util.Objects;

/**
 * A node's allocatable capacity: CPU, memory, identical GPU devices of one model, and extended
 * resources. Immutable; what is in use lives in {@link NodeState}.
 */
public record Node(
        String name,
        long cpuMillis,
        long memoryBytes,
        int gpuCount,
        String gpuModel,
        ExtendedResources extended) {

    /** Devices per node are tracked in an {@code int} bit mask. */
    public static final int MAX_GPUS = 31;

    public Node {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(extended, "extended");
        gpuModel = gpuModel == null ? "" : gpuModel;
        if (name.isBlank()) {
            throw new IllegalArgumentException("node name must not be blank");
        }
        if (cpuMillis < 0 || memoryBytes < 0) {
            throw new IllegalArgumentException("node " + name + ": capacity must not be negative");
        }
        if (gpuCount < 0 || gpuCount > MAX_GPUS) {
            throw new IllegalArgumentException(
                    "node " + name + ": gpuCount must be 0.." + MAX_GPUS + ", was " + gpuCount);
        }
    }

    public static Node of(String name, long cpuMillis, long memoryBytes, int gpuCount, String gpuModel) {
        return new Node(name, cpuMillis, memoryBytes, gpuCount, gpuModel, ExtendedResources.NONE);
    }
}
