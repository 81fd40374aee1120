package io.kubeai.core.testing;

import io.kubeai.core.resource.ExtendedResources;
import io.kubeai.core.resource.GpuModels;
import io.kubeai.core.resource.PodRequest;
import java.util.TreeMap;

/** Builds a {@link PodRequest}; see {@link Builders#pod()}. Validation is the record's own. */
public final class PodBuilder {
    private static final long GIB = 1024L * 1024 * 1024;
    private static final long MIB = 1024L * 1024;

    private long cpuMillis;
    private long memoryBytes;
    private int gpuCount;
    private int gpuMillisPerDevice;
    private GpuModels gpuModels = GpuModels.ANY;
    private final TreeMap<String, Long> extended = new TreeMap<>();

    PodBuilder() {
    }

    public PodBuilder cpu(long millis) {
        this.cpuMillis = millis;
        return this;
    }

    public PodBuilder memoryGi(long gibibytes) {
        this.memoryBytes = gibibytes * GIB;
        return this;
    }

    public PodBuilder memoryMi(long mebibytes) {
        this.memoryBytes = mebibytes * MIB;
        return this;
    }

    public PodBuilder memoryBytes(long bytes) {
        this.memoryBytes = bytes;
        return this;
    }

    /** {@code count} whole devices. */
    public PodBuilder gpus(int count) {
        return gpus(count, PodRequest.MILLIS_PER_GPU);
    }

    /** {@code count} devices with {@code millisPerDevice} milli-GPU each. */
    public PodBuilder gpus(int count, int millisPerDevice) {
        this.gpuCount = count;
        this.gpuMillisPerDevice = millisPerDevice;
        return this;
    }

    /** A share of one device: {@code gpus(1, millis)}. */
    public PodBuilder gpuShare(int millis) {
        return gpus(1, millis);
    }

    /** The GPU models the pod accepts; none given means any. */
    public PodBuilder models(String... models) {
        this.gpuModels = GpuModels.of(models);
        return this;
    }

    public PodBuilder extended(String name, long quantity) {
        extended.put(name, quantity);
        return this;
    }

    public PodRequest build() {
        return new PodRequest(cpuMillis, memoryBytes, gpuCount, gpuMillisPerDevice, gpuModels,
                ExtendedResources.of(extended));
    }
}
