package io.kubeai.simulator.whatif;

import static io.kubeai.core.testing.Builders.node;
import static io.kubeai.core.testing.Builders.pod;
import static io.kubeai.core.testing.Builders.queue;
import static io.kubeai.core.testing.Builders.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubeai.core.cluster.ClusterState;
import io.kubeai.core.cluster.Node;
import io.kubeai.core.config.ConfigValidationException;
import io.kubeai.core.cycle.CycleConfig;
import io.kubeai.core.cycle.CycleResult;
import io.kubeai.core.cycle.SchedulingCycle;
import io.kubeai.core.cycle.SchedulingState;
import io.kubeai.core.placement.NodeSelector;
import io.kubeai.core.placement.PlacementBestFit;
import io.kubeai.core.queue.QueueTree;
import io.kubeai.core.queue.QuotaLedger;
import io.kubeai.core.testing.PodBuilder;
import io.kubeai.core.testing.QueueBuilder;
import io.kubeai.core.workload.Workload;
import io.kubeai.simulator.whatif.WhatIfReplay.Outcome;
import io.kubeai.simulator.whatif.WhatIfReplay.Result;
import io.kubeai.simulator.whatif.WhatIfReplay.Settings;
import io.kubeai.simulator.whatif.WhatIfReplay.Status;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class WhatIfReplayTest {
    static final long NOW = 10_000;
    static final Settings HOUR = new Settings(3600, 5, 1);

    /** A GPU node of 64 cores and 256 GiB. */
    static Node gpuNode(String name, int gpus) {
        return node(name).cpu(64_000).memoryGi(256).gpus(gpus, "G").build();
    }

    static PodBuilder gpus(int n) {
        return pod().cpu(1000L * n).memoryGi(8L * n).gpus(n);
    }

    /** A cluster, queues, what runs (admitted by real cycles) and what waits. */
    static final class Start {
        final SchedulingState state;
        final List<WhatIfReplay.Running> running = new ArrayList<>();
        final List<WhatIfReplay.Pending> pending = new ArrayList<>();
        CycleConfig config = CycleConfig.DEFAULT;

        Start(List<Node> nodes, QueueBuilder... queues) {
            ClusterState cluster = new ClusterState(nodes);
            QueueTree tree = QueueTree.of(Arrays.stream(queues).map(QueueBuilder::build).toList());
            state = new SchedulingState(cluster, new QuotaLedger(tree, cluster.capacity()));
        }

        Start running(Workload w, long remainingSeconds, long durationSeconds) {
            CycleResult r = new SchedulingCycle(config.withPreemption(false), selector()).run(state, List.of(w), NOW - 60,
                    new SplittableRandom(0));
            assertThat(r.admitted()).as("setting up " + w + ": " + r.decisions()).hasSize(1);
            running.add(new WhatIfReplay.Running(w.id(), remainingSeconds, durationSeconds));
            return this;
        }

        Start pending(Workload w, long durationSeconds) {
            pending.add(new WhatIfReplay.Pending(w, durationSeconds));
            return this;
        }

        Start config(CycleConfig c) {
            config = c;
            return this;
        }

        Result replay(Settings s) {
            return WhatIfReplay.run(state, running, pending, new SchedulingCycle(config, selector()), NOW, s);
        }

        static NodeSelector selector() {
            return new NodeSelector(new PlacementBestFit());
        }
    }

    static Outcome outcome(Result r, String id) {
        return r.outcome(id).orElseThrow();
    }

    /** A named case: a start, and the wanted outcome of workload "w". */
    record Case(String name, Start start, Status status, long admittedAfter, long endsAfter, String reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("fits now: admitted in the first cycle",
                        new Start(List.of(gpuNode("n1", 8)), queue("q"))
                                .pending(workload("w").queue("q").createdAt(NOW - 100).pods(2, gpus(4)).build(), 600),
                        Status.ADMITTED, 0, 600, ""),
                new Case("waits for the running gang to end, then starts at once",
                        new Start(List.of(gpuNode("n1", 8)), queue("q"))
                                .running(workload("old").queue("q").pods(2, gpus(4)).build(), 900, 3600)
                                .pending(workload("w").queue("q").pods(1, gpus(8)).build(), 600),
                        Status.ADMITTED, 900, 1500, ""),
                new Case("admitted, but its run goes past the horizon",
                        new Start(List.of(gpuNode("n1", 8)), queue("q"))
                                .running(workload("old").queue("q").pods(1, gpus(8)).build(), 3000, 3600)
                                .pending(workload("w").queue("q").pods(1, gpus(8)).build(), 3600),
                        Status.ADMITTED, 3000, -1, ""),
                new Case("still waiting at the horizon, with the cycle's reason",
                        new Start(List.of(gpuNode("n1", 8)), queue("q").maxGpus(4))
                                .pending(workload("w").queue("q").pods(1, gpus(8)).build(), 600),
                        Status.WAITING, -1, -1, "can never be admitted"),
                new Case("waits behind a running gang that outlasts the horizon",
                        new Start(List.of(gpuNode("n1", 8)), queue("q"))
                                .running(workload("old").queue("q").pods(1, gpus(8)).build(), 7200, 7200)
                                .pending(workload("w").queue("q").pods(1, gpus(4)).build(), 600),
                        Status.WAITING, -1, -1, "the cluster's nvidia.com/gpu is all held: 8/8"),
                new Case("expires when its timeout falls due before the horizon",
                        new Start(List.of(gpuNode("n1", 8)), queue("q"))
                                .running(workload("old").queue("q").pods(1, gpus(8)).build(), 3000, 3600)
                                .pending(workload("w").queue("q").createdAt(NOW - 100).timeout(400).pods(1, gpus(8))
                                        .build(), 600),
                        Status.EXPIRED, -1, -1, "beyond its timeout of 400 s"),
                new Case("a higher priority preempts a lower one in its queue, and starts a cycle later",
                        new Start(List.of(gpuNode("n1", 8)), queue("q"))
                                .running(workload("old").queue("q").pods(1, gpus(8)).build(), 3000, 3600)
                                .pending(workload("w").queue("q").priority(10).pods(1, gpus(8)).build(), 600),
                        Status.ADMITTED, 5, 605, ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aPendingWorkloadsFate(Case c) {
        Outcome o = outcome(c.start.replay(HOUR), "w");

        assertThat(o.status()).isEqualTo(c.status);
        assertThat(o.admittedAfterSeconds()).isEqualTo(c.admittedAfter);
        assertThat(o.endsAfterSeconds()).isEqualTo(c.endsAfter);
        if (c.reason.isEmpty()) {
            assertThat(o.reason()).isEmpty();
        } else {
            assertThat(o.reason()).contains(c.reason);
        }
    }

    @Test
    void aReclaimedBorrowerIsEvictedComesBackAndRunsAgainInFull() {
        // b borrows a's guarantee; a's gang reclaims it; b runs again once a is done.
        Start s = new Start(List.of(gpuNode("n1", 8)), queue("a").minGpus(8), queue("b"))
                .running(workload("b1").queue("b").pods(1, gpus(8)).build(), 3000, 5000)
                .pending(workload("a1").queue("a").pods(1, gpus(8)).build(), 600);

        Result r = s.replay(HOUR);

        assertThat(outcome(r, "a1").admittedAfterSeconds()).isEqualTo(5);
        assertThat(r.evictions()).singleElement().satisfies(e -> {
            assertThat(e.workloadId()).isEqualTo("b1");
            assertThat(e.afterSeconds()).isZero();
            assertThat(e.preemptor()).isEqualTo("a1");
            assertThat(e.runningAtStart()).isTrue();
            assertThat(e.why()).contains("borrows");
        });
        assertThat(r.summary().runningPreempted()).isEqualTo(1);
        // a1 runs 5..605; b1 starts over at 605 and needs its whole 5000 s: busy to the horizon.
        assertThat(r.summary().gpuMillisAtEnd()).isEqualTo(8000);
    }

    @Test
    void aHeterogeneousGangIsPlacedAsItsPodSetsSay() {
        // A CPU launcher and two 4-GPU workers: the node's 8 GPUs hold it exactly.
        Start s = new Start(List.of(gpuNode("n1", 8)), queue("q"))
                .pending(workload("mpi").queue("q").podSet("launcher", 1, pod().cpu(2000).memoryGi(4).build())
                        .podSet("worker", 2, gpus(4).build()).build(), 600);

        Result r = s.replay(HOUR);

        assertThat(outcome(r, "mpi").status()).isEqualTo(Status.ADMITTED);
        assertThat(r.summary().meanGpuAllocation()).isCloseTo(600.0 / 3600, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void summaryCountsAndPercentilesOverEveryPendingWorkload() {
        // Four 2-GPU jobs, one 4-GPU node: two now, two when the first two end at +100.
        Start s = new Start(List.of(gpuNode("n1", 4)), queue("q"));
        for (int i = 0; i < 4; i++) {
            s.pending(workload("j" + i).queue("q").createdAt(NOW - 10 + i).pods(1, gpus(2)).build(), 100);
        }
        s.pending(workload("huge").queue("q").pods(1, gpus(8)).build(), 100);

        WhatIfReplay.Summary sum = s.replay(HOUR).summary();

        assertThat(sum.pending()).isEqualTo(5);
        assertThat(sum.admitted()).isEqualTo(4);
        assertThat(sum.waiting()).isEqualTo(1);
        assertThat(sum.expired()).isZero();
        // Waits 0, 0, 100, 100 and never: the median is 100, the 95th is beyond the horizon.
        assertThat(sum.waitP50Seconds()).isEqualTo(100);
        assertThat(sum.waitP95Seconds()).isNull();
        assertThat(sum.gpuMillisAtEnd()).isZero();
        assertThat(sum.gpuMillisTotal()).isEqualTo(4000);
    }

    @Test
    void theStartIsNotChanged() {
        Start s = new Start(List.of(gpuNode("n1", 8)), queue("q"))
                .running(workload("old").queue("q").pods(1, gpus(4)).build(), 100, 100)
                .pending(workload("w").queue("q").pods(1, gpus(4)).build(), 600);

        s.replay(HOUR);

        assertThat(s.state.running()).extracting(a -> a.workload().id()).containsExactly("old");
        assertThat(s.state.cluster().allocatedGpuMillis()).isEqualTo(4000);
    }

    @Test
    void proposedQueuesRechargeWhatRunsAndChangeTheOutcome() {
        Start s = new Start(List.of(gpuNode("n1", 8)), queue("q").maxGpus(4))
                .running(workload("old").queue("q").pods(1, gpus(2)).build(), 100, 100)
                .pending(workload("w").queue("q").pods(1, gpus(4)).build(), 600);
        assertThat(outcome(s.replay(HOUR), "w").admittedAfterSeconds()).isEqualTo(100);

        SchedulingState wider = WhatIfReplay.withQueues(s.state, QueueTree.of(List.of(queue("q").maxGpus(8).build())));
        Result r = WhatIfReplay.run(wider, s.running, s.pending, new SchedulingCycle(CycleConfig.DEFAULT,
                Start.selector()), NOW, HOUR);

        assertThat(wider.quota().usage(0).get("nvidia.com/gpu")).isEqualTo(2000);
        assertThat(outcome(r, "w").admittedAfterSeconds()).isZero();
    }

    @Test
    void proposedQueuesThatLeaveRunningWorkWithoutALeafAreRefusedNamingIt() {
        Start s = new Start(List.of(gpuNode("n1", 8)), queue("q"))
                .running(workload("old").queue("q").pods(1, gpus(2)).build(), 100, 100);

        assertThatThrownBy(() -> WhatIfReplay.withQueues(s.state, QueueTree.of(List.of(queue("q").build(),
                queue("child").parent("q").build()))))
                .isInstanceOf(ConfigValidationException.class)
                .hasMessageContaining("queues[q]: has child queues, but running workloads are charged to it: [old]");
        assertThatThrownBy(() -> WhatIfReplay.withQueues(s.state, QueueTree.of(List.of(queue("other").build()))))
                .hasMessageContaining("queues[q]: is gone");
    }

    @Test
    void everyRunningWorkloadNeedsExactlyOneRemainingDuration() {
        Start s = new Start(List.of(gpuNode("n1", 8)), queue("q"))
                .running(workload("old").queue("q").pods(1, gpus(2)).build(), 100, 100);
        s.running.clear();
        assertThatThrownBy(() -> s.replay(HOUR)).hasMessageContaining("running workload old has no remaining duration");
        s.running.add(new WhatIfReplay.Running("old", 1, 1));
        s.running.add(new WhatIfReplay.Running("ghost", 1, 1));
        assertThatThrownBy(() -> s.replay(HOUR)).hasMessageContaining("no running workload named [ghost]");
    }

    @Test
    void settingsRefuseWhatCannotEnd() {
        assertThatThrownBy(() -> new Settings(0, 5, 1)).hasMessageContaining("horizon must be positive");
        assertThatThrownBy(() -> new Settings(60, 0, 1)).hasMessageContaining("at least 1 s");
    }
}
