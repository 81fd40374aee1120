package io.kubeai.core.placement;

import static io.kubeai.core.placement.Outcome.want;
import static io.kubeai.core.testing.Builders.cluster;
import static io.kubeai.core.testing.Builders.node;
import static io.kubeai.core.testing.Builders.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubeai.core.cluster.ClusterState;
import io.kubeai.core.cluster.Node;
import io.kubeai.core.testing.PodBuilder;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PlacementGpuClusteringTest {

    record Case(String name, Supplier<ClusterState> given, PodBuilder pod, Outcome want) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Node gpuNode(String name) {
        return node(name).cpu(64_000).memoryGi(256).gpus(8, "G").build();
    }

    /**
     * idle: nothing; shared: one 500-milli pod (7500 free); mixed: a 500-milli and a 2-GPU pod
     * (5500 free); single: a 1-GPU pod (7000 free).
     */
    private static ClusterState fourKinds() {
        return cluster(gpuNode("idle"), gpuNode("shared"), gpuNode("mixed"), gpuNode("single"))
                .place("s", pod().gpus(1, 500).build(), "shared", 0)
                .place("m-s", pod().gpus(1, 500).build(), "mixed", 0)
                .place("m-2", pod().gpus(2).build(), "mixed", 1, 2)
                .place("w", pod().gpus(1).build(), "single", 0)
                .build();
    }

    // score = band + ⌊25 · (8000 − GPU milli free) / 8000⌋; fullness: idle 0, shared 1, mixed 7, single 3.
    // Bands: only this kind 75, this kind among others 50, idle 25, other kinds only 0.
    static Stream<Case> cases() {
        return Stream.of(
                new Case("a shared pod goes to the node running only shared pods",
                        PlacementGpuClusteringTest::fourKinds, pod().gpus(1, 300),
                        want("shared", List.of(0), 25L, 76L, 57L, 3L)),
                new Case("a 2-GPU pod goes to the node running 2-GPU pods among others rather than an idle one",
                        PlacementGpuClusteringTest::fourKinds, pod().gpus(2),
                        want("mixed", List.of(3, 4), 25L, 1L, 57L, 3L)),
                new Case("a 1-GPU pod goes to the node running only 1-GPU pods",
                        PlacementGpuClusteringTest::fourKinds, pod().gpus(1),
                        want("single", List.of(1), 25L, 1L, 7L, 78L)),
                new Case("a kind no node runs goes to an idle node",
                        PlacementGpuClusteringTest::fourKinds, pod().gpus(4),
                        want("idle", List.of(0, 1, 2, 3), 25L, 1L, 7L, 3L)),
                new Case("a CPU-only pod is indifferent and the lowest rank wins",
                        PlacementGpuClusteringTest::fourKinds, pod().cpu(1000),
                        want("idle", List.of(), 0L, 0L, 0L, 0L)),
                // both only shared: lightly used 75 + ⌊25·500/8000⌋ = 76, busy 75 + ⌊25·3600/8000⌋ = 86
                new Case("within a band the node with less GPU free wins",
                        () -> cluster(gpuNode("light"), gpuNode("busy"))
                                .place("l", pod().gpus(1, 500).build(), "light", 0)
                                .gpuFree("busy", 100, 100, 100, 100, 1000, 1000, 1000, 1000)
                                .build(),
                        pod().gpus(1, 300),
                        want("busy", List.of(4), 76L, 86L)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void keepsPodsOfTheSameGpuKindTogether(Case c) {
        assertThat(Outcome.select(new PlacementGpuClustering(), c.given.get(), c.pod.build())).isEqualTo(c.want);
    }
}
