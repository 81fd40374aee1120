package io.kubeai.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeCpuStateTest {
    static final CpuTopology MACHINE = CpuTopology.uniform(2, 2, 4, 2, SiblingNumbering.SPREAD);
    static final CpuAllocPolicy FULL = new CpuAllocFullPhysicalCores();

    @Test
    void reservedCpusAreNeverGiven() {
        NodeCpuState s = new NodeCpuState(MACHINE, NodeCpuState.lowestCores(MACHINE, MACHINE.cpus(), 2));
        assertThat(s.reserved()).hasToString("0,16");
        assertThat(s.allocate(CpuRequest.exclusive(2, NumaAffinity.REQUIRED), FULL).cpus()).hasToString("1,17");
        assertThatThrownBy(() -> s.assign("ml/a", CpuSet.parse("0,16"), CpuExclusivity.EXCLUSIVE))
                .hasMessage("pod ml/a: CPUs 0,16 are reserved or not on this node");
    }

    @Test
    void anExclusivePodSharesNothingAndReleaseFreesItsCpus() {
        NodeCpuState s = new NodeCpuState(MACHINE, CpuSet.EMPTY);
        CpuFit fit = s.allocate(CpuRequest.exclusive(4, NumaAffinity.REQUIRED), FULL);
        s.assign("ml/a", fit.cpus(), CpuExclusivity.EXCLUSIVE);
        assertThat(s.availability().free()).hasToString("2-15,18-31");
        assertThatThrownBy(() -> s.assign("ml/b", CpuSet.parse("1"), CpuExclusivity.SHAREABLE))
                .hasMessage("pod ml/b: CPUs 1 are already held");
        assertThatThrownBy(() -> s.assign("ml/a", CpuSet.parse("5"), CpuExclusivity.EXCLUSIVE))
                .hasMessage("pod ml/a already holds CPUs 0-1,16-17");
        s.assign("ml/c", CpuSet.parse("2,18"), CpuExclusivity.SHAREABLE);
        s.assign("ml/d", CpuSet.parse("2,18"), CpuExclusivity.SHAREABLE);
        assertThat(s.availability()).isEqualTo(new CpuAvailability(CpuSet.parse("3-15,19-31"), CpuSet.parse("2,18")));
        assertThat(s.release("ml/a")).map(CpuAssignment::cpus).contains(CpuSet.parse("0-1,16-17"));
        assertThat(s.release("ml/a")).isEmpty();
        s.release("ml/c");
        assertThat(s.availability().shared()).hasToString("2,18");
        s.release("ml/d");
        assertThat(s.availability().free()).isEqualTo(MACHINE.cpus());
    }

    @Test
    void observedAssignmentsAreFactsEvenWhenTheyOverlap() {
        NodeCpuState s = new NodeCpuState(MACHINE, CpuSet.EMPTY);
        s.assignObserved("ml/a", CpuSet.parse("0-1,16-17"), CpuExclusivity.EXCLUSIVE);
        s.assignObserved("ml/b", CpuSet.parse("1,17,200"), CpuExclusivity.EXCLUSIVE);
        assertThat(s.assignment("ml/b")).map(CpuAssignment::cpus).contains(CpuSet.parse("1,17"));
        s.release("ml/a");
        assertThat(s.exclusiveHeld()).hasToString("1,17");
    }

    @Test
    void aNumaNodeReportingFewerFreeCpusHoldsTheDifferenceFromItsHighestCores() {
        NodeCpuState s = new NodeCpuState(MACHINE, CpuSet.EMPTY);
        s.assign("ml/a", CpuSet.parse("0,16"), CpuExclusivity.EXCLUSIVE);
        // NUMA 0 has 6 free by our count, the node says 2: someone else holds 4 of them.
        s.reportFree(Map.of(0, 2, 1, 8, 2, 3));
        assertThat(s.unaccounted()).hasToString("2-3,10-11,18-19,25-27");
        assertThat(s.availability().free().intersect(MACHINE.cpusInNuma(0))).hasToString("1,17");
        assertThat(s.availability().free().intersect(MACHINE.cpusInNuma(2))).hasToString("8-9,24");
        // A report that is more generous than our count changes nothing.
        s.reportFree(Map.of(0, 8));
        assertThat(s.unaccounted()).isEqualTo(CpuSet.EMPTY);
        s.reportFree(null);
        assertThat(s.reportedFree()).isNull();
    }

    @Test
    void idleAvailabilityTellsWhetherARequestCanEverFit() {
        NodeCpuState s = new NodeCpuState(MACHINE, NodeCpuState.lowestCores(MACHINE, MACHINE.cpus(), 2));
        CpuFit never = CpuAllocator.allocate(MACHINE, s.availabilityWhenIdle(), CpuRequest.exclusive(8, NumaAffinity.REQUIRED), FULL);
        assertThat(never.fits()).isTrue();
        assertThat(never.numaNodes()).isEqualTo(List.of(1));
        CpuFit nine = CpuAllocator.allocate(MACHINE, s.availabilityWhenIdle(), CpuRequest.exclusive(10, NumaAffinity.REQUIRED), FULL);
        assertThat(nine.reason()).isEqualTo("no NUMA node has 10 CPUs free in whole physical cores: the most is 8 on NUMA node 1");
    }

    @Test
    void copiesAreIndependentAndTheClusterStateIsKeyedByNode() {
        ClusterCpuState c = new ClusterCpuState();
        c.put("n1", new NodeCpuState(MACHINE, CpuSet.EMPTY));
        c.node("n1").orElseThrow().assign("ml/a", CpuSet.parse("0,16"), CpuExclusivity.EXCLUSIVE);
        ClusterCpuState copy = c.copy();
        copy.node("n1").orElseThrow().release("ml/a");
        assertThat(c.nodeOf("ml/a")).contains("n1");
        assertThat(copy.nodeOf("ml/a")).isEmpty();
        assertThat(c.nodeNames()).containsExactly("n1");
        assertThat(c.remove("n1")).isPresent();
        assertThat(c.node("n1")).isEmpty();
    }

    @Test
    void theNumaScorePrefersOneNumaNodeThenTheTighterFit() {
        NodeCpuState empty = new NodeCpuState(MACHINE, CpuSet.EMPTY);
        NodeCpuState half = new NodeCpuState(MACHINE, CpuSet.EMPTY);
        half.assign("ml/x", CpuSet.parse("0-1,16-17"), CpuExclusivity.EXCLUSIVE);
        CpuRequest four = CpuRequest.exclusive(4, NumaAffinity.PREFERRED);
        CpuRequest twelve = CpuRequest.exclusive(12, NumaAffinity.PREFERRED);
        assertThat(score(empty, four)).isEqualTo(750);   // 4 of 8 left in NUMA 0
        assertThat(score(half, four)).isEqualTo(1000);   // NUMA 0 filled exactly
        assertThat(score(empty, twelve)).isEqualTo(438); // two NUMA nodes, 4 of 16 left
        NodeCpuState full = new NodeCpuState(MACHINE, CpuSet.EMPTY);
        full.assign("ml/all", MACHINE.cpus(), CpuExclusivity.EXCLUSIVE);
        assertThat(score(full, four)).isZero();
        assertThat(score(empty, CpuRequest.exclusive(0, NumaAffinity.REQUIRED))).isEqualTo(CpuNumaScore.MAX);
    }

    private static long score(NodeCpuState s, CpuRequest r) {
        return CpuNumaScore.score(MACHINE, s.availability(), r, s.allocate(r, FULL), FULL);
    }

    @Test
    void pinningModesAndPoliciesByTheirNames() {
        assertThat(CpuPinningMode.parse(null)).isEqualTo(CpuPinningMode.NONE);
        assertThat(CpuPinningMode.parse(" NUMA ")).isEqualTo(CpuPinningMode.NUMA);
        assertThat(CpuPinningMode.EXCLUSIVE.request(4)).isEqualTo(CpuRequest.exclusive(4, NumaAffinity.PREFERRED));
        assertThatThrownBy(() -> CpuPinningMode.parse("dedicated"))
                .hasMessage("\"dedicated\" is not one of none, exclusive, numa");
        assertThat(CpuAllocPolicies.create("spreadbycores")).isEqualTo(new CpuAllocSpreadByCores());
        assertThat(CpuAllocPolicies.DEFAULT.name()).isEqualTo("FullPhysicalCores");
        assertThatThrownBy(() -> CpuAllocPolicies.create("Best"))
                .hasMessage("unknown CPU allocation policy \"Best\"; expected one of FullPhysicalCores, CoresThenThreads, SpreadByCores");
    }
}
