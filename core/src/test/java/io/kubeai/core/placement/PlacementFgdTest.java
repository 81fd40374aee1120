package io.kubeai.core.placement;

import static io.kubeai.core.placement.Outcome.want;
import static io.kubeai.core.testing.Builders.cluster;
import static io.kubeai.core.testing.Builders.node;
import static io.kubeai.core.testing.Builders.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubeai.core.cluster.ClusterState;
import io.kubeai.core.fragmentation.TypicalPod;
import io.kubeai.core.fragmentation.TypicalPods;
import io.kubeai.core.testing.PodBuilder;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PlacementFgdTest {

    record Case(String name, List<TypicalPod> typical, ClusterState given, PodBuilder pod, Outcome want) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static List<TypicalPod> only(PodBuilder typical) {
        return List.of(TypicalPod.of(typical.build(), 1.0));
    }

    // score = ⌊100 · sigmoid((fragment before − fragment after) / 1000)⌋: 50 when unchanged,
    // 42 for 300 more fragment, 57 for 300 less, 26 for 1000 more, 4 for 3000 more.
    static Stream<Case> cases() {
        return Stream.of(
                // typical 500: on device 0 → [700, 600], no fragment; on device 1 → [1000, 300], 300
                new Case("a shared pod takes the device that keeps room for typical pods, not the tightest",
                        only(pod().gpus(1, 500)),
                        cluster(node("n1").cpu(64_000).gpus(2, "G").build()).gpuFree("n1", 1000, 600).build(),
                        pod().gpus(1, 300),
                        want("n1", List.of(0), 50L)),
                // n2 has 400 fragment; the pod on its device 1 leaves [1000, 100]: 300 less
                new Case("a shared pod fills a device that is already fragment",
                        only(pod().gpus(1, 500)),
                        cluster(node("n1").cpu(64_000).gpus(2, "G").build(),
                                node("n2").cpu(64_000).gpus(2, "G").build())
                                .gpuFree("n1", 1000, 600)
                                .gpuFree("n2", 1000, 400)
                                .build(),
                        pod().gpus(1, 300),
                        want("n2", List.of(1), 50L, 57L)),
                // on n1 the 1000m pod leaves 3000m CPU, short of the typical 4000m: all 3000 milli-GPU
                // become fragment; on n2 the typical pod still fits
                new Case("a pod goes where it leaves CPU for the typical pods",
                        only(pod().cpu(4000).gpus(1, 500)),
                        cluster(node("n1").cpu(4000).gpus(4, "G").build(),
                                node("n2").cpu(64_000).gpus(4, "G").build()).build(),
                        pod().cpu(1000).gpus(1),
                        want("n2", List.of(0), 4L, 50L)),
                // on the 2-device node one GPU leaves a single device: a typical 2-GPU pod no longer fits
                new Case("a whole-device pod avoids breaking the last room for a typical 2-GPU pod",
                        only(pod().gpus(2)),
                        cluster(node("two").cpu(64_000).gpus(2, "G").build(),
                                node("four").cpu(64_000).gpus(4, "G").build()).build(),
                        pod().gpus(1),
                        want("four", List.of(0), 26L, 50L)),
                new Case("nodes that change fragmentation alike tie and the lower rank wins",
                        only(pod().gpus(1, 500)),
                        cluster(node("n1").cpu(64_000).gpus(2, "G").build(),
                                node("n2").cpu(64_000).gpus(2, "G").build()).build(),
                        pod().gpus(1, 300),
                        want("n1", List.of(0), 50L, 50L)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void placesWhereFragmentationGrowsLeast(Case c) {
        PlacementFgd fgd = new PlacementFgd(TypicalPods.of(c.typical));

        assertThat(Outcome.select(fgd, c.given, c.pod.build())).isEqualTo(c.want);
    }

    @Test
    void theScoreIsASigmoidOfTheFragmentationChangeInWholeGpus() {
        List<Long> scores = List.of(
                PlacementFgd.toScore(0, 0),
                PlacementFgd.toScore(0, 300),
                PlacementFgd.toScore(300, 0),
                PlacementFgd.toScore(0, 1000),
                PlacementFgd.toScore(0, 3000),
                PlacementFgd.toScore(100_000, 0));

        assertThat(scores).isEqualTo(List.of(50L, 42L, 57L, 26L, 4L, 100L));
    }
}
