package io.kubeai.core.cpu;

import java.util.BitSet;

/**
 * Whole physical cores only: every core a pod touches is its own with all its SMT siblings, as
 * kubelet's static policy gives with {@code full-pcpus-only=true}. A request that is not a
 * multiple of the threads per core can never be met (kubelet answers {@code SMTAlignmentError}).
 * Inside a NUMA node, free whole cores are taken lowest id first. O(cores of the NUMA node).
 */
public record CpuAllocFullPhysicalCores() implements CpuAllocPolicy {
    public static final String NAME = "FullPhysicalCores";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String shapeProblem(CpuTopology topology, int cpus) {
        int threads = topology.threadsPerCore();
        if (threads > 1 && cpus % threads != 0) {
            return cpus + " CPUs is not a whole number of physical cores of " + threads
                    + " threads (request a multiple of " + threads + ")";
        }
        return null;
    }

    @Override
    public int capacity(CpuTopology topology, int numa, CpuSet candidates) {
        int n = 0;
        for (int core : topology.coresInNuma(numa)) {
            CpuSet threads = topology.cpusInCore(core);
            if (candidates.containsAll(threads)) {
                n += threads.size();
            }
        }
        return n;
    }

    @Override
    public CpuSet take(CpuTopology topology, int numa, CpuSet candidates, int cpus) {
        BitSet out = new BitSet();
        int left = cpus;
        for (int core : topology.coresInNuma(numa)) {
            CpuSet threads = topology.cpusInCore(core);
            // A core is taken whole, with all its siblings, or not at all.
            if (threads.size() <= left && candidates.containsAll(threads)) {
                threads.stream().forEach(out::set);
                left -= threads.size();
            }
            if (left == 0) {
                break;
            }
        }
        return CpuSet.of(out);
    }

    @Override
    public String unit() {
        return "in whole physical cores";
    }
}
