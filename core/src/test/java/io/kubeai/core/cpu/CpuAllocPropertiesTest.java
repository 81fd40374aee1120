package io.kubeai.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Invariants of allocating and releasing random requests with every policy on random small
 * machines (up to 2 sockets × 2 NUMA nodes × 4 cores × 2 threads, either numbering, with
 * reserved CPUs and reported NUMA free counts): no CPU is given twice, exclusive CPUs are never
 * shared, nothing reserved is given, a request that fits one NUMA node gets one NUMA node, a
 * NUMA-bound request never spans two, and under the full-cores policy every core is taken whole.
 */
class CpuAllocPropertiesTest {

    record Step(int cpus, boolean shareable, boolean numaRequired, boolean releaseOldest) {
    }

    record Scenario(CpuTopology topology, int reserved, Map<Integer, Integer> reported, CpuAllocPolicy policy,
            List<Step> steps) {
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<CpuTopology> topology = Combinators.combine(
                Arbitraries.integers().between(1, 2), Arbitraries.integers().between(1, 2),
                Arbitraries.integers().between(1, 4), Arbitraries.integers().between(1, 2),
                Arbitraries.of(SiblingNumbering.values()))
                .as(CpuTopology::uniform);
        Arbitrary<Step> step = Combinators.combine(Arbitraries.integers().between(0, 12), Arbitraries.of(true, false),
                Arbitraries.of(true, false), Arbitraries.integers().between(0, 3))
                .as((n, sh, req, rel) -> new Step(n, sh, req, rel == 0));
        Arbitrary<CpuAllocPolicy> policy = Arbitraries.of(new CpuAllocFullPhysicalCores(),
                new CpuAllocCoresThenThreads(), new CpuAllocSpreadByCores());
        return topology.flatMap(t -> Combinators.combine(
                Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(-1, 16).list().ofSize(t.numaCount()),
                policy, step.list().ofMinSize(1).ofMaxSize(30))
                .as((reserved, reports, p, steps) -> {
                    Map<Integer, Integer> reported = new HashMap<>();
                    for (int i = 0; i < reports.size(); i++) {
                        if (reports.get(i) >= 0) {
                            reported.put(t.numaNodes()[i], reports.get(i));
                        }
                    }
                    return new Scenario(t, reserved, reported.isEmpty() ? null : reported, p, steps);
                }));
    }

    @Property(tries = 400)
    void allocationsKeepEveryInvariant(@ForAll("scenarios") Scenario s) {
        CpuTopology t = s.topology();
        NodeCpuState state = new NodeCpuState(t, NodeCpuState.lowestCores(t, t.cpus(), s.reserved()));
        state.reportFree(s.reported());
        List<String> placed = new ArrayList<>();
        int id = 0;
        for (Step step : s.steps()) {
            CpuRequest r = new CpuRequest(step.cpus(), step.shareable() ? CpuExclusivity.SHAREABLE : CpuExclusivity.EXCLUSIVE,
                    step.numaRequired() ? NumaAffinity.REQUIRED : NumaAffinity.PREFERRED);
            CpuAvailability before = state.availability();
            CpuFit fit = state.allocate(r, s.policy());
            CpuSet pool = r.exclusivity() == CpuExclusivity.EXCLUSIVE ? before.free() : before.free().union(before.shared());
            if (fit.fits()) {
                assertThat(fit.cpus().size()).as("exactly the CPUs asked for").isEqualTo(r.cpus());
                assertThat(pool.containsAll(fit.cpus())).as("only available CPUs").isTrue();
                assertThat(fit.cpus().intersects(state.reserved())).as("never reserved CPUs").isFalse();
                assertThat(fit.numaNodes()).isEqualTo(t.numaNodesOf(fit.cpus()));
                if (r.numa() == NumaAffinity.REQUIRED && r.cpus() > 0) {
                    assertThat(fit.numaNodes()).as("a NUMA-bound request stays on one NUMA node").hasSize(1);
                }
                if (s.policy() instanceof CpuAllocFullPhysicalCores) {
                    fit.cpus().stream().forEach(cpu -> assertThat(fit.cpus().containsAll(t.cpusInCore(t.coreOf(cpu))))
                            .as("siblings together: core of CPU %d taken whole", cpu).isTrue());
                }
                // Assigning what the allocator chose never clashes with what is held.
                state.assign("p" + id, fit.cpus(), r.exclusivity());
                placed.add("p" + id);
                id++;
            }
            if (r.cpus() > 0 && fitsOneNuma(t, pool, r, s.policy())) {
                assertThat(fit.fits()).as("a request that fits one NUMA node fits").isTrue();
                assertThat(fit.numaNodes()).as("and gets one NUMA node").hasSize(1);
            }
            if (step.releaseOldest() && !placed.isEmpty()) {
                state.release(placed.remove(0));
            }
            checkHeld(state);
        }
    }

    /** Whether the request fits inside one NUMA node of {@code pool}, counted independently of the allocator. */
    private static boolean fitsOneNuma(CpuTopology t, CpuSet pool, CpuRequest r, CpuAllocPolicy policy) {
        if (policy.shapeProblem(t, r.cpus()) != null) {
            return false;
        }
        for (int n : t.numaNodes()) {
            int usable = 0;
            for (int core : t.coresInNuma(n)) {
                CpuSet threads = t.cpusInCore(core);
                CpuSet free = threads.intersect(pool);
                usable += policy instanceof CpuAllocFullPhysicalCores ? (free.equals(threads) ? free.size() : 0) : free.size();
            }
            if (usable >= r.cpus()) {
                return true;
            }
        }
        return false;
    }

    /** No CPU held exclusively is held by any other pod; the state's sets agree with its assignments. */
    private static void checkHeld(NodeCpuState state) {
        List<CpuAssignment> all = new ArrayList<>(state.assignments());
        CpuSet exclusive = CpuSet.EMPTY;
        for (int i = 0; i < all.size(); i++) {
            CpuAssignment a = all.get(i);
            if (a.exclusivity() == CpuExclusivity.EXCLUSIVE) {
                exclusive = exclusive.union(a.cpus());
            }
            for (int j = i + 1; j < all.size(); j++) {
                CpuAssignment b = all.get(j);
                if (a.exclusivity() == CpuExclusivity.EXCLUSIVE || b.exclusivity() == CpuExclusivity.EXCLUSIVE) {
                    assertThat(a.cpus().intersects(b.cpus())).as("%s and %s share exclusive CPUs", a, b).isFalse();
                }
            }
        }
        assertThat(state.exclusiveHeld()).isEqualTo(exclusive);
        CpuAvailability now = state.availability();
        assertThat(now.free().intersects(exclusive)).isFalse();
        assertThat(now.shared().intersects(exclusive)).isFalse();
        if (state.reportedFree() != null) {
            state.reportedFree().forEach((numa, free) -> assertThat(now.free().intersect(state.topology().cpusInNuma(numa)).size())
                    .as("never more free on NUMA node %d than it reports", numa).isLessThanOrEqualTo(Math.max(0, free)));
        }
    }
}
