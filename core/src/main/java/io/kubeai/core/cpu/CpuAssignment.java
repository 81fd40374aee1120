package io.kubeai.core.cpu;

import java.util.Objects;

/** The CPUs one pod holds on a node, and whether it holds them alone. */
public record CpuAssignment(String podId, CpuSet cpus, CpuExclusivity exclusivity) {
    public CpuAssignment {
        Objects.requireNonNull(podId, "podId");
        Objects.requireNonNull(cpus, "cpus");
        Objects.requireNonNull(exclusivity, "exclusivity");
    }
}
