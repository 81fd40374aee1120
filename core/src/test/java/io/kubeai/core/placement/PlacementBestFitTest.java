package io.kubeai.core.placement;

import static io.kubeai.core.placement.Outcome.want;
import static io.kubeai.core.testing.Builders.cluster;
import static io.kubeai.core.testing.Builders.node;
import static io.kubeai.core.testing.Builders.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubeai.core.cluster.ClusterState;
import io.kubeai.core.testing.NodeBuilder;
import io.kubeai.core.testing.PodBuilder;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PlacementBestFitTest {

    record Case(String name, ClusterState given, PodBuilder pod, Outcome want) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static NodeBuilder gpuNode(String name, int gpus) {
        return node(name).cpu(64_000).memoryGi(256).gpus(gpus, "G");
    }

    // score = ⌊100 · (1 − (cpu left / 128000 + GPU milli left / 8000) / 2)⌋
    static Stream<Case> cases() {
        return Stream.of(
                // n1: 1 − (63000/128000 + 3000/8000)/2 = 0.566; n2: 1 − (63000/128000 + 1000/8000)/2 = 0.691
                new Case("the node left with the least free wins",
                        cluster(gpuNode("n1", 4).build(), gpuNode("n2", 4).build())
                                .gpuFree("n2", 0, 0, 1000, 1000).build(),
                        pod().cpu(1000).gpus(1),
                        want("n2", List.of(2), 56L, 69L)),
                // n1: 1 − (120000/128000 + 1)/2 = 0.031; n2: 1 − (8000/128000 + 1)/2 = 0.468
                new Case("CPU left counts as much as GPU left",
                        cluster(node("n1").cpu(128_000).gpus(8, "G").build(),
                                node("n2").cpu(16_000).gpus(8, "G").build()).build(),
                        pod().cpu(8000),
                        want("n2", List.of(), 3L, 46L)),
                new Case("identical nodes tie and the lower rank wins",
                        cluster(gpuNode("n1", 8).build(), gpuNode("n2", 8).build()).build(),
                        pod().cpu(1000).gpus(1),
                        want("n1", List.of(0), 31L, 31L)),
                new Case("a shared pod takes the fullest device that fits",
                        cluster(gpuNode("n1", 4).build()).gpuFree("n1", 1000, 600, 300, 700).build(),
                        pod().gpus(1, 300),
                        want("n1", List.of(2), 60L)),
                new Case("a device too full for the share is passed over for the next fullest",
                        cluster(gpuNode("n1", 4).build()).gpuFree("n1", 1000, 600, 300, 700).build(),
                        pod().gpus(1, 400),
                        want("n1", List.of(1), 61L)),
                new Case("equally full devices go to the lowest index",
                        cluster(gpuNode("n1", 3).build()).gpuFree("n1", 1000, 500, 500).build(),
                        pod().gpus(1, 500),
                        want("n1", List.of(1), 65L)),
                new Case("whole-device pods take the lowest-numbered free devices",
                        cluster(gpuNode("n1", 8).build())
                                .gpuFree("n1", 1000, 0, 1000, 1000, 300, 1000, 1000, 1000).build(),
                        pod().gpus(2),
                        want("n1", List.of(0, 2), 48L)),
                new Case("no node fits",
                        cluster(gpuNode("n1", 1).build()).build(),
                        pod().gpus(2),
                        want(Outcome.NONE, List.of(), (Long) null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void choosesTheTightestNodeAndDevice(Case c) {
        assertThat(Outcome.select(new PlacementBestFit(), c.given, c.pod.build())).isEqualTo(c.want);
    }
}
