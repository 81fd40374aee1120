package io.kubeai.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The allocator on the hand-built machine of Koordinator's tests,
 * {@code buildCPUTopologyForTest(2, 2, 4, 2)}: 2 sockets × 2 NUMA nodes × 4 cores × 2 threads,
 * numbered as Linux numbers x86 servers (siblings 16 apart):
 *
 * <pre>
 * socket 0: NUMA 0 = cores 0-3   = CPUs 0-3,16-19    NUMA 1 = cores 4-7   = CPUs 4-7,20-23
 * socket 1: NUMA 2 = cores 8-11  = CPUs 8-11,24-27   NUMA 3 = cores 12-15 = CPUs 12-15,28-31
 * </pre>
 */
class CpuAllocatorTest {
    static final CpuTopology MACHINE = CpuTopology.uniform(2, 2, 4, 2, SiblingNumbering.SPREAD);
    static final CpuAllocPolicy FULL = new CpuAllocFullPhysicalCores();
    static final CpuAllocPolicy THEN_THREADS = new CpuAllocCoresThenThreads();
    static final CpuAllocPolicy SPREAD = new CpuAllocSpreadByCores();

    /** A named case: what is held (exclusively, shareably), the request, and the wanted fit. */
    record Case(String name, CpuTopology topology, CpuAllocPolicy policy, String taken, String shared,
            CpuRequest request, CpuFit want) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case full(String name, String taken, CpuRequest request, CpuFit want) {
        return new Case(name, MACHINE, FULL, taken, "", request, want);
    }

    static CpuFit cpus(String cpus, Integer... numa) {
        return new CpuFit(CpuSet.parse(cpus), List.of(numa), null);
    }

    static CpuRequest exclusive(int n) {
        return CpuRequest.exclusive(n, NumaAffinity.PREFERRED);
    }

    static CpuRequest numa(int n) {
        return CpuRequest.exclusive(n, NumaAffinity.REQUIRED);
    }

    static Stream<Case> cases() {
        return Stream.of(
                full("an empty machine gives whole cores of NUMA node 0", "", numa(4), cpus("0-1,16-17", 0)),
                full("a NUMA node's worth fills NUMA node 0 exactly", "", numa(8), cpus("0-3,16-19", 0)),
                full("best fit: the partly used NUMA node is filled before an empty one",
                        "4-5,20-21", numa(4), cpus("6-7,22-23", 1)),
                full("best fit: the fullest NUMA node that still holds the request",
                        "0-2,16-18,4,20", numa(4), cpus("5-6,21-22", 1)),
                full("a core with one thread taken is not used: siblings stay together",
                        "0", numa(2), cpus("1,17", 0)),
                full("an odd count is never whole cores", "", exclusive(3),
                        CpuFit.no("3 CPUs is not a whole number of physical cores of 2 threads (request a multiple of 2)")),
                full("more than a NUMA node: one socket, its NUMA nodes with the most free first",
                        "", exclusive(12), cpus("0-5,16-21", 0, 1)),
                full("more than a NUMA node with numa pinning does not fit",
                        "", numa(10), CpuFit.no("no NUMA node has 10 CPUs free in whole physical cores: the most is 8 on NUMA node 0")),
                full("the only NUMA node with room", "0-3,16-19,4-5,20-21,8-11,24-27,12,28", numa(6),
                        cpus("13-15,29-31", 3)),
                full("numa pinning names the NUMA node with the most free", "0-3,16-19,4-5,20-21,8-11,24-27,12,28",
                        numa(8), CpuFit.no("no NUMA node has 8 CPUs free in whole physical cores: the most is 6 on NUMA node 3")),
                full("the socket fallback prefers the fuller socket", "0-1,16-17", exclusive(10),
                        cpus("2,4-7,18,20-23", 0, 1)),
                full("the whole machine when no socket holds the request", "", exclusive(20),
                        cpus("0-9,16-25", 0, 1, 2)),
                full("enough CPUs but no whole core among them", "0-15", exclusive(2),
                        CpuFit.no("2 CPUs requested, 0 free in whole physical cores (16 free CPUs in all)")),
                full("the last whole cores of a nearly full machine", "0-14,16-30", numa(2), cpus("15,31", 3)),
                full("nothing asked, nothing given", "", numa(0), new CpuFit(CpuSet.EMPTY, List.of(), null)),
                new Case("cores then threads: one whole core, then a thread of the next",
                        MACHINE, THEN_THREADS, "", "", numa(3), cpus("0-1,16", 0)),
                new Case("cores then threads: a lone thread fills a partly used core",
                        MACHINE, THEN_THREADS, "0", "", numa(1), cpus("16", 0)),
                new Case("spread: one thread on each of four cores",
                        MACHINE, SPREAD, "", "", numa(4), cpus("0-3", 0)),
                new Case("spread: idle cores before the core whose sibling is taken",
                        MACHINE, SPREAD, "0", "", numa(4), cpus("1-3,16", 0)),
                new Case("shareable: joins CPUs other shareable pods hold",
                        MACHINE, FULL, "", "0-1,16-17", CpuRequest.shareable(2, NumaAffinity.PREFERRED), cpus("0,16", 0)),
                new Case("shareable: free CPUs when the shared ones are too few",
                        MACHINE, FULL, "", "0,16", CpuRequest.shareable(4, NumaAffinity.PREFERRED), cpus("0-1,16-17", 0)),
                new Case("exclusive: never CPUs that are shared",
                        MACHINE, FULL, "", "0-3,16-19", numa(2), cpus("4,20", 1)),
                new Case("adjacent numbering: siblings are consecutive ids",
                        CpuTopology.uniform(2, 2, 4, 2, SiblingNumbering.ADJACENT), FULL, "", "", numa(4), cpus("0-3", 0)),
                new Case("without SMT every count is whole cores",
                        CpuTopology.uniform(1, 2, 4, 1, SiblingNumbering.SPREAD), FULL, "0", "", numa(3), cpus("1-3", 0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void takesCpusByTopology(Case c) {
        CpuSet taken = CpuSet.parse(c.taken());
        CpuSet shared = CpuSet.parse(c.shared());
        CpuAvailability available = new CpuAvailability(c.topology().cpus().minus(taken).minus(shared), shared);
        assertThat(CpuAllocator.allocate(c.topology(), available, c.request(), c.policy())).isEqualTo(c.want());
    }
}
