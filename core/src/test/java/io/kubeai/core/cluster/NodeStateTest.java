package io.kubeai.core.cluster;

import static io.kubeai.core.testing.Builders.cluster;
import static io.kubeai.core.testing.Builders.node;
import static io.kubeai.core.testing.Builders.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubeai.core.resource.PodRequest;
import io.kubeai.core.testing.PodBuilder;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class NodeStateTest {

    /** 8 cores, 16 Gi, two G2 devices, one FPGA. */
    private static final Node N1 = node("n1").cpu(8000).memoryGi(16).gpus(2, "G2")
            .extended("example.com/fpga", 1).build();
    /** A CPU-only node. */
    private static final Node N0 = node("n0").cpu(8000).memoryGi(16).build();

    record Case(String name, ClusterState given, PodBuilder pod, Fit want) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("a pod within every capacity fits",
                        cluster(N1).build(),
                        pod().cpu(8000).memoryGi(16).gpus(2).models("G2").extended("example.com/fpga", 1),
                        Fit.FITS),
                new Case("a refused GPU model names the node's model and the accepted ones",
                        cluster(N1).build(),
                        pod().gpus(1).models("A100", "V100M16"),
                        Fit.no(FitFailure.GPU_MODEL, "node n1 has GPU model G2, pod accepts A100|V100M16")),
                new Case("the GPU model is checked before CPU",
                        cluster(N1).build(),
                        pod().cpu(99_000).gpus(1).models("A100"),
                        Fit.no(FitFailure.GPU_MODEL, "node n1 has GPU model G2, pod accepts A100")),
                new Case("a node without GPUs has model none",
                        cluster(N0).build(),
                        pod().gpus(1, 500).models("G2"),
                        Fit.no(FitFailure.GPU_MODEL, "node n0 has GPU model none, pod accepts G2")),
                new Case("a CPU-only pod ignores its GPU models",
                        cluster(N0).build(),
                        pod().cpu(1000).models("G2"),
                        Fit.FITS),
                new Case("insufficient cpu names free, capacity and request",
                        cluster(N1).cpuFree("n1", 2000).build(),
                        pod().cpu(2500),
                        Fit.no(FitFailure.CPU, "node n1 has 2000m cpu free of 8000m, pod requests 2500m")),
                new Case("insufficient memory is said in Mi",
                        cluster(N1).build(),
                        pod().memoryGi(17),
                        Fit.no(FitFailure.MEMORY,
                                "node n1 has 16384Mi memory free of 16384Mi, pod requests 17408Mi")),
                new Case("too few whole devices",
                        cluster(N1).build(),
                        pod().gpus(3),
                        Fit.no(FitFailure.GPU, "node n1 has 2 of 2 GPUs with 1000 milli free, pod needs 3")),
                new Case("a partly used device is not a whole one",
                        cluster(N1).gpuFree("n1", 300, 1000).build(),
                        pod().gpus(2),
                        Fit.no(FitFailure.GPU, "node n1 has 1 of 2 GPUs with 1000 milli free, pod needs 2")),
                new Case("a share fits a partly used device with enough left",
                        cluster(N1).gpuFree("n1", 300, 0).build(),
                        pod().gpus(1, 300),
                        Fit.FITS),
                new Case("a share needs one device with enough left",
                        cluster(N1).gpuFree("n1", 300, 0).build(),
                        pod().gpus(1, 301),
                        Fit.no(FitFailure.GPU, "node n1 has 0 of 2 GPUs with 301 milli free, pod needs 1")),
                new Case("a GPU pod with any model does not fit a node without GPUs",
                        cluster(N0).build(),
                        pod().gpus(1),
                        Fit.no(FitFailure.GPU, "node n0 has 0 of 0 GPUs with 1000 milli free, pod needs 1")),
                new Case("an extended resource the node lacks",
                        cluster(N0).build(),
                        pod().extended("example.com/fpga", 1),
                        Fit.no(FitFailure.EXTENDED,
                                "node n0 lacks extended resources for {example.com/fpga=1} (free: {})")),
                new Case("more of an extended resource than is free",
                        cluster(N1).build(),
                        pod().extended("example.com/fpga", 2),
                        Fit.no(FitFailure.EXTENDED, "node n1 lacks extended resources for {example.com/fpga=2}"
                                + " (free: {example.com/fpga=1})")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void fitNamesTheFirstFailingResourceWithTheNodeAndTheNumbers(Case c) {
        NodeState node = c.given.node(0);
        PodRequest pod = c.pod.build();

        assertThat(node.fit(pod)).isEqualTo(c.want);
        assertThat(node.failure(pod)).isEqualTo(c.want.failure());
        assertThat(node.fits(pod)).isEqualTo(c.want.fits());
    }

    /** The device-level reads of a node. */
    record Devices(int count, List<Integer> free, long freeTotal, int fullyFree, int withAtLeast400) {
        static Devices of(NodeState n) {
            int[] free = new int[32];
            int count = n.copyGpuFree(free);
            Integer[] boxed = new Integer[count];
            for (int d = 0; d < count; d++) {
                boxed[d] = free[d];
                assertThat(n.gpuFreeMillis(d)).isEqualTo(free[d]);
            }
            return new Devices(count, List.of(boxed), n.gpuFreeMillisTotal(), n.fullyFreeGpuCount(),
                    n.gpusWithFree(400));
        }
    }

    @Test
    void readsEachDevicesFreeMillis() {
        ClusterState state = cluster(node("n").cpu(1000).gpus(4, "G").build())
                .gpuFree("n", 1000, 300, 0, 400)
                .build();

        assertThat(Devices.of(state.node(0))).isEqualTo(new Devices(4, List.of(1000, 300, 0, 400), 1700, 1, 2));
    }

    record KindCase(String name, PodBuilder pod, int want) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<KindCase> kinds() {
        return Stream.of(
                new KindCase("CPU only has no kind", pod().cpu(1000), -1),
                new KindCase("a share of a device is the shared kind", pod().gpus(1, 500), NodeState.KIND_SHARED),
                new KindCase("one whole device is kind 1", pod().gpus(1), 1),
                new KindCase("four whole devices is kind 4", pod().gpus(4), 4));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void aPodsGpuKindIsSharedOrItsWholeDeviceCount(KindCase c) {
        assertThat(NodeState.gpuKindOf(c.pod.build())).isEqualTo(c.want);
    }

    @Test
    void readsFreeExtendedResourcesAndZeroForUnknownOnes() {
        ClusterState state = cluster(N1)
                .place("p", pod().extended("example.com/fpga", 1).build(), "n1")
                .build();

        assertThat(state.node(0).extendedFree("example.com/fpga")).isZero();
        assertThat(cluster(N1).build().node(0).extendedFree("example.com/fpga")).isEqualTo(1);
        assertThat(state.node(0).extendedFree("example.com/other")).isZero();
    }
}
