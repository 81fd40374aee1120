package io.kubeai.core.placement;

import static io.kubeai.core.testing.Builders.cluster;
import static io.kubeai.core.testing.Builders.node;
import static io.kubeai.core.testing.Builders.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubeai.core.cluster.ClusterState;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PlacementRandomTest {

    @Test
    void everyNodeScoresTheSame() {
        ClusterState state = cluster(node("a").cpu(64_000).gpus(8, "G").build(),
                node("b").cpu(1000).gpus(1, "G").build())
                .gpuFree("b", 500)
                .build();

        assertThat(Outcome.scores(new PlacementRandom(), state, pod().gpus(1, 300).build()))
                .isEqualTo(List.of(0L, 0L));
    }

    @Test
    void aSharedPodLandsOnEveryDeviceItFitsAndNoOther() {
        ClusterState state = cluster(node("n").cpu(64_000).gpus(4, "G").build())
                .gpuFree("n", 1000, 200, 600, 0)
                .build();
        PlacementRandom random = new PlacementRandom();
        SplittableRandom rng = new SplittableRandom(99);
        int[] counts = new int[4];

        for (int i = 0; i < 300; i++) {
            counts[Integer.numberOfTrailingZeros(random.selectDevices(state.node(0), pod().gpus(1, 500).build(), rng))]++;
        }

        assertThat(counts[1]).isZero();
        assertThat(counts[3]).isZero();
        assertThat(counts[0]).isBetween(110, 190);
        assertThat(counts[0] + counts[2]).isEqualTo(300);
    }

    @Test
    void wholeDevicePodsTakeTheLowestFreeDevices() {
        ClusterState state = cluster(node("n").cpu(64_000).gpus(4, "G").build())
                .gpuFree("n", 0, 1000, 500, 1000)
                .build();

        int devices = new PlacementRandom().selectDevices(state.node(0), pod().gpus(2).build(), new SplittableRandom(3));

        assertThat(devices).isEqualTo(0b1010);
    }
}
