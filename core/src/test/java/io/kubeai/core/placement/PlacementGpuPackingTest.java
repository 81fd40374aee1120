package io.kubeai.core.placement;

import static io.kubeai.core.placement.Outcome.want;
import static io.kubeai.core.testing.Builders.node;
import static io.kubeai.core.testing.Builders.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubeai.core.cluster.ClusterState;
import io.kubeai.core.cluster.Node;
import io.kubeai.core.testing.Builders;
import io.kubeai.core.testing.ClusterBuilder;
import io.kubeai.core.testing.PodBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PlacementGpuPackingTest {

    record Case(String name, List<String> nodes, PodBuilder pod, Outcome want) {
        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * A cluster of some of these nodes, in the order named. untouched: 8 free devices; small: 2
     * free devices; used: one full device of 8; shared600 and shared400: a device with that much
     * left.
     */
    private static ClusterState cluster(List<String> names) {
        List<Node> nodes = new ArrayList<>();
        for (String n : names) {
            nodes.add(node(n).cpu(64_000).memoryGi(256).gpus(n.equals("small") ? 2 : 8, "G").build());
        }
        ClusterBuilder b = Builders.cluster(nodes);
        if (names.contains("used")) {
            b.gpuFree("used", 0, 1000, 1000, 1000, 1000, 1000, 1000, 1000);
        }
        if (names.contains("shared600")) {
            b.gpuFree("shared600", 600, 1000, 1000, 1000, 1000, 1000, 1000, 1000);
        }
        if (names.contains("shared400")) {
            b.gpuFree("shared400", 1000, 400, 1000, 1000, 1000, 1000, 1000, 1000);
        }
        return b.build();
    }

    // Bands as in the FGD artifact: shared devices 100 − free%/10 (50..100); free devices on a used
    // node 50 − devices (33..50); an untouched node max(33 − devices, devices) (0..33).
    static Stream<Case> cases() {
        return Stream.of(
                new Case("a shared device beats a free device on a used node and an untouched node",
                        List.of("untouched", "used", "shared600"), pod().gpus(1, 300),
                        want("shared600", List.of(0), 25L, 49L, 94L)),
                new Case("a free device on a used node beats an untouched node",
                        List.of("untouched", "used"), pod().gpus(1, 300),
                        want("used", List.of(1), 25L, 49L)),
                new Case("an untouched node with fewer devices beats one with more",
                        List.of("untouched", "small"), pod().gpus(1, 300),
                        want("small", List.of(0), 25L, 31L)),
                new Case("the fuller shared device wins",
                        List.of("shared600", "shared400"), pod().gpus(1, 300),
                        want("shared400", List.of(1), 94L, 96L)),
                new Case("a shared device too small for the pod does not count as shared",
                        List.of("untouched", "shared400"), pod().gpus(1, 500),
                        want("shared400", List.of(0), 25L, 49L)),
                new Case("a whole-device pod takes free devices on a used node, fewer is better",
                        List.of("untouched", "used"), pod().gpus(2),
                        want("used", List.of(1, 2), 25L, 48L)),
                new Case("a CPU-only pod is indifferent and the lowest rank wins",
                        List.of("untouched", "used", "shared600"), pod().cpu(1000),
                        want("untouched", List.of(), 0L, 0L, 0L)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void packsGpuPodsOntoDevicesAlreadyInUse(Case c) {
        assertThat(Outcome.select(new PlacementGpuPacking(), cluster(c.nodes), c.pod.build())).isEqualTo(c.want);
    }
}
