package io.kubeai.core.cycle;

import static io.kubeai.core.testing.Builders.node;
import static io.kubeai.core.testing.Builders.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubeai.core.cluster.ClusterState;
import io.kubeai.core.cluster.Node;
import io.kubeai.core.cluster.Placement;
import io.kubeai.core.placement.NodeSelector;
import io.kubeai.core.placement.PlacementBestFit;
import io.kubeai.core.placement.TieBreak;
import io.kubeai.core.queue.QueueTree;
import io.kubeai.core.queue.QuotaLedger;
import io.kubeai.core.testing.PodBuilder;
import io.kubeai.core.testing.QueueBuilder;
import io.kubeai.core.workload.Admission;
import io.kubeai.core.workload.PlannedPod;
import io.kubeai.core.workload.Workload;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A small cluster, a queue tree and what runs on them, for scheduling-cycle scenarios. Nodes are
 * placed with BestFit and ties go to the lower node index, so every placement can be worked out
 * by hand. What runs is admitted by real cycles ({@link #running}), so a world is one the real
 * code can reach.
 */
final class World {
    final SchedulingState state;
    private CycleConfig config = CycleConfig.DEFAULT;

    private World(SchedulingState state) {
        this.state = state;
    }

    /** A node of 64 cores, 256 GiB and {@code gpus} devices of model G. */
    static Node gpuNode(String name, int gpus) {
        return node(name).cpu(64_000).memoryGi(256).gpus(gpus, "G").build();
    }

    /** One 8-GPU node. */
    static List<Node> oneNode() {
        return List.of(gpuNode("n1", 8));
    }

    /** Two 8-GPU nodes. */
    static List<Node> twoNodes() {
        return List.of(gpuNode("n1", 8), gpuNode("n2", 8));
    }

    /** A pod of {@code n} whole GPUs with a core and 8 GiB for each: GPUs dominate its share. */
    static PodBuilder gpus(int n) {
        return pod().cpu(1000L * n).memoryGi(8L * n).gpus(n);
    }

    static World of(List<Node> nodes, QueueBuilder... queues) {
        ClusterState cluster = new ClusterState(nodes);
        QueueTree tree = QueueTree.of(Arrays.stream(queues).map(QueueBuilder::build).toList());
        return new World(new SchedulingState(cluster, new QuotaLedger(tree, cluster.capacity())));
    }

    World config(CycleConfig c) {
        this.config = c;
        return this;
    }

    /** Admits each workload at {@code nowSeconds} in a cycle of its own, without preempting. */
    World running(long nowSeconds, Workload... workloads) {
        for (Workload w : workloads) {
            CycleResult r = cycle(config.withPreemption(false)).run(state, List.of(w), nowSeconds,
                    new SplittableRandom(0));
            assertThat(r.admitted()).as("setting up " + w + ": " + r.decisions()).hasSize(1);
        }
        return this;
    }

    CycleResult run(long nowSeconds, Workload... pending) {
        return run(nowSeconds, List.of(pending));
    }

    CycleResult run(long nowSeconds, List<Workload> pending) {
        return cycle(config).run(state, pending, nowSeconds, new SplittableRandom(0));
    }

    static SchedulingCycle cycle(CycleConfig config) {
        int[] byIndex = {0, 1, 2, 3};
        return new SchedulingCycle(config, new NodeSelector(new PlacementBestFit(), TieBreak.byRank(byIndex)));
    }

    int queue(String name) {
        return state.quota().tree().indexOf(name).orElseThrow();
    }

    /** The running workloads and the nodes of their pods: {@code a1 on n1 n2}. */
    List<String> runningOn() {
        return state.running().stream().map(a -> a.workload().id() + " on " + nodes(a.pods())).sorted().toList();
    }

    /** Pods in the cluster by node, as pod ids: what the nodes hold. */
    TreeMap<String, List<String>> podsByNode() {
        return state.cluster().placements().stream().collect(Collectors.groupingBy(
                p -> state.cluster().node(p.nodeIndex()).name(), TreeMap::new,
                Collectors.mapping(Placement::podId, Collectors.toList())));
    }

    /** Each decision in a line: {@code admit a1 on n1 n2}, {@code preempt for a1: b2 b3}, {@code wait a1 QUOTA_MAX}. */
    static List<String> summary(CycleResult r) {
        return r.decisions().stream().map(World::summary).toList();
    }

    static String summary(Decision d) {
        String id = d.workload().id();
        if (d instanceof Decision.Admit a) {
            return "admit " + id + " on " + nodes(a.pods());
        }
        if (d instanceof Decision.Preempt p) {
            return "preempt for " + id + ": "
                    + p.victims().stream().map(Decision.Victim::workloadId).collect(Collectors.joining(" "));
        }
        if (d instanceof Decision.Wait w) {
            return "wait " + id + " " + w.why();
        }
        return "expire " + id;
    }

    private static String nodes(List<PlannedPod> pods) {
        return pods.stream().map(PlannedPod::nodeName).collect(Collectors.joining(" "));
    }

    Admission admission(String id) {
        return state.admission(id).orElseThrow();
    }
}
