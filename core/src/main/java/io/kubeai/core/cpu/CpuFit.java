package io.kubeai.core.cpu;

import java.util.List;

/**
 * The CPUs a request would get on a node and the NUMA nodes they lie on, or, when it does not
 * fit, a sentence a person can act on. Not fitting is a result, not an exception.
 */
public record CpuFit(CpuSet cpus, List<Integer> numaNodes, String reason) {
    public CpuFit {
        numaNodes = List.copyOf(numaNodes);
    }

    static CpuFit of(CpuTopology topology, CpuSet cpus) {
        return new CpuFit(cpus, topology.numaNodesOf(cpus), null);
    }

    public static CpuFit no(String reason) {
        return new CpuFit(CpuSet.EMPTY, List.of(), reason);
    }

    public boolean fits() {
        return reason == null;
    }

    @Override
    public String toString() {
        return fits() ? "cpus " + cpus + " on NUMA " + numaNodes : "no: " + reason;
    }
}
