package io.kubeai.simulator.offline;

import io.kubeai.core.cluster.ClusterState;
import io.kubeai.core.cluster.Node;
import io.kubeai.core.cluster.NodeState;
import io.kubeai.core.resource.PodRequest;
import io.kubeai.simulator.trace.TracePod;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Replays a packing into a fresh {@link ClusterState}, whose {@code place} checks every capacity,
 * choosing concrete devices: a sharing pod keeps the device the model gave it when that device
 * still has room, else takes the fullest device with enough free milli-GPU; a whole-GPU pod takes
 * the lowest devices nothing uses. A pod {@code place} refuses is dropped and counted. Whatever
 * number is reported comes from the resulting cluster, never from the model.
 */
final class PackingVerifier {

    /** The cluster after the replay and what happened to the model's assignments. */
    record Verified(ClusterState cluster, boolean[] placed, int assigned, int dropped, int repaired) {
    }

    private PackingVerifier() {
    }

    /**
     * Places every assigned pod: CPU-only pods, then pods sharing a GPU (on their devices), then
     * whole-GPU pods. With {@code repair}, then tries every GPU pod still out (most milli-GPU
     * first), and with {@code repairCpuOnly} every CPU-only pod after them, on the first node where
     * it fits.
     */
    static Verified verify(List<Node> nodes, List<TracePod> pods, List<NodePod> nodePods,
            List<DevicePod> devicePods, boolean repair, boolean repairCpuOnly) {
        ClusterState cluster = new ClusterState(nodes);
        boolean[] placed = new boolean[pods.size()];
        int assigned = 0;
        int dropped = 0;
        List<PackedPod> order = new ArrayList<>();
        for (NodePod p : nodePods) {
            if (p.cpuOnly() && p.node != null) {
                order.add(p);
            }
        }
        for (DevicePod p : devicePods) {
            if (p.device != null) {
                order.add(p);
            }
        }
        for (NodePod p : nodePods) {
            if (!p.cpuOnly() && p.node != null) {
                order.add(p);
            }
        }
        for (PackedPod p : order) {
            assigned++;
            NodeState n = cluster.node(p.assignedNode().index);
            DeviceSlot d = p.assignedDevice();
            int mask = d != null && n.gpuFreeMillis(d.device) >= p.request.gpuMillisPerDevice()
                    ? 1 << d.device
                    : devices(n, p.request);
            if (tryPlace(cluster, pods.get(p.id), p.assignedNode().index, mask)) {
                placed[p.id] = true;
            } else {
                dropped++;
            }
        }
        int repaired = repair ? repair(cluster, pods, placed, repairCpuOnly) : 0;
        return new Verified(cluster, placed, assigned, dropped, repaired);
    }

    private static int repair(ClusterState cluster, List<TracePod> pods, boolean[] placed, boolean cpuOnly) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < pods.size(); i++) {
            if (!placed[i] && (cpuOnly || pods.get(i).request().wantsGpu())) {
                out.add(i);
            }
        }
        out.sort(Comparator.<Integer>comparingLong(i -> -pods.get(i).request().totalGpuMillis())
                .thenComparingInt(i -> i));
        int repaired = 0;
        for (int i : out) {
            PodRequest r = pods.get(i).request();
            for (int n = 0; n < cluster.nodeCount(); n++) {
                NodeState ns = cluster.node(n);
                if (ns.fits(r) && tryPlace(cluster, pods.get(i), n, devices(ns, r))) {
                    placed[i] = true;
                    repaired++;
                    break;
                }
            }
        }
        return repaired;
    }

    private static boolean tryPlace(ClusterState cluster, TracePod pod, int node, int mask) {
        if (mask < 0) {
            return false;
        }
        try {
            cluster.place(pod.name(), pod.request(), node, mask);
            return true;
        } catch (IllegalStateException refused) {
            return false;
        }
    }

    /**
     * Devices for a pod on a node as it is now: none for CPU-only; the fullest device with room
     * for a sharing pod; the lowest unused devices for a whole-GPU pod. -1 when there are not
     * enough.
     */
    static int devices(NodeState n, PodRequest r) {
        if (!r.wantsGpu()) {
            return 0;
        }
        if (r.sharesGpu()) {
            int best = -1;
            for (int d = 0; d < n.gpuCount(); d++) {
                int f = n.gpuFreeMillis(d);
                if (f >= r.gpuMillisPerDevice() && (best < 0 || f < n.gpuFreeMillis(best))) {
                    best = d;
                }
            }
            return best < 0 ? -1 : 1 << best;
        }
        int mask = 0;
        int need = r.gpuCount();
        for (int d = 0; d < n.gpuCount() && need > 0; d++) {
            if (n.gpuFreeMillis(d) >= r.gpuMillisPerDevice()) {
                mask |= 1 << d;
                need--;
            }
        }
        return need > 0 ? -1 : mask;
    }
}
