package io.kubeai.core.testing;

import io.kubeai.core.cluster.ClusterState;
import io.kubeai.core.cluster.Node;
import java.util.List;

/**
 * Entry points of the test builders every module's tests share (through core's test-jar):
 *
 * <pre>{@code
 * PodRequest pod = pod().cpu(4000).memoryGi(8).gpus(1, 500).models("V100M16", "V100M32").build();
 * Node node = node("n1").cpu(64000).memoryGi(256).gpus(8, "G2").build();
 * ClusterState state = cluster(node).gpuFree("n1", 1000, 300, 200, 0, 1000, 1000, 1000, 1000)
 *         .place("p1", pod, "n1", 0)
 *         .build();
 * }</pre>
 *
 * Workloads and queues for the policy engine:
 *
 * <pre>{@code
 * Workload w = workload("train").queue("team-cv").priority(5).pods(2, pod().gpus(4)).build();
 * QueueSpec q = queue("team-cv").parent("org").minGpus(8).maxGpus(16).build();
 * }</pre>
 *
 * Anything not set is zero (or "any GPU model", or no extended resources).
 */
public final class Builders {
    private Builders() {
    }

    /** A pod request with nothing asked for yet. */
    public static PodBuilder pod() {
        return new PodBuilder();
    }

    /** A node with no capacity yet. */
    public static NodeBuilder node(String name) {
        return new NodeBuilder(name);
    }

    /** A cluster of these nodes, in this order (node index = position), with nothing placed. */
    public static ClusterBuilder cluster(Node... nodes) {
        return new ClusterBuilder(List.of(nodes));
    }

    public static ClusterBuilder cluster(List<Node> nodes) {
        return new ClusterBuilder(nodes);
    }

    /** A workload in queue {@code "default"} with no pods yet. */
    public static WorkloadBuilder workload(String id) {
        return new WorkloadBuilder(id);
    }

    /** A top-level queue with no min and no limits yet. */
    public static QueueBuilder queue(String name) {
        return new QueueBuilder(name);
    }

    /** The device bit mask of these device indexes: {@code devices(0, 2)} is {@code 0b101}. */
    public static int devices(int... indexes) {
        int mask = 0;
        for (int d : indexes) {
            mask |= 1 << d;
        }
        return mask;
    }
}
