package io.kubeai.core.placement;

import static io.kubeai.core.placement.Outcome.want;
import static io.kubeai.core.testing.Builders.cluster;
import static io.kubeai.core.testing.Builders.node;
import static io.kubeai.core.testing.Builders.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubeai.core.cluster.ClusterState;
import io.kubeai.core.testing.PodBuilder;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PlacementDotProdTest {

    record Case(String name, ClusterState given, PodBuilder pod, Outcome want) {
        @Override
        public String toString() {
            return name;
        }
    }

    // score = ⌊100 · (1 − (cpu free/128000 · cpu asked/128000 + GPU free/8000 · GPU asked/8000) / 2)⌋
    static Stream<Case> cases() {
        return Stream.of(
                // n1: 1 − (1 · 1/8)/2 = 0.9375; n2: 1 − (2/8 · 1/8)/2 = 0.984
                new Case("a GPU pod goes where less GPU is free",
                        cluster(node("n1").cpu(64_000).gpus(8, "G").build(),
                                node("n2").cpu(64_000).gpus(8, "G").build())
                                .gpuFree("n2", 0, 0, 0, 0, 0, 0, 1000, 1000).build(),
                        pod().gpus(1),
                        want("n2", List.of(6), 93L, 98L)),
                // n1: 1 − (1 · 1/2)/2 = 0.75; n2: 1 − (3/4 · 1/2)/2 = 0.8125
                new Case("a CPU pod goes where less CPU is free",
                        cluster(node("n1").cpu(128_000).gpus(8, "G").build(),
                                node("n2").cpu(96_000).gpus(8, "G").build()).build(),
                        pod().cpu(64_000),
                        want("n2", List.of(), 75L, 81L)),
                // a CPU-only pod does not see GPU: both nodes 1 − (1/4 · 1/16)/2 = 0.992
                new Case("free GPU does not matter to a CPU-only pod",
                        cluster(node("n1").cpu(32_000).gpus(8, "G").build(),
                                node("n2").cpu(32_000).build()).build(),
                        pod().cpu(8000),
                        want("n1", List.of(), 99L, 99L)),
                new Case("a shared pod takes the fullest device that fits",
                        cluster(node("n1").cpu(64_000).gpus(4, "G").build())
                                .gpuFree("n1", 1000, 400, 700, 1000).build(),
                        pod().gpus(1, 350),
                        want("n1", List.of(1), 99L)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void choosesTheNodeWhoseFreeRoomAlignsLeastWithThePod(Case c) {
        assertThat(Outcome.select(new PlacementDotProd(), c.given, c.pod.build())).isEqualTo(c.want);
    }
}
