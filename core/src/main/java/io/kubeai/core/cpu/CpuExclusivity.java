package io.kubeai.core.cpu;

/** Whether the CPUs given to a pod may also be given to other pods. */
public enum CpuExclusivity {
    /** No other pod may hold these CPUs. What kubelet's static CPU manager gives. */
    EXCLUSIVE,
    /** Other shareable pods may hold them too; exclusive pods may not. */
    SHAREABLE
}
