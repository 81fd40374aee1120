package io.kubeai.core.cpu;

import java.util.Objects;

/**
 * The CPUs of a node a new pod may take: {@code free} CPUs nobody holds, and {@code shared}
 * CPUs held only by shareable pods (a shareable pod may join them, an exclusive one may not).
 * The two never overlap.
 */
public record CpuAvailability(CpuSet free, CpuSet shared) {
    public CpuAvailability {
        Objects.requireNonNull(free, "free");
        Objects.requireNonNull(shared, "shared");
        if (free.intersects(shared)) {
            throw new IllegalArgumentException("free " + free + " and shared " + shared + " overlap");
        }
    }

    public static CpuAvailability allFree(CpuSet free) {
        return new CpuAvailability(free, CpuSet.EMPTY);
    }
}
