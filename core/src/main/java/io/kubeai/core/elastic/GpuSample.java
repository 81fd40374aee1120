package io.kubeai.core.elastic;

import java.util.Objects;
import java.util.Set;

/**
 * One GPU device as its telemetry (NVIDIA dcgm-exporter) last saw it.
 *
 * @param uuid the device's UUID ({@code GPU-…})
 * @param index its index on the node ({@code gpu} label)
 * @param utilPercent {@code DCGM_FI_DEV_GPU_UTIL}, 0..100; NaN when not reported
 * @param fbUsedMiB {@code DCGM_FI_DEV_FB_USED}; NaN when not reported
 * @param fbFreeMiB {@code DCGM_FI_DEV_FB_FREE}; NaN when not reported
 * @param pods the pods ({@code namespace/name}) the kubelet gave the device to; empty when none
 *     or when the exporter does not map devices to pods
 * @param partitioned split into MIG instances: never lent whole
 */
public record GpuSample(String uuid, int index, double utilPercent, double fbUsedMiB, double fbFreeMiB, Set<String> pods,
        boolean partitioned) {
    public GpuSample {
        Objects.requireNonNull(uuid, "uuid");
        pods = Set.copyOf(pods);
    }
}
