package io.kubeai.core.cpu;

/**
 * How well a fitting request sits on a node's NUMA nodes, 0..{@link #MAX}: a pod on one NUMA
 * node scores above any pod spanning two, and among equals the tighter fit scores higher (fewer
 * CPUs left free in the NUMA nodes it uses, so emptier NUMA nodes stay whole for larger pods).
 *
 * <p>{@code score = MAX × (1 + tightness) / (2 × numaNodesUsed)}, where tightness is
 * {@code 1 − left / cpusOfTheNumaNodesUsed} and {@code left} is what the policy could still give
 * there afterwards: one NUMA node scores 500..1000, two 250..500, and so on. O(CPUs).
 */
public final class CpuNumaScore {
    public static final long MAX = 1000;

    private CpuNumaScore() {
    }

    /** The score of {@code fit}, taken from {@code available} by {@code policy}; 0 when it does not fit. */
    public static long score(CpuTopology topology, CpuAvailability available, CpuRequest request, CpuFit fit,
            CpuAllocPolicy policy) {
        if (!fit.fits()) {
            return 0;
        }
        if (fit.numaNodes().isEmpty()) {
            return MAX;
        }
        CpuSet pool = request.exclusivity() == CpuExclusivity.EXCLUSIVE ? available.free()
                : available.free().union(available.shared());
        CpuSet after = pool.minus(fit.cpus());
        long left = 0;
        long size = 0;
        for (int n : fit.numaNodes()) {
            left += policy.capacity(topology, n, after);
            size += topology.cpusInNuma(n).size();
        }
        double tightness = size == 0 ? 1 : 1.0 - (double) left / size;
        return Math.round(MAX * (1 + tightness) / (2.0 * fit.numaNodes().size()));
    }
}
