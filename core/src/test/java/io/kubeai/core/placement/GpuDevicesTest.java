package io.kubeai.core.placement;

import static io.kubeai.core.testing.Builders.cluster;
import static io.kubeai.core.testing.Builders.node;
import static io.kubeai.core.testing.Builders.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubeai.core.cluster.NodeState;
import io.kubeai.core.resource.PodRequest;
import io.kubeai.core.testing.Builders;
import io.kubeai.core.testing.PodBuilder;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GpuDevicesTest {

    /** The masks the two deterministic choices give. */
    record Choice(int lowestFitting, int tightest) {
    }

    record Case(String name, int[] gpuFree, PodBuilder pod, Choice want) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        int[] mixed = {1000, 300, 600, 300, 1000};
        return Stream.of(
                new Case("a CPU-only pod gets no device", mixed, pod().cpu(1000), new Choice(0, 0)),
                new Case("a share: lowest-numbered fitting device, or the fullest fitting one",
                        mixed, pod().gpus(1, 250), new Choice(Builders.devices(0), Builders.devices(1))),
                new Case("a share: the fullest device too small is skipped",
                        mixed, pod().gpus(1, 301), new Choice(Builders.devices(0), Builders.devices(2))),
                new Case("whole devices: the lowest-numbered free ones either way",
                        mixed, pod().gpus(2), new Choice(Builders.devices(0, 4), Builders.devices(0, 4))),
                new Case("not enough devices gives no mask",
                        mixed, pod().gpus(3), new Choice(0, 0)),
                new Case("a share no device fits gives no mask",
                        new int[] {100, 0}, pod().gpus(1, 200), new Choice(0, 0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void choosesDevicesForAPod(Case c) {
        NodeState node = cluster(node("n").cpu(64_000).gpus(c.gpuFree.length, "G").build())
                .gpuFree("n", c.gpuFree).build().node(0);
        PodRequest pod = c.pod.build();

        assertThat(new Choice(GpuDevices.lowestFitting(node, pod), GpuDevices.tightest(node, pod))).isEqualTo(c.want);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aRandomChoiceIsAlwaysAFittingOne(Case c) {
        NodeState node = cluster(node("n").cpu(64_000).gpus(c.gpuFree.length, "G").build())
                .gpuFree("n", c.gpuFree).build().node(0);
        PodRequest pod = c.pod.build();
        SplittableRandom random = new SplittableRandom(5);

        for (int i = 0; i < 50; i++) {
            int mask = GpuDevices.random(node, pod, random);
            if (c.want.lowestFitting() == 0) {
                assertThat(mask).isZero();
                continue;
            }
            assertThat(Integer.bitCount(mask)).isEqualTo(pod.gpuCount());
            for (int d : List.of(0, 1, 2, 3, 4)) {
                if ((mask & (1 << d)) != 0) {
                    assertThat(node.gpuFreeMillis(d)).isGreaterThanOrEqualTo(pod.gpuMillisPerDevice());
                }
            }
        }
    }
}
