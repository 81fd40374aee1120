package io.kubeai.core.placement;

import static io.kubeai.core.testing.Builders.cluster;
import static io.kubeai.core.testing.Builders.devices;
import static io.kubeai.core.testing.Builders.node;
import static io.kubeai.core.testing.Builders.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubeai.core.cluster.ClusterState;
import io.kubeai.core.cluster.FitFailure;
import io.kubeai.core.cluster.Node;
import io.kubeai.core.resource.PodRequest;
import io.kubeai.core.testing.PodBuilder;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class NodeSelectorTest {
    private static final TieBreak FIRST_OF_TWO = TieBreak.byRank(new int[] {0, 1});

    private static Node gpuNode(String name) {
        return node(name).cpu(64_000).memoryGi(256).gpus(8, "G").build();
    }

    /** NoNode as a value: its node count, failures by resource and its sentence. */
    record NoFit(int nodes, List<Integer> byFailure, String reason) {
        static NoFit of(NodeChoice choice) {
            NodeChoice.NoNode none = (NodeChoice.NoNode) choice;
            return new NoFit(none.nodes(), Arrays.stream(none.nodesByFailure()).boxed().toList(),
                    none.reason());
        }
    }

    record Case(String name, ClusterState given, PodBuilder pod, NoFit want) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> noFits() {
        // in FitFailure order: GPU_MODEL, CPU, MEMORY, GPU, EXTENDED
        return Stream.of(
                new Case("each node counted once under the first resource it lacks",
                        cluster(
                                node("small-cpu").cpu(1000).memoryGi(256).gpus(2, "G").build(),
                                node("no-gpu").cpu(64_000).memoryGi(256).build(),
                                node("a100").cpu(64_000).memoryGi(256).gpus(2, "A100").build(),
                                node("small-mem").cpu(64_000).memoryGi(4).gpus(2, "G").build(),
                                node("full").cpu(64_000).memoryGi(256).gpus(1, "G").build())
                                .gpuFree("full", 0)
                                .build(),
                        pod().cpu(2000).memoryGi(8).gpus(1).models("G"),
                        new NoFit(5, List.of(2, 1, 1, 1, 0),
                                "0/5 nodes fit: 2 GPU model not accepted, 1 insufficient cpu, 1 insufficient memory,"
                                        + " 1 insufficient GPU")),
                new Case("an extended resource no node has",
                        cluster(gpuNode("n1"), gpuNode("n2")).build(),
                        pod().cpu(1000).extended("example.com/fpga", 1),
                        new NoFit(2, List.of(0, 0, 0, 0, 2),
                                "0/2 nodes fit: 2 insufficient extended resource")),
                new Case("an empty cluster",
                        cluster().build(),
                        pod().cpu(1000),
                        new NoFit(0, List.of(0, 0, 0, 0, 0), "0/0 nodes fit")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("noFits")
    void saysWhyNoNodeFits(Case c) {
        NodeSelector selector = new NodeSelector(new PlacementBestFit());
        PodRequest pod = c.pod.build();

        NodeChoice first = selector.select(c.given, pod, new SplittableRandom(1));
        NodeChoice again = selector.select(c.given, pod, new SplittableRandom(1));

        assertThat(NoFit.of(first)).isEqualTo(c.want);
        assertThat(NoFit.of(again)).as("from the cached failures").isEqualTo(c.want);
    }

    @Test
    void reportsTheTopScoreAndHowManyNodesTiedForIt() {
        ClusterState state = cluster(gpuNode("n1"), gpuNode("n2")).build();

        NodeChoice choice = new NodeSelector(new PlacementBestFit(), FIRST_OF_TWO)
                .select(state, pod().gpus(1).build(), new SplittableRandom(1));

        // 1 − (64000/128000 + 7000/8000)/2 = 0.3125 on both
        assertThat(choice).isEqualTo(new NodeChoice.Chosen(0, devices(0), 31, 2));
    }

    @Test
    void aNodeFilledAfterItsScoreWasCachedIsNoLongerChosen() {
        ClusterState state = cluster(gpuNode("n1"), gpuNode("n2")).build();
        NodeSelector selector = new NodeSelector(new PlacementBestFit(), FIRST_OF_TWO);
        PodRequest pod = pod().gpus(1).build();
        assertThat(selector.select(state, pod, new SplittableRandom(1)))
                .isEqualTo(new NodeChoice.Chosen(0, devices(0), 31, 2));

        state.place("fill", pod().gpus(8).build(), 0, 0xFF);

        assertThat(selector.select(state, pod, new SplittableRandom(1)))
                .isEqualTo(new NodeChoice.Chosen(1, devices(0), 31, 1));
    }

    @Test
    void aPlacedPodChangesTheNextScoreOfItsNode() {
        ClusterState state = cluster(gpuNode("n1"), gpuNode("n2")).build();
        NodeSelector selector = new NodeSelector(new PlacementBestFit(), FIRST_OF_TWO);
        PodRequest pod = pod().gpus(1).build();
        selector.select(state, pod, new SplittableRandom(1));

        state.place("p", pod().gpus(1).build(), 1, devices(0));

        // n2 now: 1 − (0.5 + 6000/8000)/2 = 0.375
        assertThat(selector.select(state, pod, new SplittableRandom(1)))
                .isEqualTo(new NodeChoice.Chosen(1, devices(1), 37, 1));
    }

    @Test
    void aRemovedPodMakesItsNodeFitAgain() {
        ClusterState state = cluster(gpuNode("n1"), gpuNode("n2"))
                .place("big", pod().gpus(8).build(), "n1", 0, 1, 2, 3, 4, 5, 6, 7)
                .build();
        NodeSelector selector = new NodeSelector(new PlacementBestFit(), FIRST_OF_TWO);
        PodRequest pod = pod().gpus(1).build();
        assertThat(selector.select(state, pod, new SplittableRandom(1)))
                .isEqualTo(new NodeChoice.Chosen(1, devices(0), 31, 1));

        state.remove("big");

        assertThat(selector.select(state, pod, new SplittableRandom(1)))
                .isEqualTo(new NodeChoice.Chosen(0, devices(0), 31, 2));
    }

    @Test
    void anotherClusterWithTheSameNodeVersionsDoesNotReuseScores() {
        ClusterState base = cluster(gpuNode("n1"), gpuNode("n2")).build();
        ClusterState full = base.copy();
        full.place("big", pod().gpus(8).build(), 0, 0xFF);
        ClusterState busy = base.copy();
        busy.place("some", pod().gpus(4).build(), 0, 0x0F);
        NodeSelector selector = new NodeSelector(new PlacementBestFit(), FIRST_OF_TWO);
        PodRequest pod = pod().gpus(1).build();

        NodeChoice onFull = selector.select(full, pod, new SplittableRandom(1));
        NodeChoice onBusy = selector.select(busy, pod, new SplittableRandom(1));

        assertThat(onFull).isEqualTo(new NodeChoice.Chosen(1, devices(0), 31, 1));
        // n1 in busy: 1 − (0.5 + 3000/8000)/2 = 0.5625, though its version equals n1's in full
        assertThat(onBusy).isEqualTo(new NodeChoice.Chosen(0, devices(4), 56, 1));
    }

    @Test
    void cachesOneEntryPerDistinctPodShape() {
        ClusterState state = cluster(gpuNode("n1"), gpuNode("n2")).build();
        NodeSelector selector = new NodeSelector(new PlacementBestFit(), FIRST_OF_TWO);

        selector.select(state, pod().gpus(1).build(), new SplittableRandom(1));
        selector.select(state, pod().gpus(1).build(), new SplittableRandom(1));
        selector.select(state, pod().gpus(1, 500).build(), new SplittableRandom(1));
        selector.select(state, pod().gpus(1, 500).models("G").build(), new SplittableRandom(1));

        assertThat(selector.cachedShapes()).isEqualTo(3);
        assertThat(selector.policy().name()).isEqualTo("BestFit");
    }

    @Test
    void aNoNodeReasonListsFailuresInTheOrderTheyAreChecked() {
        int[] counts = new int[FitFailure.values().length];
        counts[FitFailure.EXTENDED.ordinal()] = 1;
        counts[FitFailure.GPU_MODEL.ordinal()] = 3;

        assertThat(new NodeChoice.NoNode(4, counts).reason())
                .isEqualTo("0/4 nodes fit: 3 GPU model not accepted, 1 insufficient extended resource");
    }
}
