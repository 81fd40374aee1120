package io.kubeai.core.fragmentation;

import static io.kubeai.core.testing.Builders.cluster;
import static io.kubeai.core.testing.Builders.node;
import static io.kubeai.core.testing.Builders.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubeai.core.cluster.ClusterState;
import io.kubeai.core.cluster.Node;
import io.kubeai.core.testing.PodBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FragmentationMeasureTest {

    /** Three G devices and plenty of CPU; each case sets what is free. */
    private static final Node N = node("n").cpu(8000).memoryGi(32).gpus(3, "G").build();

    record Case(String name, ClusterState given, List<TypicalPod> typical, double wantMillis) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static TypicalPod typical(PodBuilder pod, double frequency) {
        return TypicalPod.of(pod.build(), frequency);
    }

    static Stream<Case> cases() {
        ClusterState free1000x300x200 = cluster(N).gpuFree("n", 1000, 300, 200).build();
        ClusterState cpuShort = cluster(N).gpuFree("n", 1000, 300, 200).cpuFree("n", 500).build();
        TypicalPod half = typical(pod().cpu(1000).gpus(1, 500), 1.0);
        return Stream.of(
                // fits on the 1000 device; 300 and 200 are each too small for 500: 300 + 200
                new Case("a 500-milli pod that fits leaves the devices too small for it as fragment",
                        free1000x300x200, List.of(half), 500),
                // 250 fits 1000 and 300; only the 200 device is too small
                new Case("only devices below the pod's share are fragment",
                        free1000x300x200, List.of(typical(pod().cpu(1000).gpus(1, 250), 1.0)), 200),
                // 200 fits every device
                new Case("a pod that fits every device sees no fragment",
                        free1000x300x200, List.of(typical(pod().cpu(1000).gpus(1, 200), 1.0)), 0),
                // a whole device fits on device 0; the partly used 300 and 200 are fragment
                new Case("a whole-device pod sees every partly used device as fragment",
                        free1000x300x200, List.of(typical(pod().cpu(1000).gpus(1), 1.0)), 500),
                // two whole devices do not fit: all 1000 + 300 + 200
                new Case("a pod needing more whole devices than are free sees all free GPU as fragment",
                        free1000x300x200, List.of(typical(pod().cpu(1000).gpus(2), 1.0)), 1500),
                // 500m CPU free, the pod needs 1000m: it cannot land, so all 1500
                new Case("a pod short of CPU sees all free GPU as fragment",
                        cpuShort, List.of(half), 1500),
                new Case("a CPU-only pod sees all free GPU as fragment",
                        free1000x300x200, List.of(typical(pod().cpu(1000), 1.0)), 1500),
                new Case("a pod that refuses the node's GPU model sees all free GPU as fragment",
                        free1000x300x200, List.of(typical(pod().cpu(1000).gpus(1, 500).models("OTHER"), 1.0)),
                        1500),
                // 0.5 × 500 + 0.25 × 1500 + 0.25 × 200
                new Case("typical pods are weighted by their frequency",
                        free1000x300x200, List.of(
                                typical(pod().cpu(1000).gpus(1, 500), 0.5),
                                typical(pod().cpu(1000), 0.25),
                                typical(pod().cpu(1000).gpus(1, 250), 0.25)),
                        250 + 375 + 50),
                new Case("a node without GPUs has no fragment",
                        cluster(node("cpu").cpu(8000).build()).build(), List.of(typical(pod().cpu(1000), 1.0)), 0),
                new Case("a node whose devices are all taken has no fragment",
                        cluster(N).gpuFree("n", 0, 0, 0).build(), List.of(typical(pod().cpu(1000), 1.0)), 0),
                new Case("no typical pods means no fragment",
                        free1000x300x200, List.of(), 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void measuresFragmentedMilliGpuAgainstTheTypicalPods(Case c) {
        FragmentationMeasure measure = new FragmentationMeasure(TypicalPods.of(c.typical));

        assertThat(measure.fragmentedMillis(c.given.node(0))).isEqualTo(c.wantMillis);
    }

    @Test
    void theOrderOfDevicesDoesNotMatterAndIdenticalStatesAreMeasuredOnce() {
        FragmentationMeasure measure = new FragmentationMeasure(
                TypicalPods.of(List.of(TypicalPod.of(pod().cpu(1000).gpus(1, 500).build(), 1.0))));
        ClusterState state = cluster(
                node("a").cpu(8000).gpus(3, "G").build(),
                node("b").cpu(8000).gpus(3, "G").build())
                .gpuFree("a", 1000, 300, 200)
                .gpuFree("b", 200, 1000, 300)
                .build();

        List<Double> measured = List.of(
                measure.fragmentedMillis(state.node(0)), measure.fragmentedMillis(state.node(1)));

        assertThat(measured).isEqualTo(List.of(500.0, 500.0));
        assertThat(measure.memoSize()).isEqualTo(1);
    }

    @Test
    void theMemoTellsApartStatesThatDifferOnlyInFreeCpu() {
        FragmentationMeasure measure = new FragmentationMeasure(
                TypicalPods.of(List.of(TypicalPod.of(pod().cpu(1000).gpus(1, 500).build(), 1.0))));
        ClusterState state = cluster(N, node("m").cpu(8000).gpus(3, "G").build())
                .gpuFree("n", 1000, 300, 200)
                .gpuFree("m", 1000, 300, 200).cpuFree("m", 999)
                .build();

        List<Double> measured = List.of(
                measure.fragmentedMillis(state.node(0)), measure.fragmentedMillis(state.node(1)));

        assertThat(measured).isEqualTo(List.of(500.0, 1500.0));
        assertThat(measure.memoSize()).isEqualTo(2);
    }

    @Test
    void theMemoTellsApartStatesThatDifferOnlyInGpuModel() {
        FragmentationMeasure measure = new FragmentationMeasure(
                TypicalPods.of(List.of(TypicalPod.of(pod().cpu(1000).gpus(1, 500).models("G").build(), 1.0))));

        double onG = measure.fragmentedMillis("G", 8000, new int[] {1000, 300, 200}, 3);
        double onH = measure.fragmentedMillis("H", 8000, new int[] {1000, 300, 200}, 3);

        assertThat(List.of(onG, onH)).isEqualTo(List.of(500.0, 1500.0));
    }

    @Test
    void aNodeWithMoreThanEightDevicesIsMeasuredWithoutTheMemo() {
        FragmentationMeasure measure = new FragmentationMeasure(
                TypicalPods.of(List.of(TypicalPod.of(pod().cpu(1000).gpus(1, 500).build(), 1.0))));
        int[] free = {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 300, 200};

        assertThat(measure.fragmentedMillis("G", 8000, free, free.length)).isEqualTo(500.0);
        assertThat(measure.memoSize()).isZero();
    }

    @Test
    void everyMultisetOfUpToEightDevicesHasItsOwnMemoEntry() {
        // Each device value in 0..1000 must survive packing into the memo key: measure every
        // single-device value and compare against a fresh measure that has seen nothing else.
        TypicalPods typical = TypicalPods.of(List.of(TypicalPod.of(pod().gpus(1, 500).build(), 1.0)));
        FragmentationMeasure shared = new FragmentationMeasure(typical);
        List<Double> viaShared = new ArrayList<>();
        List<Double> viaFresh = new ArrayList<>();
        for (int last = 0; last <= 1000; last += 7) {
            int[] free = {1000, 1000, 1000, 1000, 1000, 1000, 1000, last};
            viaShared.add(shared.fragmentedMillis("G", 0, free.clone(), 8));
            viaFresh.add(new FragmentationMeasure(typical).fragmentedMillis("G", 0, free.clone(), 8));
        }

        assertThat(viaShared).isEqualTo(viaFresh);
    }
}
