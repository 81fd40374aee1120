package io.kubeai.core.cluster;

import io.kubeai.core.resource.PodRequest;

/**
 * What is free on one node now: CPU, memory, each GPU device's free milli-GPU, extended
 * resources, and which kinds of GPU pods it runs. Mutated only by {@link ClusterState}; every
 * change bumps {@link #version()}, so anything derived from a node (a score, a fragmentation
 * figure) can be cached against it. Reads are O(1) except where noted.
 */
public final class NodeState {
    /** Kind index of pods that share one device; kinds 1..31 are pods with that many whole devices. */
    public static final int KIND_SHARED = 0;

    private final Node node;
    private final int index;
    long cpuFree;
    long memoryFree;
    final int[] gpuFree;
    final long[] extendedFree;
    final int[] podsByGpuKind = new int[Node.MAX_GPUS + 1];
    int gpuKinds;
    int podCount;
    long version;

    NodeState(Node node, int index) {
        this.node = node;
        this.index = index;
        this.cpuFree = node.cpuMillis();
        this.memoryFree = node.memoryBytes();
        this.gpuFree = new int[node.gpuCount()];
        java.util.Arrays.fill(gpuFree, PodRequest.MILLIS_PER_GPU);
        this.extendedFree = new long[node.extended().size()];
        for (int i = 0; i < extendedFree.length; i++) {
            extendedFree[i] = node.extended().quantity(i);
        }
    }

    NodeState(NodeState other) {
        this.node = other.node;
        this.index = other.index;
        this.cpuFree = other.cpuFree;
        this.memoryFree = other.memoryFree;
        this.gpuFree = other.gpuFree.clone();
        this.extendedFree = other.extendedFree.clone();
        System.arraycopy(other.podsByGpuKind, 0, podsByGpuKind, 0, podsByGpuKind.length);
        this.gpuKinds = other.gpuKinds;
        this.podCount = other.podCount;
        this.version = other.version;
    }

    public Node node() {
        return node;
    }

    public String name() {
        return node.name();
    }

    /** Position of this node in its {@link ClusterState}. */
    public int index() {
        return index;
    }

    /** Changes on every placement or removal on this node. */
    public long version() {
        return version;
    }

    public long cpuFreeMillis() {
        return cpuFree;
    }

    public long memoryFreeBytes() {
        return memoryFree;
    }

    public int gpuCount() {
        return gpuFree.length;
    }

    public String gpuModel() {
        return node.gpuModel();
    }

    public int gpuFreeMillis(int device) {
        return gpuFree[device];
    }

    /** Copies the free milli-GPU of every device into {@code into}, returns the device count. */
    public int copyGpuFree(int[] into) {
        System.arraycopy(gpuFree, 0, into, 0, gpuFree.length);
        return gpuFree.length;
    }

    /** O(devices). */
    public long gpuFreeMillisTotal() {
        long sum = 0;
        for (int f : gpuFree) {
            sum += f;
        }
        return sum;
    }

    /** Devices with nothing on them. O(devices). */
    public int fullyFreeGpuCount() {
        int n = 0;
        for (int f : gpuFree) {
            if (f == PodRequest.MILLIS_PER_GPU) {
                n++;
            }
        }
        return n;
    }

    /** Devices with at least {@code millis} free. O(devices). */
    public int gpusWithFree(int millis) {
        int n = 0;
        for (int f : gpuFree) {
            if (f >= millis) {
                n++;
            }
        }
        return n;
    }

    public long extendedFree(String name) {
        int i = node.extended().indexOf(name);
        return i < 0 ? 0 : extendedFree[i];
    }

    public int podCount() {
        return podCount;
    }

    /** Pods of a GPU kind ({@link #KIND_SHARED} or the number of whole devices) on this node. */
    public int podsOfGpuKind(int kind) {
        return podsByGpuKind[kind];
    }

    /** How many distinct GPU kinds have pods on this node. */
    public int gpuKindCount() {
        return gpuKinds;
    }

    /** The GPU kind of a request: shared, or its number of whole devices; -1 without GPUs. */
    public static int gpuKindOf(PodRequest pod) {
        if (!pod.wantsGpu()) {
            return -1;
        }
        return pod.sharesGpu() ? KIND_SHARED : pod.gpuCount();
    }

    /** Whether the pod fits now; allocation-free, O(devices + extended). */
    public boolean fits(PodRequest pod) {
        return failure(pod) == null;
    }

    /** The first failing resource, or null when the pod fits. Allocation-free. */
    public FitFailure failure(PodRequest pod) {
        if (pod.wantsGpu() && !pod.gpuModels().allows(node.gpuModel())) {
            return FitFailure.GPU_MODEL;
        }
        if (pod.cpuMillis() > cpuFree) {
            return FitFailure.CPU;
        }
        if (pod.memoryBytes() > memoryFree) {
            return FitFailure.MEMORY;
        }
        if (pod.wantsGpu() && gpusWithFree(pod.gpuMillisPerDevice()) < pod.gpuCount()) {
            return FitFailure.GPU;
        }
        if (!pod.extended().isEmpty()) {
            for (int i = 0; i < pod.extended().size(); i++) {
                int j = node.extended().indexOf(pod.extended().name(i));
                if (j < 0 || extendedFree[j] < pod.extended().quantity(i)) {
                    return FitFailure.EXTENDED;
                }
            }
        }
        return null;
    }

    /** Whether the pod fits, with a sentence naming the resource that does not. */
    public Fit fit(PodRequest pod) {
        FitFailure f = failure(pod);
        if (f == null) {
            return Fit.FITS;
        }
        String reason = switch (f) {
            case GPU_MODEL -> "node " + name() + " has GPU model "
                    + (node.gpuModel().isEmpty() ? "none" : node.gpuModel())
                    + ", pod accepts " + pod.gpuModels();
            case CPU -> "node " + name() + " has " + cpuFree + "m cpu free of " + node.cpuMillis()
                    + "m, pod requests " + pod.cpuMillis() + "m";
            case MEMORY -> "node " + name() + " has " + mib(memoryFree) + " memory free of "
                    + mib(node.memoryBytes()) + ", pod requests " + mib(pod.memoryBytes());
            case GPU -> "node " + name() + " has " + gpusWithFree(pod.gpuMillisPerDevice())
                    + " of " + gpuFree.length + " GPUs with " + pod.gpuMillisPerDevice()
                    + " milli free, pod needs " + pod.gpuCount();
            case EXTENDED -> "node " + name() + " lacks extended resources for " + pod.extended()
                    + " (free: " + describeExtendedFree() + ")";
        };
        return Fit.no(f, reason);
    }

    private String describeExtendedFree() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < extendedFree.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(node.extended().name(i)).append('=').append(extendedFree[i]);
        }
        return sb.append('}').toString();
    }

    private static String mib(long bytes) {
        return (bytes / (1024 * 1024)) + "Mi";
    }

    @Override
    public String toString() {
        return name() + "{cpu " + cpuFree + "/" + node.cpuMillis() + "m, gpu "
                + java.util.Arrays.toString(gpuFree) + " " + node.gpuModel() + "}";
    }
}
