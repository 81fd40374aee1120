package io.kubeai.core.cpu;

/**
 * How CPUs are chosen inside one NUMA node: whole physical cores only, one thread per core,
 * or whole cores then single threads. {@link CpuAllocator} decides which NUMA nodes to use and
 * asks the policy what each can give and which CPUs to take.
 *
 * <p>Implementations are stateless, named {@code CpuAlloc…}, and break every tie by the lower
 * core id, then the lower CPU id.
 */
public sealed interface CpuAllocPolicy
        permits CpuAllocFullPhysicalCores, CpuAllocSpreadByCores, CpuAllocCoresThenThreads {

    /** The name users write ({@code FullPhysicalCores}, …). */
    String name();

    /**
     * Why {@code cpus} CPUs can never be given on {@code topology} under this policy (a count
     * that is not whole cores), or null. By default any count can be given.
     */
    default String shapeProblem(CpuTopology topology, int cpus) {
        return null;
    }

    /**
     * How many of {@code candidates} in NUMA node {@code numa} this policy can give at most. By
     * default every candidate thread of the node counts.
     */
    default int capacity(CpuTopology topology, int numa, CpuSet candidates) {
        return topology.cpusInNuma(numa).intersect(candidates).size();
    }

    /**
     * Up to {@code cpus} of {@code candidates} in NUMA node {@code numa}, in this policy's order;
     * fewer only when {@link #capacity} is smaller.
     */
    CpuSet take(CpuTopology topology, int numa, CpuSet candidates, int cpus);

    /** How the free CPUs are counted in reasons: {@code "in whole physical cores"} or {@code ""}. */
    default String unit() {
        return "";
    }
}
