package io.kubeai.core.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeai.core.cluster.ClusterState;
import io.kubeai.core.cluster.Node;
import io.kubeai.core.cluster.NodeState;
import io.kubeai.core.cluster.Placement;
import io.kubeai.core.placement.NodeSelector;
import io.kubeai.core.placement.PlacementBestFit;
import io.kubeai.core.placement.PlacementGpuPacking;
import io.kubeai.core.placement.PlacementPolicy;
import io.kubeai.core.placement.PlacementRandom;
import io.kubeai.core.queue.QueueSpec;
import io.kubeai.core.queue.QueueTree;
import io.kubeai.core.queue.QueueingStrategy;
import io.kubeai.core.queue.QuotaLedger;
import io.kubeai.core.resource.PodRequest;
import io.kubeai.core.resource.ResourceLimits;
import io.kubeai.core.resource.ResourceList;
import io.kubeai.core.testing.Builders;
import io.kubeai.core.testing.PodBuilder;
import io.kubeai.core.testing.QueueBuilder;
import io.kubeai.core.workload.Admission;
import io.kubeai.core.workload.PlannedPod;
import io.kubeai.core.workload.Workload;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Random small queue trees (one to three levels), random clusters of up to four nodes, and
 * random submissions, completions and clock steps driven through {@link SchedulingCycle}, with
 * every decision applied as an adapter would: {@code Admit} is already committed, {@code Preempt}
 * evicts its victims (who queue again), {@code Expire} drops the workload. After every cycle:
 * every gang is all or nothing, no node holds more than it has, no queue holds more than its max
 * or borrows beyond its borrowing limit, the ledger adds up to what runs, and no preemptor took
 * another queue below its min. A seed fixes the whole sequence of decisions.
 */
class SchedulingCyclePropertiesTest {
    private static final long GIB = 1L << 30;

    /** A queue's genes: read by {@link #tree} into a valid spec. */
    record QueueGenes(int parent, int min, int max, int lend, int borrow, int weight, int priority, int misc) {
    }

    record WorkloadGenes(int queue, int priority, int count, int minMember, PodRequest pod, int timeout) {
    }

    record Step(List<WorkloadGenes> submit, List<Integer> complete, int advanceSeconds) {
    }

    record Scenario(List<QueueSpec> queues, List<Node> nodes, CycleConfig config, int policy, List<Step> steps,
            long seed) {
        @Override
        public String toString() {
            return "queues " + queues + "\nnodes " + nodes + "\nconfig " + config + ", policy " + policy + ", seed "
                    + seed + "\nsteps " + steps;
        }
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<Integer> gene = Arbitraries.integers().between(0, 99);
        Arbitrary<QueueGenes> queue = Combinators.combine(gene, gene, gene, gene, gene, gene, gene, gene)
                .as(QueueGenes::new);
        Arbitrary<List<QueueSpec>> queues = queue.list().ofMinSize(1).ofMaxSize(6)
                .map(SchedulingCyclePropertiesTest::tree);

        Arbitrary<Node> node = Combinators.combine(
                Arbitraries.frequency(Tuple.of(1, 0), Tuple.of(3, 2), Tuple.of(3, 4), Tuple.of(3, 8)),
                Arbitraries.integers().between(2, 8), Arbitraries.integers().between(1, 4))
                .as((gpus, eightCores, sixtyFourGi) -> Builders.node("x").cpu(eightCores * 8000L)
                        .memoryGi(sixtyFourGi * 64L).gpus(gpus, gpus == 0 ? "" : "G").build());
        Arbitrary<List<Node>> nodes = node.list().ofMinSize(1).ofMaxSize(4).map(SchedulingCyclePropertiesTest::named);

        Arbitrary<PodRequest> pod = Combinators.combine(Arbitraries.integers().between(0, 5),
                Arbitraries.integers().between(1, 8), Arbitraries.integers().between(1, 32))
                .as((gpu, cores, gi) -> {
                    PodBuilder b = Builders.pod().cpu(cores * 1000L).memoryGi(gi);
                    return switch (gpu) {
                        case 0 -> b.build();
                        case 1 -> b.gpuShare(500).build();
                        default -> b.gpus(1 << (gpu - 2)).build();
                    };
                });
        Arbitrary<WorkloadGenes> workload = Combinators.combine(gene, Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(1, 4), gene, pod, Arbitraries.integers().between(0, 4))
                .as(WorkloadGenes::new);
        Arbitrary<Step> step = Combinators.combine(workload.list().ofMaxSize(4),
                Arbitraries.integers().between(0, 9).list().ofMaxSize(1),
                Arbitraries.integers().between(0, 4).map(n -> n * 300))
                .as(Step::new);

        Arbitrary<CycleConfig> config = Combinators.combine(Arbitraries.of(0L, 600L),
                Arbitraries.integers().between(0, 9), Arbitraries.integers().between(1, 4),
                Arbitraries.integers().between(1, 3))
                .as((aging, preempt, maxVictims, maxPreemptions) ->
                        new CycleConfig(aging, 1, 5, preempt > 0, maxVictims, maxPreemptions));

        return Combinators.combine(queues, nodes, config, Arbitraries.integers().between(0, 2),
                step.list().ofMinSize(1).ofMaxSize(16), Arbitraries.longs())
                .as(Scenario::new);
    }

    /**
     * Reads genes into a valid tree: a queue's parent is an earlier queue (at most three levels);
     * a parent names its GPU min (at least its children's) or leaves it to them; a max is at
     * least the effective min, a lending limit at most it.
     */
    static List<QueueSpec> tree(List<QueueGenes> genes) {
        int n = genes.size();
        int[] parent = new int[n];
        int[] depth = new int[n];
        for (int i = 0; i < n; i++) {
            int p = genes.get(i).parent % (i + 1) - 1;
            parent[i] = p >= 0 && depth[p] < 3 ? p : -1;
            depth[i] = parent[i] < 0 ? 1 : depth[parent[i]] + 1;
        }
        long[] childGpus = new long[n];
        long[] childCpus = new long[n];
        List<QueueBuilder> builders = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            builders.add(Builders.queue("q" + i).parent(parent[i] < 0 ? null : "q" + parent[i]));
        }
        for (int i = n - 1; i >= 0; i--) { // children come after their parent
            QueueGenes g = genes.get(i);
            QueueBuilder b = builders.get(i);
            boolean leaf = !hasChild(parent, i);
            long gpus;
            long cpus = childCpus[i];
            if (leaf) {
                gpus = (g.min % 5) * 1000L;
                cpus = g.misc % 3 == 0 ? (g.misc % 17) * 1000L : 0;
                b.min(ResourceList.GPU, gpus).min(ResourceList.CPU, cpus);
            } else if (g.min % 2 == 0) {
                gpus = childGpus[i] + (g.min % 5) * 1000L;
                b.min(ResourceList.GPU, gpus);
            } else {
                gpus = childGpus[i];
            }
            if (g.max % 4 == 3) {
                b.max(ResourceList.GPU, gpus + (g.max % 9) * 1000L);
            }
            if (g.lend % 3 == 2) {
                b.lendingLimit(ResourceList.GPU, (g.lend % (gpus / 1000 + 1)) * 1000L);
            }
            if (g.borrow % 4 == 3) {
                b.borrowingLimit(ResourceList.GPU, (g.borrow % 9) * 1000L);
            }
            b.weight(1 + g.weight % 3).priority(g.priority % 3).queueing(g.misc % 4 == 1
                    ? QueueingStrategy.STRICT_FIFO : QueueingStrategy.BEST_EFFORT_FIFO);
            if (parent[i] >= 0) {
                childGpus[parent[i]] += gpus;
                childCpus[parent[i]] += cpus;
            }
        }
        return builders.stream().map(QueueBuilder::build).toList();
    }

    private static boolean hasChild(int[] parent, int q) {
        for (int p : parent) {
            if (p == q) {
                return true;
            }
        }
        return false;
    }

    private static List<Node> named(List<Node> nodes) {
        List<Node> out = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            out.add(new Node("n" + i, n.cpuMillis(), n.memoryBytes(), n.gpuCount(), n.gpuModel(), n.extended()));
        }
        return out;
    }

    @Property(tries = 300)
    void everyCycleKeepsGangsWholeNodesAndQuotasWithinBoundsAndMinsProtected(@ForAll("scenarios") Scenario s) {
        assertThat(QueueTree.validate(s.queues)).as("generated trees are valid").isEmpty();
        drive(s, new Checks(s), false);
    }

    @Property(tries = 50)
    void theSameSeedGivesTheSameDecisions(@ForAll("scenarios") Scenario s) {
        List<List<Decision>> first = new ArrayList<>();
        List<List<Decision>> second = new ArrayList<>();

        drive(s, (state, pending, result) -> first.add(result.decisions()), false);
        drive(s, (state, pending, result) -> second.add(result.decisions()), true);

        assertThat(second).isEqualTo(first);
    }

    interface Observer {
        /** Called after each cycle, before its decisions are applied. */
        void decided(SchedulingState state, List<Workload> pending, CycleResult result);

        /** Called after a victim of {@code preemptor} has been evicted. */
        default void evicted(SchedulingState state, Workload preemptor, Admission victim) {
        }

        /** Called after all decisions of a cycle have been applied. */
        default void applied(SchedulingState state) {
        }
    }

    /**
     * Runs every step: clock, submissions, completions, one cycle, its decisions applied. With
     * {@code rehearse}, each cycle is first run on a copy of the state with the same seed: it
     * must decide the same and leave the live state as it was.
     */
    static void drive(Scenario s, Observer observer, boolean rehearse) {
        ClusterState cluster = new ClusterState(s.nodes);
        QueueTree tree = QueueTree.of(s.queues);
        SchedulingState state = new SchedulingState(cluster, new QuotaLedger(tree, cluster.capacity()));
        PlacementPolicy policy = switch (s.policy) {
            case 0 -> new PlacementBestFit();
            case 1 -> new PlacementGpuPacking();
            default -> new PlacementRandom();
        };
        SchedulingCycle cycle = new SchedulingCycle(s.config, new NodeSelector(policy));
        List<String> leaves = tree.names().stream().filter(q -> tree.isLeaf(tree.indexOf(q).orElseThrow())).toList();
        LinkedHashMap<String, Workload> pending = new LinkedHashMap<>();
        long now = 0;
        int submitted = 0;
        int steps = 0;
        for (Step step : s.steps) {
            now += step.advanceSeconds;
            for (WorkloadGenes g : step.submit) {
                Workload w = workload("w" + submitted++, g, leaves, tree, now);
                pending.put(w.id(), w);
            }
            for (int pick : step.complete) {
                List<String> running = state.running().stream().map(a -> a.workload().id()).sorted().toList();
                if (!running.isEmpty()) {
                    state.evict(running.get(pick % running.size()));
                }
            }
            List<Workload> queued = List.copyOf(pending.values());
            long seed = s.seed + 7919L * steps++;
            CycleResult result;
            if (rehearse) {
                List<String> before = describe(state);
                CycleResult onCopy = cycle.run(state.copy(), queued, now, new SplittableRandom(seed));
                assertThat(describe(state)).as("deciding on a copy leaves the state alone").isEqualTo(before);
                result = cycle.run(state, queued, now, new SplittableRandom(seed));
                assertThat(result.decisions()).as("a copy decides as the state does").isEqualTo(onCopy.decisions());
            } else {
                result = cycle.run(state, queued, now, new SplittableRandom(seed));
            }
            observer.decided(state, queued, result);
            apply(state, result, pending, observer);
        }
    }

    /** What an adapter does with the decisions: evict victims (they queue again), drop the admitted and expired. */
    private static void apply(SchedulingState state, CycleResult result, Map<String, Workload> pending,
            Observer observer) {
        for (Decision d : result.decisions()) {
            if (d instanceof Decision.Admit || d instanceof Decision.Expire) {
                pending.remove(d.workload().id());
            } else if (d instanceof Decision.Preempt p) {
                for (Decision.Victim v : p.victims()) {
                    Admission a = state.evict(v.workloadId()).orElseThrow();
                    observer.evicted(state, p.workload(), a);
                    pending.put(a.workload().id(), a.workload());
                }
            }
        }
        observer.applied(state);
    }

    /** Running workloads with their charge and pods, every queue's usage: the state, compared as text. */
    private static List<String> describe(SchedulingState state) {
        List<String> out = new ArrayList<>();
        for (Admission a : state.running()) {
            out.add(a.workload().id() + " " + a.charged() + " " + a.pods());
        }
        for (Placement p : state.cluster().placements()) {
            out.add(p.toString());
        }
        QueueTree tree = state.quota().tree();
        for (int q = 0; q < tree.size(); q++) {
            out.add(tree.name(q) + " " + state.quota().usage(q) + " " + state.quota().borrowed(q));
        }
        return out;
    }

    private static Workload workload(String id, WorkloadGenes g, List<String> leaves, QueueTree tree, long now) {
        String queue = switch (g.queue % 50) {
            case 49 -> "nope";
            case 48 -> tree.name(g.queue % tree.size());
            default -> leaves.get(g.queue % leaves.size());
        };
        int minMember = g.minMember % 2 == 0 ? g.count : 1 + g.minMember % g.count;
        return Builders.workload(id).queue(queue).priority(g.priority).createdAt(now)
                .timeout(g.timeout == 4 ? 600 : 0).pods(g.count, g.pod).minMember(minMember).build();
    }

    /** The invariants, checked as the scenario runs. */
    static final class Checks implements Observer {
        private final Scenario scenario;

        Checks(Scenario scenario) {
            this.scenario = scenario;
        }

        @Override
        public void decided(SchedulingState state, List<Workload> pending, CycleResult result) {
            // One decision for each pending workload that was not already running.
            List<String> decided = result.decisions().stream().map(d -> d.workload().id()).sorted().toList();
            assertThat(decided).as("one decision each").doesNotHaveDuplicates();
            Set<String> victims = new HashSet<>();
            Set<String> admitted = new HashSet<>();
            int preemptors = 0;
            for (Decision d : result.decisions()) {
                if (d instanceof Decision.Admit a) {
                    assertThat(a.pods().size()).as("gang " + a.workload() + " placed whole")
                            .isGreaterThanOrEqualTo(a.workload().minMember())
                            .isLessThanOrEqualTo(a.workload().podCount());
                    admitted.add(a.workload().id());
                } else if (d instanceof Decision.Preempt p) {
                    preemptors++;
                    assertThat(p.victims()).as("victims of " + p.workload().id()).isNotEmpty()
                            .hasSizeLessThanOrEqualTo(scenario.config.maxVictims());
                    for (Decision.Victim v : p.victims()) {
                        assertThat(victims.add(v.workloadId())).as(v.workloadId() + " chosen twice").isTrue();
                        Admission a = state.admission(v.workloadId()).orElseThrow(
                                () -> new AssertionError("victim " + v.workloadId() + " is not running"));
                        if (a.workload().queue().equals(p.workload().queue())) {
                            assertThat(a.workload().priority()).as("same-queue victim " + v.workloadId())
                                    .isLessThan(p.workload().priority());
                        }
                    }
                }
            }
            Set<String> admittedVictims = new HashSet<>(victims);
            admittedVictims.retainAll(admitted);
            assertThat(admittedVictims).as("victims admitted in the same cycle").isEmpty();
            assertThat(preemptors).isLessThanOrEqualTo(scenario.config.maxPreemptionsPerCycle());
            if (!scenario.config.preemption()) {
                assertThat(preemptors).isZero();
            }
            checkQueueing(state.quota().tree(), result);
            for (Workload w : pending) {
                if (!admittedBefore(state, w, admitted)) {
                    assertThat(decided).as("a decision for " + w.id()).contains(w.id());
                }
            }
            checkState(state);
        }

        /**
         * In a strict-FIFO queue everything after the first workload that is not admitted is
         * blocked behind it; nothing is ever blocked in a best-effort queue.
         */
        private static void checkQueueing(QueueTree tree, CycleResult result) {
            Map<String, Boolean> headWaits = new HashMap<>();
            for (Decision d : result.decisions()) {
                String queue = d.workload().queue();
                if (d instanceof Decision.Expire || tree.indexOf(queue).isEmpty()
                        || !tree.isLeaf(tree.indexOf(queue).orElseThrow())) {
                    continue; // decided before the queues are ordered
                }
                boolean strict = tree.spec(tree.indexOf(queue).orElseThrow()).queueing()
                        == QueueingStrategy.STRICT_FIFO;
                boolean blocked = d instanceof Decision.Wait w && w.why() == Decision.WaitReason.BLOCKED_BEHIND_HEAD;
                boolean waits = headWaits.getOrDefault(queue, false);
                assertThat(blocked).as(d.workload().id() + " in " + (strict ? "strict" : "best-effort") + " queue "
                        + queue + " blocked").isEqualTo(strict && waits);
                headWaits.put(queue, waits || !(d instanceof Decision.Admit));
            }
        }

        private static boolean admittedBefore(SchedulingState state, Workload w, Set<String> admitted) {
            return state.admission(w.id()).isPresent() && !admitted.contains(w.id());
        }

        @Override
        public void evicted(SchedulingState state, Workload preemptor, Admission victim) {
            QueueTree tree = state.quota().tree();
            int leaf = tree.indexOf(preemptor.queue()).orElseThrow();
            Set<Integer> shared = new HashSet<>();
            for (int q : tree.path(leaf)) {
                shared.add(q);
            }
            // Another queue's preemptor never takes a queue below its min in what the victim held.
            for (int q : tree.path(victim.queueIndex())) {
                if (shared.contains(q)) {
                    break;
                }
                ResourceList usage = state.quota().usage(q);
                ResourceList min = tree.effectiveMin(q);
                for (String r : victim.charged().names()) {
                    assertThat(usage.get(r)).as("queue %s's %s after %s left for %s", tree.name(q), r,
                            victim.workload().id(), preemptor.id()).isGreaterThanOrEqualTo(min.get(r));
                }
            }
        }

        @Override
        public void applied(SchedulingState state) {
            checkState(state);
        }

        /** Gangs whole, nodes within capacity, queues within max and borrowing limits, books that add up. */
        private static void checkState(SchedulingState state) {
            ClusterState cluster = state.cluster();
            Map<String, PlannedPod> planned = new HashMap<>();
            QueueTree tree = state.quota().tree();
            ResourceList[] charged = new ResourceList[tree.size()];
            Arrays.fill(charged, ResourceList.EMPTY);
            for (Admission a : state.running()) {
                assertThat(a.pods().size()).as("gang " + a.workload() + " whole")
                        .isGreaterThanOrEqualTo(a.workload().minMember());
                for (PlannedPod p : a.pods()) {
                    planned.put(p.podId(), p);
                }
                for (int q : tree.path(a.queueIndex())) {
                    charged[q] = charged[q].plus(a.charged());
                }
            }
            // Every placed pod belongs to a running admission, where it was planned.
            assertThat(cluster.podCount()).isEqualTo(planned.size());
            for (Placement p : cluster.placements()) {
                PlannedPod pp = planned.get(p.podId());
                assertThat(pp).as("pod " + p.podId() + " belongs to a running workload").isNotNull();
                assertThat(List.of(p.nodeIndex(), p.gpuDevices())).isEqualTo(List.of(pp.nodeIndex(), pp.gpuDevices()));
            }
            for (NodeState n : cluster.nodes()) {
                int[] free = new int[n.gpuCount()];
                n.copyGpuFree(free);
                assertThat(n.cpuFreeMillis()).as(n.name() + " cpu").isNotNegative();
                assertThat(n.memoryFreeBytes()).as(n.name() + " memory").isNotNegative();
                for (int f : free) {
                    assertThat(f).as(n.name() + " GPU").isBetween(0, PodRequest.MILLIS_PER_GPU);
                }
            }
            for (int q = 0; q < tree.size(); q++) {
                QueueSpec spec = tree.spec(q);
                ResourceList usage = state.quota().usage(q);
                assertThat(usage).as("queue " + spec.name() + " adds up").isEqualTo(charged[q]);
                assertWithin(spec.name() + " max", usage, spec.max());
                assertWithin(spec.name() + " borrowing limit", state.quota().borrowed(q), spec.borrowingLimit());
            }
        }

        private static void assertWithin(String what, ResourceList held, ResourceLimits limits) {
            for (String r : limits.names()) {
                assertThat(held.get(r)).as(what + " in " + r).isLessThanOrEqualTo(limits.limit(r));
            }
        }
    }
}
