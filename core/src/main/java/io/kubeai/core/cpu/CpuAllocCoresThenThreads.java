package io.kubeai.core.cpu;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;

/**
 * Whole physical cores while the request needs at least a core's worth, then single threads,
 * taken from the cores with the fewest free threads first so that partly used cores are filled
 * and whole ones stay whole: kubelet's static policy without {@code full-pcpus-only}. Ties by
 * core id, then CPU id. O(CPUs of the NUMA node × log).
 */
public record CpuAllocCoresThenThreads() implements CpuAllocPolicy {
    public static final String NAME = "CoresThenThreads";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CpuSet take(CpuTopology topology, int numa, CpuSet candidates, int cpus) {
        BitSet out = new BitSet();
        int left = cpus;
        // 1. Whole free cores, while a whole core is still needed.
        for (int core : topology.coresInNuma(numa)) {
            CpuSet threads = topology.cpusInCore(core);
            if (threads.size() <= left && candidates.containsAll(threads)) {
                threads.stream().forEach(out::set);
                left -= threads.size();
            }
        }
        if (left == 0) {
            return CpuSet.of(out);
        }
        // 2. Single threads, filling the most used cores first.
        record Core(int id, int[] free) {
        }
        CpuSet rest = candidates.minus(CpuSet.of(out));
        List<Core> cores = new ArrayList<>();
        for (int core : topology.coresInNuma(numa)) {
            int[] free = topology.cpusInCore(core).intersect(rest).toArray();
            if (free.length > 0) {
                cores.add(new Core(core, free));
            }
        }
        cores.sort(Comparator.comparingInt((Core c) -> c.free().length).thenComparingInt(Core::id));
        for (Core c : cores) {
            for (int cpu : c.free()) {
                if (left == 0) {
                    return CpuSet.of(out);
                }
                out.set(cpu);
                left--;
            }
        }
        return CpuSet.of(out);
    }
}
