package io.kubeai.core.resource;

import java.util.Objects;

/**
 * What one pod asks of the node it lands on. GPUs are devices: a pod asks for {@code gpuCount}
 * devices with {@code gpuMillisPerDevice} (1..1000) free on each. A fractional request
 * (GPU sharing, under 1000 milli) is for exactly one device, as in Alibaba's GPU-sharing
 * clusters that the openb traces come from. Immutable; equal requests are interchangeable,
 * so it doubles as the "shape" of a pod.
 */
public record PodRequest(
        long cpuMillis,
        long memoryBytes,
        int gpuCount,
        int gpuMillisPerDevice,
        GpuModels gpuModels,
        ExtendedResources extended) {

    public static final int MILLIS_PER_GPU = 1000;

    public PodRequest {
        Objects.requireNonNull(gpuModels, "gpuModels");
        Objects.requireNonNull(extended, "extended");
        if (cpuMillis < 0) {
            throw new IllegalArgumentException("cpuMillis must not be negative: " + cpuMillis);
        }
        if (memoryBytes < 0) {
            throw new IllegalArgumentException("memoryBytes must not be negative: " + memoryBytes);
        }
        if (gpuCount < 0) {
            throw new IllegalArgumentException("gpuCount must not be negative: " + gpuCount);
        }
        if (gpuCount == 0 && gpuMillisPerDevice != 0) {
            throw new IllegalArgumentException(
                    "gpuMillisPerDevice must be 0 without GPUs, was " + gpuMillisPerDevice);
        }
        if (gpuCount > 0 && (gpuMillisPerDevice < 1 || gpuMillisPerDevice > MILLIS_PER_GPU)) {
            throw new IllegalArgumentException(
                    "gpuMillisPerDevice must be 1..1000 with GPUs, was " + gpuMillisPerDevice);
        }
        if (gpuCount > 1 && gpuMillisPerDevice != MILLIS_PER_GPU) {
            throw new IllegalArgumentException("a fractional GPU request (" + gpuMillisPerDevice
                    + " milli) is for one device only, not " + gpuCount);
        }
    }

    public static PodRequest cpuOnly(long cpuMillis, long memoryBytes) {
        return new PodRequest(cpuMillis, memoryBytes, 0, 0, GpuModels.ANY, ExtendedResources.NONE);
    }

    public PodRequest withGpus(int count, int millisPerDevice) {
        return new PodRequest(cpuMillis, memoryBytes, count, millisPerDevice, gpuModels, extended);
    }

    public PodRequest withGpuModels(GpuModels models) {
        return new PodRequest(cpuMillis, memoryBytes, gpuCount, gpuMillisPerDevice, models, extended);
    }

    public PodRequest withExtended(ExtendedResources resources) {
        return new PodRequest(cpuMillis, memoryBytes, gpuCount, gpuMillisPerDevice, gpuModels, resources);
    }

    /** All GPU asked for, in milli-GPU: {@code gpuCount × gpuMillisPerDevice}. */
    public long totalGpuMillis() {
        return (long) gpuCount * gpuMillisPerDevice;
    }

    public boolean wantsGpu() {
        return gpuCount > 0;
    }

    /** A fraction of one device, sharing it with other pods. */
    public boolean sharesGpu() {
        return gpuCount == 1 && gpuMillisPerDevice < MILLIS_PER_GPU;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append("cpu=").append(cpuMillis).append("m mem=").append(memoryBytes / (1024 * 1024)).append("Mi");
        if (gpuCount > 0) {
            sb.append(" gpu=").append(gpuCount).append('x').append(gpuMillisPerDevice).append('m');
            if (!gpuModels.isAny()) {
                sb.append('(').append(gpuModels).append(')');
            }
        }
        if (!extended.isEmpty()) {
            sb.append(' ').append(extended);
        }
        return sb.toString();
    }
}
