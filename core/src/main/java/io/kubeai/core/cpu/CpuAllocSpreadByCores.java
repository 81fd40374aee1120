package io.kubeai.core.cpu;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;

/**
 * One thread per physical core before any second thread, so that a pod's threads do not
 * compete for the same core's execution units (Koordinator's {@code SpreadByPCPUs}). Cores
 * with every thread free come first, then partly used ones; ties by core id. The siblings left
 * over stay free for other pods. O(CPUs of the NUMA node × log).
 */
public record CpuAllocSpreadByCores() implements CpuAllocPolicy {
    public static final String NAME = "SpreadByCores";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CpuSet take(CpuTopology topology, int numa, CpuSet candidates, int cpus) {
        record Core(int id, int[] free, boolean idle) {
        }
        List<Core> cores = new ArrayList<>();
        int rounds = 0;
        for (int c : topology.coresInNuma(numa)) {
            CpuSet threads = topology.cpusInCore(c);
            int[] free = threads.intersect(candidates).toArray();
            if (free.length > 0) {
                cores.add(new Core(c, free, free.length == threads.size()));
                rounds = Math.max(rounds, free.length);
            }
        }
        // Idle cores first: a thread there has its core to itself.
        cores.sort(Comparator.comparing((Core c) -> !c.idle()).thenComparingInt(Core::id));
        BitSet out = new BitSet();
        int left = cpus;
        for (int r = 0; r < rounds && left > 0; r++) {
            for (Core c : cores) {
                if (left == 0) {
                    break;
                }
                if (r < c.free().length) {
                    out.set(c.free()[r]);
                    left--;
                }
            }
        }
        return CpuSet.of(out);
    }
}
