package io.kubeai.kube;

import io.kubeai.core.cpu.CpuPinningMode;
import io.kubeai.core.cpu.CpuRequest;

/**
 * A pod's CPU pinning: its mode, the whole CPUs kubelet would pin for it, and, when it asks for
 * pinning it cannot get (not Guaranteed, no whole CPUs), why not.
 */
public record PodCpuPinning(CpuPinningMode mode, int cpus, String notPinnable) {

    public boolean pinned() {
        return mode != CpuPinningMode.NONE;
    }

    /** The request core's allocator answers; only for a pinned pod that can be pinned. */
    public CpuRequest request() {
        return mode.request(cpus);
    }
}
