package io.kubeai.core.cluster;

import io.kubeai.core.resource.PodRequest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The nodes of a cluster and the pods placed on them. Places and removes pods, refusing any
 * change that would put a node or a GPU device beyond its capacity, and answers whether a pod
 * fits a node. Not thread-safe: one cycle or one simulation owns an instance; {@link #copy()}
 * gives an independent snapshot.
 */
public final class ClusterState {
    private final NodeState[] nodes;
    private final Map<String, Integer> indexByName;
    private final LinkedHashMap<String, Placement> placements;
    private long allocatedGpuMillis;
    private final long totalGpuMillis;
    private long version;

    public ClusterState(List<Node> nodeList) {
        this.nodes = new NodeState[nodeList.size()];
        this.indexByName = new HashMap<>(nodeList.size() * 2);
        long gpuMillis = 0;
        for (int i = 0; i < nodeList.size(); i++) {
            Node n = nodeList.get(i);
            if (indexByName.putIfAbsent(n.name(), i) != null) {
                throw new IllegalArgumentException("duplicate node name: " + n.name());
            }
            nodes[i] = new NodeState(n, i);
            gpuMillis += (long) n.gpuCount() * PodRequest.MILLIS_PER_GPU;
        }
        this.placements = new LinkedHashMap<>();
        this.totalGpuMillis = gpuMillis;
    }

    private ClusterState(ClusterState other) {
        this.nodes = new NodeState[other.nodes.length];
        for (int i = 0; i < nodes.length; i++) {
            nodes[i] = new NodeState(other.nodes[i]);
        }
        this.indexByName = other.indexByName;
        this.placements = new LinkedHashMap<>(other.placements);
        this.allocatedGpuMillis = other.allocatedGpuMillis;
        this.totalGpuMillis = other.totalGpuMillis;
        this.version = other.version;
    }

    /** Changes on every placement or removal anywhere in the cluster. */
    public long version() {
        return version;
    }

    /** What every node offers together: CPU, memory, GPU (milli) and extended resources. */
    public io.kubeai.core.resource.ResourceList capacity() {
        java.util.Map<String, Long> m = new java.util.HashMap<>();
        for (NodeState n : nodes) {
            m.merge(io.kubeai.core.resource.ResourceList.CPU, n.node().cpuMillis(), Long::sum);
            m.merge(io.kubeai.core.resource.ResourceList.MEMORY, n.node().memoryBytes(), Long::sum);
            m.merge(io.kubeai.core.resource.ResourceList.GPU, (long) n.node().gpuCount() * PodRequest.MILLIS_PER_GPU,
                    Long::sum);
            for (int i = 0; i < n.node().extended().size(); i++) {
                m.merge(n.node().extended().name(i), n.node().extended().quantity(i), Long::sum);
            }
        }
        return io.kubeai.core.resource.ResourceList.of(m);
    }

    /** An independent copy: changes to either do not show in the other. O(nodes + pods). */
    public ClusterState copy() {
        return new ClusterState(this);
    }

    public int nodeCount() {
        return nodes.length;
    }

    public NodeState node(int index) {
        return nodes[index];
    }

    public Optional<NodeState> node(String name) {
        Integer i = indexByName.get(name);
        return i == null ? Optional.empty() : Optional.of(nodes[i]);
    }

    public List<NodeState> nodes() {
        return Collections.unmodifiableList(java.util.Arrays.asList(nodes));
    }

    public Optional<Placement> placement(String podId) {
        return Optional.ofNullable(placements.get(podId));
    }

    public Collection<Placement> placements() {
        return Collections.unmodifiableCollection(placements.values());
    }

    public int podCount() {
        return placements.size();
    }

    /** Milli-GPU held by placed pods, over all nodes. O(1). */
    public long allocatedGpuMillis() {
        return allocatedGpuMillis;
    }

    /** Milli-GPU of every device of every node. */
    public long totalGpuMillis() {
        return totalGpuMillis;
    }

    /** Whether {@code pod} fits node {@code nodeIndex} now, with the reason when it does not. */
    public Fit fit(PodRequest pod, int nodeIndex) {
        return nodes[nodeIndex].fit(pod);
    }

    /**
     * Places a pod on a node, holding the GPU devices in {@code gpuDevices}.
     *
     * @throws IllegalStateException if the pod is already placed, does not fit, or the devices
     *     are not exactly {@code gpuCount} devices each with enough free milli-GPU; the state is
     *     unchanged
     */
    public Placement place(String podId, PodRequest pod, int nodeIndex, int gpuDevices) {
        if (placements.containsKey(podId)) {
            throw new IllegalStateException("pod " + podId + " is already placed");
        }
        NodeState n = nodes[nodeIndex];
        Fit fit = n.fit(pod);
        if (!fit.fits()) {
            throw new IllegalStateException("pod " + podId + " does not fit: " + fit.reason());
        }
        checkDevices(podId, pod, n, gpuDevices);
        n.cpuFree -= pod.cpuMillis();
        n.memoryFree -= pod.memoryBytes();
        int mask = gpuDevices;
        while (mask != 0) {
            int d = Integer.numberOfTrailingZeros(mask);
            n.gpuFree[d] -= pod.gpuMillisPerDevice();
            mask &= mask - 1;
        }
        for (int i = 0; i < pod.extended().size(); i++) {
            n.extendedFree[n.node().extended().indexOf(pod.extended().name(i))] -= pod.extended().quantity(i);
        }
        int kind = NodeState.gpuKindOf(pod);
        if (kind >= 0 && n.podsByGpuKind[kind]++ == 0) {
            n.gpuKinds++;
        }
        n.podCount++;
        n.version++;
        version++;
        allocatedGpuMillis += pod.totalGpuMillis();
        Placement p = new Placement(podId, pod, nodeIndex, gpuDevices);
        placements.put(podId, p);
        return p;
    }

    /**
     * Records a pod the cluster already runs on a node, without checking that it fits: what the
     * API server reports is a fact, even when it exceeds what this state thinks is free (static
     * pods, resources counted elsewhere). The node may then be over its capacity, and nothing
     * more fits it until enough leaves. {@code gpuDevicesHint} is used when it names exactly
     * {@code gpuCount} existing devices; otherwise the devices with the most free are taken.
     *
     * @throws IllegalStateException if the pod is already placed
     */
    public Placement placeObserved(String podId, PodRequest pod, int nodeIndex, int gpuDevicesHint) {
        if (placements.containsKey(podId)) {
            throw new IllegalStateException("pod " + podId + " is already placed");
        }
        NodeState n = nodes[nodeIndex];
        int devices = gpuDevicesHint;
        boolean hintValid = Integer.bitCount(devices) == pod.gpuCount()
                && (devices >>> n.gpuFree.length) == 0;
        if (!hintValid) {
            devices = 0;
            for (int k = 0; k < Math.min(pod.gpuCount(), n.gpuFree.length); k++) {
                int best = -1;
                for (int d = 0; d < n.gpuFree.length; d++) {
                    if ((devices & (1 << d)) == 0 && (best < 0 || n.gpuFree[d] > n.gpuFree[best])) {
                        best = d;
                    }
                }
                devices |= 1 << best;
            }
        }
        n.cpuFree -= pod.cpuMillis();
        n.memoryFree -= pod.memoryBytes();
        int mask = devices;
        while (mask != 0) {
            int d = Integer.numberOfTrailingZeros(mask);
            n.gpuFree[d] -= pod.gpuMillisPerDevice();
            mask &= mask - 1;
        }
        for (int i = 0; i < pod.extended().size(); i++) {
            int j = n.node().extended().indexOf(pod.extended().name(i));
            if (j >= 0) {
                n.extendedFree[j] -= pod.extended().quantity(i);
            }
        }
        int kind = NodeState.gpuKindOf(pod);
        if (kind >= 0 && n.podsByGpuKind[kind]++ == 0) {
            n.gpuKinds++;
        }
        n.podCount++;
        n.version++;
        version++;
        long held = (long) Integer.bitCount(devices) * pod.gpuMillisPerDevice();
        allocatedGpuMillis += held;
        Placement p = new Placement(podId, pod, nodeIndex, devices);
        placements.put(podId, p);
        return p;
    }

    /** Removes a placed pod and frees what it held; empty when the pod is not placed. */
    public Optional<Placement> remove(String podId) {
        Placement p = placements.remove(podId);
        if (p == null) {
            return Optional.empty();
        }
        NodeState n = nodes[p.nodeIndex()];
        PodRequest pod = p.request();
        n.cpuFree += pod.cpuMillis();
        n.memoryFree += pod.memoryBytes();
        int mask = p.gpuDevices();
        while (mask != 0) {
            int d = Integer.numberOfTrailingZeros(mask);
            n.gpuFree[d] += pod.gpuMillisPerDevice();
            mask &= mask - 1;
        }
        for (int i = 0; i < pod.extended().size(); i++) {
            int j = n.node().extended().indexOf(pod.extended().name(i));
            if (j >= 0) {
                n.extendedFree[j] += pod.extended().quantity(i);
            }
        }
        int kind = NodeState.gpuKindOf(pod);
        if (kind >= 0 && --n.podsByGpuKind[kind] == 0) {
            n.gpuKinds--;
        }
        n.podCount--;
        n.version++;
        version++;
        allocatedGpuMillis -= (long) Integer.bitCount(p.gpuDevices()) * pod.gpuMillisPerDevice();
        return Optional.of(p);
    }

    private static void checkDevices(String podId, PodRequest pod, NodeState n, int gpuDevices) {
        if (Integer.bitCount(gpuDevices) != pod.gpuCount()) {
            throw new IllegalStateException("pod " + podId + " needs " + pod.gpuCount()
                    + " GPU devices, was given " + Integer.bitCount(gpuDevices));
        }
        int mask = gpuDevices;
        while (mask != 0) {
            int d = Integer.numberOfTrailingZeros(mask);
            if (d >= n.gpuFree.length) {
                throw new IllegalStateException("pod " + podId + ": node " + n.name()
                        + " has no GPU device " + d);
            }
            if (n.gpuFree[d] < pod.gpuMillisPerDevice()) {
                throw new IllegalStateException("pod " + podId + ": GPU " + d + " of node "
                        + n.name() + " has " + n.gpuFree[d] + " milli free, pod needs "
                        + pod.gpuMillisPerDevice());
            }
            mask &= mask - 1;
        }
    }

    /** Nodes in index order, for reports. */
    public List<String> nodeNames() {
        List<String> names = new ArrayList<>(nodes.length);
        for (NodeState n : nodes) {
            names.add(n.name());
        }
        return names;
    }
}
