package io.kubeai.kube;

import io.kubeai.core.cpu.CpuSet;
import io.kubeai.core.cpu.CpuTopology;
import io.kubeai.core.cpu.NodeCpuState;
import java.util.Map;

/**
 * What a node publishes about its CPUs, converted: the topology, the CPUs kubelet keeps for
 * itself and the system, what each NUMA node reports free (NodeResourceTopology's
 * {@code available}; null without it), where it came from, for messages, and whether its
 * kubelet's Topology Manager policy is {@code single-numa-node} (as NodeResourceTopology's
 * attributes say; false when unknown), under which kubelet rejects any pinned pod spanning NUMA
 * nodes.
 */
public record NodeCpuTopology(CpuTopology topology, CpuSet reserved, Map<Integer, Integer> reportedFree,
        String source, boolean singleNumaNode) {

    public NodeCpuTopology {
        reportedFree = reportedFree == null ? null : Map.copyOf(reportedFree);
    }

    /** A fresh state with nothing assigned. */
    public NodeCpuState newState() {
        NodeCpuState s = new NodeCpuState(topology, reserved);
        s.reportFree(reportedFree);
        return s;
    }

    /** Whether a state built from {@code other} would differ in more than what is reported free. */
    public boolean sameShape(NodeCpuTopology other) {
        return other != null && topology.equals(other.topology) && reserved.equals(other.reserved);
    }
}
