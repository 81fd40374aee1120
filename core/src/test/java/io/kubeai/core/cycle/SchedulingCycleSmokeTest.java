package io.kubeai.core.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeai.core.cluster.ClusterState;
import io.kubeai.core.cluster.Node;
import io.kubeai.core.placement.NodeSelector;
import io.kubeai.core.placement.PlacementBestFit;
import io.kubeai.core.queue.QueueSpec;
import io.kubeai.core.queue.QueueTree;
import io.kubeai.core.queue.QuotaLedger;
import io.kubeai.core.resource.PodRequest;
import io.kubeai.core.resource.ResourceList;
import io.kubeai.core.workload.Workload;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SchedulingCycleSmokeTest {
    private static final long GIB = 1L << 30;

    @Test
    void gangIsAdmittedWholeOrWaits() {
        ClusterState cluster = new ClusterState(List.of(Node.of("a", 64_000, 256 * GIB, 8, "G2"),
                Node.of("b", 64_000, 256 * GIB, 8, "G2")));
        QueueTree tree = QueueTree.of(List.of(
                QueueSpec.named("cv").min(ResourceList.of(ResourceList.GPU, 8_000L)).build(),
                QueueSpec.named("nlp").min(ResourceList.of(ResourceList.GPU, 8_000L)).build()));
        SchedulingState state = new SchedulingState(cluster, new QuotaLedger(tree, cluster.capacity()));
        SchedulingCycle cycle = new SchedulingCycle(CycleConfig.DEFAULT, new NodeSelector(new PlacementBestFit()));
        PodRequest gpu4 = PodRequest.cpuOnly(8_000, 32 * GIB).withGpus(4, 1000);
        Workload big = Workload.gang("big", "cv", 0, 0, 2, gpu4);     // 8 GPUs: cv's min
        Workload extra = Workload.gang("extra", "cv", 0, 1, 1, gpu4); // 4 more: borrowed from nlp
        Workload extra2 = Workload.gang("extra2", "cv", 0, 2, 1, gpu4); // and 4 more
        Workload huge = Workload.gang("huge", "nlp", 0, 3, 5, gpu4);  // 20 GPUs: can never fit 16
        CycleResult r = cycle.run(state, List.of(big, extra, huge), 10, new SplittableRandom(1));
        assertThat(r.admitted()).extracting(d -> d.workload().id()).containsExactly("big", "extra");
        assertThat(r.waits()).extracting(d -> d.workload().id()).containsExactly("huge");
        assertThat(cycle.run(state, List.of(extra2), 12, new SplittableRandom(1)).admitted()).hasSize(1);
        assertThat(state.cluster().allocatedGpuMillis()).isEqualTo(16_000);

        // nlp wants 4 of its guarantee back: the newest borrowed workload of cv leaves.
        Workload want = Workload.gang("want", "nlp", 0, 20, 1, gpu4);
        CycleResult r2 = cycle.run(state, List.of(want), 30, new SplittableRandom(1));
        assertThat(r2.preemptions()).as(r2.decisions().toString()).hasSize(1);
        assertThat(r2.preemptions().get(0).victims()).extracting(Decision.Victim::workloadId).containsExactly("extra2");
        assertThat(state.admission("extra2")).isPresent(); // named, not removed

        // 12 GPUs are beyond nlp's min of 8, so nlp may not reclaim them, and at equal priority it
        // may not take them: nobody is evicted. It is not "never": nlp may borrow cv's 8 once cv idles.
        Workload wantMore = Workload.gang("wantMore", "nlp", 0, 20, 3, gpu4);
        CycleResult r3 = cycle.run(state, List.of(wantMore), 30, new SplittableRandom(1));
        assertThat(r3.decisions()).containsExactly(new Decision.Wait(wantMore, Decision.WaitReason.QUOTA_CAPACITY,
                "the cluster's nvidia.com/gpu is all held: 16/16, the workload needs 12;"
                        + " it waits for capacity to free up"));
    }
}
