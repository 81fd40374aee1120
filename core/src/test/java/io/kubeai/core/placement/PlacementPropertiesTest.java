package io.kubeai.core.placement;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeai.core.cluster.ClusterState;
import io.kubeai.core.cluster.Node;
import io.kubeai.core.cluster.NodeState;
import io.kubeai.core.cluster.Placement;
import io.kubeai.core.fragmentation.TypicalPods;
import io.kubeai.core.resource.PodRequest;
import io.kubeai.core.testing.Builders;
import io.kubeai.core.testing.PodBuilder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Invariants of placing random pods on random small clusters with every policy: no device, node
 * or extended resource is ever over-committed, what the state holds is exactly what its
 * placements add up to, every pod holds exactly its devices, cached choices equal fresh ones,
 * and a seed fixes the whole sequence of choices.
 */
class PlacementPropertiesTest {
    private static final String FPGA = "example.com/fpga";

    /** One step: a pod to place, and whether to remove the oldest placed pod afterwards. */
    record Step(PodRequest pod, boolean thenRemoveOldest) {
    }

    record Scenario(List<Node> nodes, List<Step> steps, long seed) {
        List<PodRequest> pods() {
            return steps.stream().map(Step::pod).toList();
        }
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<Node> node = Combinators.combine(
                Arbitraries.integers().between(0, 64).map(c -> c * 1000L),
                Arbitraries.integers().between(0, 256),
                Arbitraries.integers().between(0, 8),
                Arbitraries.of("G1", "G2"),
                Arbitraries.integers().between(0, 2))
                .as((cpu, memGi, gpus, model, fpga) -> Builders.node("x").cpu(cpu).memoryGi(memGi)
                        .gpus(gpus, gpus == 0 ? "" : model).extended(FPGA, fpga).build());
        Arbitrary<List<Node>> nodes = node.list().ofMinSize(1).ofMaxSize(6).map(PlacementPropertiesTest::named);

        Arbitrary<int[]> gpuAsk = Arbitraries.oneOf(
                Arbitraries.just(new int[] {0, 0}),
                Arbitraries.integers().between(1, 999).map(m -> new int[] {1, m}),
                Arbitraries.of(1, 2, 4, 8).map(n -> new int[] {n, 1000}));
        Arbitrary<PodRequest> pod = Combinators.combine(
                Arbitraries.integers().between(0, 32).map(c -> c * 500L),
                Arbitraries.integers().between(0, 64),
                gpuAsk,
                Arbitraries.of("", "G1", "G2", "G1|G2"),
                Arbitraries.integers().between(0, 1))
                .as((cpu, memGi, gpu, models, fpga) -> {
                    PodBuilder b = Builders.pod().cpu(cpu).memoryGi(memGi).gpus(gpu[0], gpu[1]).extended(FPGA, fpga);
                    return models.isEmpty() ? b.build() : b.models(models).build();
                });
        // Pods are drawn from a few shapes so that shapes repeat, as in real workloads, and the
        // selector's per-shape cache is reused across changes of the nodes.
        Arbitrary<List<PodRequest>> shapes = pod.list().ofMinSize(1).ofMaxSize(5);
        Arbitrary<int[]> picks = Combinators.combine(Arbitraries.integers().between(0, 4),
                Arbitraries.integers().between(0, 3)).as((shape, remove) -> new int[] {shape, remove});

        return Combinators.combine(nodes, shapes, picks.list().ofMinSize(1).ofMaxSize(40), Arbitraries.longs())
                .as((n, sh, pk, seed) -> new Scenario(n, steps(sh, pk), seed));
    }

    /** Step {@code i} places shape {@code picks[i][0]} (modulo the shapes) and removes the oldest pod on 0. */
    private static List<Step> steps(List<PodRequest> shapes, List<int[]> picks) {
        List<Step> out = new ArrayList<>();
        for (int[] pick : picks) {
            out.add(new Step(shapes.get(pick[0] % shapes.size()), pick[1] == 0));
        }
        return out;
    }

    private static List<Node> named(List<Node> nodes) {
        List<Node> out = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            out.add(new Node("n" + i, n.cpuMillis(), n.memoryBytes(), n.gpuCount(), n.gpuModel(), n.extended()));
        }
        return out;
    }

    @Property(tries = 150)
    void noPolicyEverOverCommitsANodeOrADevice(@ForAll("scenarios") Scenario s) {
        for (String name : PlacementPolicies.NAMES) {
            ClusterState state = new ClusterState(s.nodes);
            run(name, s, state, TieBreak.RANDOM, (pod, choice) -> {
                if (choice instanceof NodeChoice.Chosen c) {
                    assertThat(Integer.bitCount(c.gpuDevices())).as(name).isEqualTo(pod.gpuCount());
                }
                assertConsistent(name, state);
            });
        }
    }

    @Property(tries = 60)
    void theSameSeedGivesTheSameChoices(@ForAll("scenarios") Scenario s) {
        for (String name : PlacementPolicies.NAMES) {
            List<Object> first = new ArrayList<>();
            List<Object> second = new ArrayList<>();
            run(name, s, new ClusterState(s.nodes), TieBreak.RANDOM, (pod, c) -> first.add(comparable(c)));
            run(name, s, new ClusterState(s.nodes), TieBreak.RANDOM, (pod, c) -> second.add(comparable(c)));

            assertThat(second).as(name).isEqualTo(first);
        }
    }

    @Property(tries = 60)
    void cachedChoicesEqualThoseOfAFreshSelector(@ForAll("scenarios") Scenario s) {
        int[] rank = new int[s.nodes.size()];
        for (int i = 0; i < rank.length; i++) {
            rank[i] = rank.length - 1 - i;
        }
        TieBreak byRank = TieBreak.byRank(rank);
        TypicalPods typical = TypicalPods.fromWorkload(s.pods());
        for (String name : PlacementPolicies.NAMES) {
            if (name.equals(PlacementRandom.NAME)) {
                continue; // its choices are draws, not a function of the state
            }
            ClusterState state = new ClusterState(s.nodes);
            run(name, s, state, byRank, (pod, cached) -> {
                // run() has not placed this pod yet, so a fresh selector sees the same state
                NodeChoice fresh = new NodeSelector(PlacementPolicies.create(name, typical), byRank)
                        .select(state, pod, new SplittableRandom(0));
                assertThat(comparable(cached)).as(name).isEqualTo(comparable(fresh));
            });
        }
    }

    interface Observer {
        void chosen(PodRequest pod, NodeChoice choice);
    }

    /** Places every step's pod with the named policy, telling {@code observer} each choice. */
    private static void run(String name, Scenario s, ClusterState state, TieBreak tieBreak, Observer observer) {
        NodeSelector selector = new NodeSelector(
                PlacementPolicies.create(name, TypicalPods.fromWorkload(s.pods())), tieBreak);
        SplittableRandom random = new SplittableRandom(s.seed);
        ArrayDeque<String> placed = new ArrayDeque<>();
        int i = 0;
        for (Step step : s.steps) {
            String id = "p" + i++;
            NodeChoice choice = selector.select(state, step.pod, random);
            observer.chosen(step.pod, choice);
            if (choice instanceof NodeChoice.Chosen c) {
                assertThat(state.node(c.nodeIndex()).fits(step.pod)).as(name + " chose a node the pod fits").isTrue();
                state.place(id, step.pod, c.nodeIndex(), c.gpuDevices());
                placed.add(id);
            } else {
                for (NodeState n : state.nodes()) {
                    assertThat(n.fits(step.pod)).as(name + " found no node, yet " + n + " fits").isFalse();
                }
            }
            if (step.thenRemoveOldest && !placed.isEmpty()) {
                state.remove(placed.poll());
            }
        }
    }

    /** Free resources are never negative and equal capacity minus what the placements hold. */
    private static void assertConsistent(String policy, ClusterState state) {
        int n = state.nodeCount();
        long[] cpu = new long[n];
        long[] memory = new long[n];
        long[] fpga = new long[n];
        int[][] gpu = new int[n][];
        for (int i = 0; i < n; i++) {
            Node node = state.node(i).node();
            cpu[i] = node.cpuMillis();
            memory[i] = node.memoryBytes();
            fpga[i] = node.extended().get(FPGA);
            gpu[i] = new int[node.gpuCount()];
            Arrays.fill(gpu[i], PodRequest.MILLIS_PER_GPU);
        }
        long allocated = 0;
        for (Placement p : state.placements()) {
            PodRequest pod = p.request();
            int i = p.nodeIndex();
            assertThat(p.deviceIndexes()).as(policy + ": devices of " + p.podId()).hasSize(pod.gpuCount());
            cpu[i] -= pod.cpuMillis();
            memory[i] -= pod.memoryBytes();
            fpga[i] -= pod.extended().get(FPGA);
            for (int d : p.deviceIndexes()) {
                gpu[i][d] -= pod.gpuMillisPerDevice();
            }
            allocated += pod.totalGpuMillis();
        }
        for (int i = 0; i < n; i++) {
            NodeState node = state.node(i);
            int[] free = new int[node.gpuCount()];
            node.copyGpuFree(free);
            assertThat(List.of(node.cpuFreeMillis(), node.memoryFreeBytes(), node.extendedFree(FPGA)))
                    .as(policy + ": " + node)
                    .isEqualTo(List.of(cpu[i], memory[i], fpga[i]))
                    .allSatisfy(v -> assertThat(v).isNotNegative());
            assertThat(Arrays.stream(free).boxed().toList()).as(policy + ": " + node)
                    .isEqualTo(Arrays.stream(gpu[i]).boxed().toList())
                    .allSatisfy(v -> assertThat(v).isBetween(0, PodRequest.MILLIS_PER_GPU));
        }
        assertThat(state.allocatedGpuMillis()).as(policy).isEqualTo(allocated);
    }

    /** A choice as a value that compares by content (NoNode holds an array). */
    private static Object comparable(NodeChoice choice) {
        return choice instanceof NodeChoice.NoNode none ? none.reason() : choice;
    }
}
