package io.kubeai.core.testing;

import io.kubeai.core.cluster.ClusterState;
import io.kubeai.core.cluster.Node;
import io.kubeai.core.cluster.NodeState;
import io.kubeai.core.resource.PodRequest;
import java.util.List;

/**
 * Builds a {@link ClusterState} and puts it in a given state by placing pods through
 * {@link ClusterState#place}, so a state built here is one the real code can reach. Steps run as
 * they are called; {@link #build()} hands over the state (build once).
 */
public final class ClusterBuilder {
    private final ClusterState state;

    ClusterBuilder(List<Node> nodes) {
        this.state = new ClusterState(nodes);
    }

    /** Places {@code pod} as {@code podId} on the named node, on these device indexes. */
    public ClusterBuilder place(String podId, PodRequest pod, String nodeName, int... devices) {
        state.place(podId, pod, node(nodeName).index(), Builders.devices(devices));
        return this;
    }

    /**
     * Leaves device {@code d} of the node with {@code freeMillis[d]} free, one filler pod per
     * device ({@code fill/<node>/<d>}, no CPU or memory): a shared pod for a partly used device,
     * a one-whole-device pod for a full one. Fillers count as GPU pods of those kinds.
     */
    public ClusterBuilder gpuFree(String nodeName, int... freeMillis) {
        NodeState n = node(nodeName);
        if (freeMillis.length != n.gpuCount()) {
            throw new IllegalArgumentException("node " + nodeName + " has " + n.gpuCount()
                    + " devices, " + freeMillis.length + " values given");
        }
        for (int d = 0; d < freeMillis.length; d++) {
            int used = n.gpuFreeMillis(d) - freeMillis[d];
            if (used > 0) {
                PodRequest filler = Builders.pod().gpus(1, used).build();
                state.place("fill/" + nodeName + "/" + d, filler, n.index(), 1 << d);
            }
        }
        return this;
    }

    /** Leaves {@code millis} of the node's CPU free, with one CPU-only filler pod. */
    public ClusterBuilder cpuFree(String nodeName, long millis) {
        NodeState n = node(nodeName);
        PodRequest filler = Builders.pod().cpu(n.cpuFreeMillis() - millis).build();
        state.place("fill/" + nodeName + "/cpu", filler, n.index(), 0);
        return this;
    }

    public ClusterState build() {
        return state;
    }

    private NodeState node(String name) {
        return state.node(name).orElseThrow(() -> new IllegalArgumentException("no node " + name));
    }
}
