package io.kubeai.core.cluster;

import static io.kubeai.core.testing.Builders.cluster;
import static io.kubeai.core.testing.Builders.devices;
import static io.kubeai.core.testing.Builders.node;
import static io.kubeai.core.testing.Builders.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.kubeai.core.resource.PodRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ClusterStateTest {

    private static final Node N1 = node("n1").cpu(8000).memoryGi(16).gpus(4, "G2")
            .extended("example.com/fpga", 2).build();
    private static final Node N2 = node("n2").cpu(4000).memoryGi(8).gpus(2, "G2").build();

    /** Everything observable about one node, for comparing whole states. */
    record NodeView(String name, long cpuFree, long memoryFree, List<Integer> gpuFree, long fpgaFree,
            int pods, List<Integer> podsByKind, int kinds, long version) {
        static NodeView of(NodeState n) {
            List<Integer> gpu = new ArrayList<>();
            for (int d = 0; d < n.gpuCount(); d++) {
                gpu.add(n.gpuFreeMillis(d));
            }
            List<Integer> byKind = new ArrayList<>();
            for (int k = 0; k <= Node.MAX_GPUS; k++) {
                byKind.add(n.podsOfGpuKind(k));
            }
            return new NodeView(n.name(), n.cpuFreeMillis(), n.memoryFreeBytes(), gpu,
                    n.extendedFree("example.com/fpga"), n.podCount(), byKind, n.gpuKindCount(), n.version());
        }

        /** The same view without the version, which every change bumps. */
        NodeView unversioned() {
            return new NodeView(name, cpuFree, memoryFree, gpuFree, fpgaFree, pods, podsByKind, kinds, 0);
        }
    }

    record ClusterView(List<NodeView> nodes, List<Placement> placements, long allocatedGpuMillis) {
        static ClusterView of(ClusterState s) {
            return new ClusterView(s.nodes().stream().map(NodeView::of).toList(),
                    List.copyOf(s.placements()), s.allocatedGpuMillis());
        }
    }

    @Test
    void placeTakesTheRequestFromTheNodeAndTheChosenDevices() {
        ClusterState state = cluster(N1, N2).build();
        PodRequest pod = pod().cpu(3000).memoryGi(4).gpus(2).extended("example.com/fpga", 1).build();

        Placement placed = state.place("p", pod, 0, devices(1, 3));

        assertThat(placed).isEqualTo(new Placement("p", pod, 0, 0b1010));
        assertThat(placed.deviceIndexes()).containsExactly(1, 3);
        assertThat(NodeView.of(state.node(0))).isEqualTo(new NodeView("n1", 5000, 12L << 30,
                List.of(1000, 0, 1000, 0), 1, 1, kinds(2, 1), 1, 1));
        assertThat(NodeView.of(state.node(1))).isEqualTo(NodeView.of(cluster(N2).build().node(0)));
        assertThat(state.placement("p")).contains(placed);
        assertThat(state.podCount()).isEqualTo(1);
    }

    @Test
    void removeFreesExactlyWhatPlaceTook() {
        ClusterState state = cluster(N1, N2)
                .place("other", pod().cpu(500).gpus(1, 300).build(), "n1", 2)
                .build();
        NodeView before = NodeView.of(state.node(0));
        PodRequest pod = pod().cpu(3000).memoryGi(4).gpus(1, 600).extended("example.com/fpga", 2).build();
        Placement placed = state.place("p", pod, 0, devices(2));

        Optional<Placement> removed = state.remove("p");

        assertThat(removed).contains(placed);
        assertThat(NodeView.of(state.node(0)).unversioned()).isEqualTo(before.unversioned());
        assertThat(state.placement("p")).isEmpty();
        assertThat(state.allocatedGpuMillis()).isEqualTo(300);
    }

    record Refusal(String name, ClusterState given, String podId, PodRequest pod, int nodeIndex, int devices,
            String wantMessage) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Refusal> refusals() {
        PodRequest share = pod().cpu(1000).gpus(1, 500).build();
        return Stream.of(
                new Refusal("a pod that is already placed",
                        cluster(N1).place("p", share, "n1", 0).build(), "p", share, 0, devices(1),
                        "pod p is already placed"),
                new Refusal("a pod short of cpu",
                        cluster(N1).cpuFree("n1", 500).build(), "p", share, 0, devices(0),
                        "pod p does not fit: node n1 has 500m cpu free of 8000m, pod requests 1000m"),
                new Refusal("a pod of a refused GPU model",
                        cluster(N1).build(), "p", pod().gpus(1).models("A100").build(), 0, devices(0),
                        "pod p does not fit: node n1 has GPU model G2, pod accepts A100"),
                new Refusal("more devices than the pod asks for",
                        cluster(N1).build(), "p", share, 0, devices(0, 1),
                        "pod p needs 1 GPU devices, was given 2"),
                new Refusal("fewer devices than the pod asks for",
                        cluster(N1).build(), "p", pod().gpus(2).build(), 0, devices(0),
                        "pod p needs 2 GPU devices, was given 1"),
                new Refusal("a device for a CPU-only pod",
                        cluster(N1).build(), "p", pod().cpu(100).build(), 0, devices(0),
                        "pod p needs 0 GPU devices, was given 1"),
                new Refusal("a device the node does not have",
                        cluster(N1).build(), "p", share, 0, devices(5),
                        "pod p: node n1 has no GPU device 5"),
                new Refusal("the sign bit as a device",
                        cluster(N1).build(), "p", share, 0, devices(31),
                        "pod p: node n1 has no GPU device 31"),
                new Refusal("a device with too little free although another has enough",
                        cluster(N1).gpuFree("n1", 300, 1000, 1000, 1000).build(), "p", share, 0, devices(0),
                        "pod p: GPU 0 of node n1 has 300 milli free, pod needs 500"),
                new Refusal("a whole-device pod on a partly used device",
                        cluster(N1).gpuFree("n1", 1000, 999, 1000, 1000).build(), "p", pod().gpus(2).build(),
                        0, devices(0, 1),
                        "pod p: GPU 1 of node n1 has 999 milli free, pod needs 1000"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void placeRefusesAndLeavesTheStateUnchanged(Refusal c) {
        ClusterView before = ClusterView.of(c.given);

        Throwable thrown = catchThrowable(() -> c.given.place(c.podId, c.pod, c.nodeIndex, c.devices));

        assertThat(thrown).isInstanceOf(IllegalStateException.class).hasMessage(c.wantMessage);
        assertThat(ClusterView.of(c.given)).isEqualTo(before);
    }

    @Test
    void removingAPodThatIsNotPlacedChangesNothing() {
        ClusterState state = cluster(N1).place("p", pod().gpus(1).build(), "n1", 0).build();
        ClusterView before = ClusterView.of(state);

        assertThat(state.remove("q")).isEmpty();
        assertThat(ClusterView.of(state)).isEqualTo(before);
    }

    @Test
    void allocatedGpuMillisFollowsPlacesAndRemoves() {
        ClusterState state = cluster(N1, N2).build();
        assertThat(state.totalGpuMillis()).isEqualTo(6000);

        state.place("whole", pod().gpus(2).build(), 0, devices(0, 1));
        state.place("share", pod().gpus(1, 300).build(), 1, devices(1));
        state.place("cpu", pod().cpu(1000).build(), 1, 0);
        assertThat(state.allocatedGpuMillis()).isEqualTo(2300);

        state.remove("whole");
        assertThat(state.allocatedGpuMillis()).isEqualTo(300);
        state.remove("share");
        assertThat(state.allocatedGpuMillis()).isZero();
        assertThat(state.totalGpuMillis()).isEqualTo(6000);
    }

    @Test
    void everyChangeBumpsTheVersionOfThatNodeOnly() {
        ClusterState state = cluster(N1, N2).build();
        assertThat(List.of(state.node(0).version(), state.node(1).version())).isEqualTo(List.of(0L, 0L));

        state.place("a", pod().cpu(100).build(), 0, 0);
        assertThat(List.of(state.node(0).version(), state.node(1).version())).isEqualTo(List.of(1L, 0L));

        state.place("b", pod().gpus(1).build(), 1, devices(0));
        state.remove("a");
        assertThat(List.of(state.node(0).version(), state.node(1).version())).isEqualTo(List.of(2L, 1L));

        assertThat(catchThrowable(() -> state.place("c", pod().cpu(99_000).build(), 0, 0))).isNotNull();
        assertThat(List.of(state.node(0).version(), state.node(1).version())).isEqualTo(List.of(2L, 1L));
    }

    /** Pods by GPU kind on one node, and the number of distinct kinds. */
    record Kinds(int shared, int one, int two, int distinct) {
        static Kinds of(NodeState n) {
            return new Kinds(n.podsOfGpuKind(NodeState.KIND_SHARED), n.podsOfGpuKind(1), n.podsOfGpuKind(2),
                    n.gpuKindCount());
        }
    }

    @Test
    void countsPodsByGpuKindAsTheyComeAndGo() {
        ClusterState state = cluster(N1).build();
        NodeState n = state.node(0);

        state.place("cpu", pod().cpu(100).build(), 0, 0);
        assertThat(Kinds.of(n)).isEqualTo(new Kinds(0, 0, 0, 0));

        state.place("s1", pod().gpus(1, 300).build(), 0, devices(0));
        state.place("s2", pod().gpus(1, 300).build(), 0, devices(0));
        state.place("w2", pod().gpus(2).build(), 0, devices(1, 2));
        assertThat(Kinds.of(n)).isEqualTo(new Kinds(2, 0, 1, 2));

        state.remove("s1");
        assertThat(Kinds.of(n)).isEqualTo(new Kinds(1, 0, 1, 2));

        state.remove("s2");
        assertThat(Kinds.of(n)).isEqualTo(new Kinds(0, 0, 1, 1));

        state.place("w1", pod().gpus(1).build(), 0, devices(3));
        state.remove("w2");
        assertThat(Kinds.of(n)).isEqualTo(new Kinds(0, 1, 0, 1));
    }

    @Test
    void aCopyIsIndependentOfItsOriginal() {
        ClusterState original = cluster(N1, N2).place("p", pod().gpus(1, 500).build(), "n1", 0).build();
        ClusterView before = ClusterView.of(original);

        ClusterState copy = original.copy();
        copy.place("q", pod().gpus(2).build(), 1, devices(0, 1));
        copy.remove("p");

        assertThat(ClusterView.of(original)).isEqualTo(before);
        assertThat(copy.placement("p")).isEmpty();
        assertThat(copy.allocatedGpuMillis()).isEqualTo(2000);
    }

    @Test
    void findsNodesByNameAndRejectsDuplicateNames() {
        ClusterState state = cluster(N1, N2).build();

        assertThat(state.node("n2").map(NodeState::index)).contains(1);
        assertThat(state.node("n3")).isEmpty();
        assertThat(state.nodeNames()).isEqualTo(List.of("n1", "n2"));
        assertThat(catchThrowable(() -> new ClusterState(List.of(N1, N1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("duplicate node name: n1");
    }

    @Test
    void listsPlacementsInTheOrderTheyWereMade() {
        ClusterState state = cluster(N1)
                .place("b", pod().cpu(1).build(), "n1")
                .place("a", pod().cpu(1).build(), "n1")
                .place("c", pod().cpu(1).build(), "n1")
                .build();
        state.remove("a");

        assertThat(state.placements()).extracting(Placement::podId).containsExactly("b", "c");
    }

    private static List<Integer> kinds(int kind, int count) {
        List<Integer> out = new ArrayList<>();
        for (int k = 0; k <= Node.MAX_GPUS; k++) {
            out.add(k == kind ? count : 0);
        }
        return out;
    }
}
