package io.kubeai.core.cpu;

/** How strongly a pod's CPUs must stay on one NUMA node. */
public enum NumaAffinity {
    /**
     * One NUMA node or nothing: kubelet's Topology Manager with {@code single-numa-node} rejects
     * the pod otherwise ({@code TopologyAffinityError}).
     */
    REQUIRED,
    /** One NUMA node when it fits; otherwise as few NUMA nodes as possible, in one socket if it can. */
    PREFERRED
}
