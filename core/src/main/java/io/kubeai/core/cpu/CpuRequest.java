package io.kubeai.core.cpu;

import java.util.Objects;

/** What a pod asks of a node's CPUs: how many logical CPUs, whether exclusive, how NUMA-bound. */
public record CpuRequest(int cpus, CpuExclusivity exclusivity, NumaAffinity numa) {
    public CpuRequest {
        Objects.requireNonNull(exclusivity, "exclusivity");
        Objects.requireNonNull(numa, "numa");
        if (cpus < 0) {
            throw new IllegalArgumentException("cpus must not be negative: " + cpus);
        }
    }

    public static CpuRequest exclusive(int cpus, NumaAffinity numa) {
        return new CpuRequest(cpus, CpuExclusivity.EXCLUSIVE, numa);
    }

    public static CpuRequest shareable(int cpus, NumaAffinity numa) {
        return new CpuRequest(cpus, CpuExclusivity.SHAREABLE, numa);
    }

    @Override
    public String toString() {
        return cpus + " " + exclusivity.name().toLowerCase(java.util.Locale.ROOT) + " CPUs"
                + (numa == NumaAffinity.REQUIRED ? " on one NUMA node" : "");
    }
}
