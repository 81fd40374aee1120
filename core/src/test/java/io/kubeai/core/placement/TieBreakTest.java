package io.kubeai.core.placement;

import static io.kubeai.core.testing.Builders.cluster;
import static io.kubeai.core.testing.Builders.node;
import static io.kubeai.core.testing.Builders.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubeai.core.cluster.ClusterState;
import io.kubeai.core.cluster.Node;
import io.kubeai.core.resource.PodRequest;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TieBreakTest {
    private static final int DRAWS = 300;

    private static Node gpuNode(String name) {
        return node(name).cpu(64_000).memoryGi(256).gpus(8, "G").build();
    }

    /** Three identical nodes and one the pod does not fit. */
    private static ClusterState threeTiedAndOneFull() {
        return cluster(gpuNode("a"), gpuNode("b"), node("cpu-only").cpu(64_000).build(), gpuNode("c")).build();
    }

    /** How often each node was chosen over {@link #DRAWS} selections of one pod, nothing placed. */
    private static List<Integer> chosenCounts(NodeSelector selector, ClusterState state, PodRequest pod) {
        SplittableRandom random = new SplittableRandom(20240611L);
        int[] counts = new int[state.nodeCount()];
        for (int i = 0; i < DRAWS; i++) {
            counts[((NodeChoice.Chosen) selector.select(state, pod, random)).nodeIndex()]++;
        }
        return Arrays.stream(counts).boxed().toList();
    }

    @Test
    void randomChoosesEveryTiedNodeAndNeverOneThePodDoesNotFit() {
        List<Integer> counts = chosenCounts(new NodeSelector(new PlacementBestFit(), TieBreak.RANDOM),
                threeTiedAndOneFull(), pod().gpus(1).build());

        assertThat(counts.get(2)).isZero();
        assertThat(List.of(counts.get(0), counts.get(1), counts.get(3)))
                .allSatisfy(n -> assertThat(n).isBetween(DRAWS / 3 - 40, DRAWS / 3 + 40));
    }

    @Test
    void randomIsTheSelectorsDefault() {
        List<Integer> counts = chosenCounts(new NodeSelector(new PlacementBestFit()),
                threeTiedAndOneFull(), pod().gpus(1).build());

        assertThat(List.of(counts.get(0), counts.get(1), counts.get(3))).allSatisfy(n -> assertThat(n).isPositive());
    }

    @Test
    void byRankAlwaysChoosesTheLowestRankedTiedNode() {
        TieBreak rank = TieBreak.byRank(new int[] {3, 1, 0, 2});

        List<Integer> counts = chosenCounts(new NodeSelector(new PlacementBestFit(), rank),
                threeTiedAndOneFull(), pod().gpus(1).build());

        assertThat(counts).isEqualTo(List.of(0, DRAWS, 0, 0));
    }

    @Test
    void byRankBreaksTiesOnlyAHigherScoreStillWins() {
        ClusterState state = cluster(gpuNode("a"), gpuNode("b"), gpuNode("c"))
                .place("x", pod().gpus(2).build(), "c", 0, 1)
                .build();
        NodeSelector selector = new NodeSelector(new PlacementBestFit(), TieBreak.byRank(new int[] {0, 1, 2}));

        NodeChoice choice = selector.select(state, pod().gpus(1).build(), new SplittableRandom(1));

        // c: 1 − (64000/128000 + 5000/8000)/2 = 0.4375; a and b: 1 − (0.5 + 7000/8000)/2 = 0.3125
        assertThat(choice).isEqualTo(new NodeChoice.Chosen(2, 0b100, 43, 1));
    }

    @Test
    void placementRandomIgnoresARankedTieBreak() {
        TieBreak rank = TieBreak.byRank(new int[] {0, 1, 2, 3});

        List<Integer> counts = chosenCounts(new NodeSelector(new PlacementRandom(), rank),
                threeTiedAndOneFull(), pod().gpus(1).build());

        assertThat(counts.get(2)).isZero();
        assertThat(List.of(counts.get(0), counts.get(1), counts.get(3))).allSatisfy(n -> assertThat(n).isPositive());
        assertThat(new PlacementRandom().tieBreak(rank).isRandom()).isTrue();
    }

    @Test
    void otherPoliciesKeepTheConfiguredTieBreak() {
        TieBreak rank = TieBreak.byRank(new int[] {0});

        assertThat(new PlacementBestFit().tieBreak(rank)).isSameAs(rank);
        assertThat(rank.isRandom()).isFalse();
        assertThat(TieBreak.RANDOM.isRandom()).isTrue();
    }

    @Test
    void byRankCopiesItsRanks() {
        int[] ranks = {0, 1};
        TieBreak rank = TieBreak.byRank(ranks);
        ranks[0] = 5;

        assertThat(rank.replaces(1, 0, 2, new SplittableRandom(1))).isFalse();
    }

    @Test
    void shuffledIsAPermutationFixedByTheSeed() {
        int[] first = ranksOf(TieBreak.shuffled(6, new SplittableRandom(7)), 6);
        int[] again = ranksOf(TieBreak.shuffled(6, new SplittableRandom(7)), 6);

        assertThat(Arrays.stream(first).sorted().toArray()).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(again).containsExactly(first);
    }

    /** Recovers a ranked tie-break's ranks from which node wins each pair. */
    private static int[] ranksOf(TieBreak tieBreak, int nodes) {
        SplittableRandom unused = new SplittableRandom(0);
        return IntStream.range(0, nodes)
                .map(i -> (int) IntStream.range(0, nodes)
                        .filter(j -> j != i && tieBreak.replaces(j, i, 2, unused)).count())
                .toArray();
    }
}
