package io.kubeai.core.cpu;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The CPUs of one machine: sockets, NUMA nodes, physical cores and their hardware threads
 * (logical CPUs, by the kernel's ids). Each CPU belongs to one core, each core to one NUMA node,
 * each NUMA node to one socket. Immutable; lookups are O(1), sets are precomputed.
 *
 * <p>Built from a uniform description ({@link #uniform}) or CPU by CPU ({@link #builder()}) for
 * machines that are not uniform (hybrid cores, a NUMA node with fewer cores).
 */
public final class CpuTopology {
    private final CpuSet all;
    private final int[] coreOf;
    private final int[] numaOf;
    private final int[] socketOfNuma;
    private final Map<Integer, CpuSet> cpusByCore;
    private final Map<Integer, CpuSet> cpusByNuma;
    private final Map<Integer, CpuSet> cpusBySocket;
    private final Map<Integer, int[]> coresByNuma;
    private final Map<Integer, int[]> numaBySocket;
    private final int[] numaIds;
    private final int[] socketIds;
    private final int threadsPerCore;

    private CpuTopology(Builder b) {
        BitSet allBits = new BitSet();
        int maxCpu = b.cpus.isEmpty() ? -1 : b.cpus.lastKey();
        coreOf = new int[maxCpu + 1];
        numaOf = new int[maxCpu + 1];
        Arrays.fill(coreOf, -1);
        Arrays.fill(numaOf, -1);
        Map<Integer, BitSet> byCore = new TreeMap<>();
        Map<Integer, BitSet> byNuma = new TreeMap<>();
        Map<Integer, BitSet> bySocket = new TreeMap<>();
        Map<Integer, java.util.TreeSet<Integer>> coresInNuma = new TreeMap<>();
        Map<Integer, java.util.TreeSet<Integer>> numaInSocket = new TreeMap<>();
        int maxNuma = -1;
        for (Map.Entry<Integer, int[]> e : b.cpus.entrySet()) {
            int cpu = e.getKey();
            int core = e.getValue()[0];
            int numa = e.getValue()[1];
            int socket = e.getValue()[2];
            allBits.set(cpu);
            coreOf[cpu] = core;
            numaOf[cpu] = numa;
            maxNuma = Math.max(maxNuma, numa);
            byCore.computeIfAbsent(core, k -> new BitSet()).set(cpu);
            byNuma.computeIfAbsent(numa, k -> new BitSet()).set(cpu);
            bySocket.computeIfAbsent(socket, k -> new BitSet()).set(cpu);
            coresInNuma.computeIfAbsent(numa, k -> new java.util.TreeSet<>()).add(core);
            numaInSocket.computeIfAbsent(socket, k -> new java.util.TreeSet<>()).add(numa);
        }
        socketOfNuma = new int[maxNuma + 1];
        Arrays.fill(socketOfNuma, -1);
        numaInSocket.forEach((s, ns) -> ns.forEach(n -> socketOfNuma[n] = s));
        all = CpuSet.of(allBits);
        cpusByCore = freeze(byCore);
        cpusByNuma = freeze(byNuma);
        cpusBySocket = freeze(bySocket);
        Map<Integer, int[]> cbn = new TreeMap<>();
        coresInNuma.forEach((n, cs) -> cbn.put(n, cs.stream().mapToInt(Integer::intValue).toArray()));
        coresByNuma = java.util.Collections.unmodifiableMap(cbn);
        Map<Integer, int[]> nbs = new TreeMap<>();
        numaInSocket.forEach((s, ns) -> nbs.put(s, ns.stream().mapToInt(Integer::intValue).toArray()));
        numaBySocket = java.util.Collections.unmodifiableMap(nbs);
        numaIds = byNuma.keySet().stream().mapToInt(Integer::intValue).toArray();
        socketIds = bySocket.keySet().stream().mapToInt(Integer::intValue).toArray();
        threadsPerCore = cpusByCore.values().stream().mapToInt(CpuSet::size).max().orElse(0);
    }

    private static Map<Integer, CpuSet> freeze(Map<Integer, BitSet> m) {
        Map<Integer, CpuSet> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, CpuSet.of(v)));
        return java.util.Collections.unmodifiableMap(out);
    }

    /**
     * A uniform machine: {@code sockets} × {@code numaPerSocket} NUMA nodes × {@code coresPerNuma}
     * cores × {@code threadsPerCore} threads. NUMA nodes and cores are numbered in socket order;
     * CPU ids follow {@code numbering}. {@code uniform(2, 2, 4, 2, SPREAD)} is 32 CPUs with NUMA
     * node 0 = {@code 0-3,16-19}.
     */
    public static CpuTopology uniform(int sockets, int numaPerSocket, int coresPerNuma, int threadsPerCore,
            SiblingNumbering numbering) {
        if (sockets < 1 || numaPerSocket < 1 || coresPerNuma < 1 || threadsPerCore < 1) {
            throw new IllegalArgumentException("every count must be at least 1: sockets=" + sockets + " numa="
                    + numaPerSocket + " cores=" + coresPerNuma + " threads=" + threadsPerCore);
        }
        long cpus = (long) sockets * numaPerSocket * coresPerNuma * threadsPerCore;
        if (cpus > CpuSet.MAX_CPU_ID + 1) {
            throw new IllegalArgumentException(cpus + " CPUs is more than " + (CpuSet.MAX_CPU_ID + 1));
        }
        int cores = sockets * numaPerSocket * coresPerNuma;
        Builder b = builder();
        int core = 0;
        int numa = 0;
        for (int s = 0; s < sockets; s++) {
            for (int n = 0; n < numaPerSocket; n++, numa++) {
                for (int c = 0; c < coresPerNuma; c++, core++) {
                    for (int t = 0; t < threadsPerCore; t++) {
                        int id = numbering == SiblingNumbering.SPREAD ? t * cores + core : core * threadsPerCore + t;
                        b.cpu(id, core, numa, s);
                    }
                }
            }
        }
        return b.build();
    }

    /**
     * NUMA nodes of possibly different sizes, in socket order: {@code cpusPerNuma[i]} logical
     * CPUs in NUMA node {@code i} of socket {@code socketOfNuma[i]}, as whole cores of
     * {@code threadsPerCore} threads. Cores are numbered across the machine in NUMA order, CPU ids
     * by {@code numbering} over all cores.
     *
     * @throws IllegalArgumentException if a NUMA node's CPUs are not a whole number of cores
     */
    public static CpuTopology ofNumaNodes(int[] cpusPerNuma, int[] socketOfNuma, int threadsPerCore,
            SiblingNumbering numbering) {
        if (cpusPerNuma.length == 0 || cpusPerNuma.length != socketOfNuma.length || threadsPerCore < 1) {
            throw new IllegalArgumentException("need one socket per NUMA node and threadsPerCore >= 1");
        }
        int cores = 0;
        for (int i = 0; i < cpusPerNuma.length; i++) {
            if (cpusPerNuma[i] < threadsPerCore || cpusPerNuma[i] % threadsPerCore != 0) {
                throw new IllegalArgumentException("NUMA node " + i + " has " + cpusPerNuma[i]
                        + " CPUs, not a whole number of cores of " + threadsPerCore + " threads");
            }
            cores += cpusPerNuma[i] / threadsPerCore;
        }
        if ((long) cores * threadsPerCore > CpuSet.MAX_CPU_ID + 1) {
            throw new IllegalArgumentException("more than " + (CpuSet.MAX_CPU_ID + 1) + " CPUs");
        }
        Builder b = builder();
        int core = 0;
        for (int n = 0; n < cpusPerNuma.length; n++) {
            for (int c = 0; c < cpusPerNuma[n] / threadsPerCore; c++, core++) {
                for (int t = 0; t < threadsPerCore; t++) {
                    int id = numbering == SiblingNumbering.SPREAD ? t * cores + core : core * threadsPerCore + t;
                    b.cpu(id, core, n, socketOfNuma[n]);
                }
            }
        }
        return b.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Adds CPUs one by one; {@link #build()} checks that cores and NUMA nodes nest. */
    public static final class Builder {
        private final TreeMap<Integer, int[]> cpus = new TreeMap<>();

        private Builder() {
        }

        public Builder cpu(int cpu, int core, int numa, int socket) {
            if (cpu < 0 || cpu > CpuSet.MAX_CPU_ID || core < 0 || numa < 0 || socket < 0) {
                throw new IllegalArgumentException("bad CPU " + cpu + " (core " + core + ", NUMA " + numa
                        + ", socket " + socket + ")");
            }
            if (cpus.putIfAbsent(cpu, new int[] {core, numa, socket}) != null) {
                throw new IllegalArgumentException("CPU " + cpu + " given twice");
            }
            return this;
        }

        /**
         * @throws IllegalArgumentException if a core spans NUMA nodes or a NUMA node spans sockets
         */
        public CpuTopology build() {
            Map<Integer, Integer> numaOfCore = new TreeMap<>();
            Map<Integer, Integer> socketOfNuma = new TreeMap<>();
            cpus.forEach((cpu, v) -> {
                Integer n = numaOfCore.putIfAbsent(v[0], v[1]);
                if (n != null && n != v[1]) {
                    throw new IllegalArgumentException("core " + v[0] + " is in NUMA nodes " + n + " and " + v[1]);
                }
                Integer s = socketOfNuma.putIfAbsent(v[1], v[2]);
                if (s != null && s != v[2]) {
                    throw new IllegalArgumentException("NUMA node " + v[1] + " is in sockets " + s + " and " + v[2]);
                }
            });
            return new CpuTopology(this);
        }
    }

    /** Every logical CPU. */
    public CpuSet cpus() {
        return all;
    }

    public int cpuCount() {
        return all.size();
    }

    public int coreCount() {
        return cpusByCore.size();
    }

    /** The most threads any core has: 2 with SMT on most servers, 1 without. */
    public int threadsPerCore() {
        return threadsPerCore;
    }

    /** NUMA node ids, ascending. */
    public int[] numaNodes() {
        return numaIds.clone();
    }

    public int numaCount() {
        return numaIds.length;
    }

    /** Socket ids, ascending. */
    public int[] sockets() {
        return socketIds.clone();
    }

    public int socketCount() {
        return socketIds.length;
    }

    /** The core of a CPU; -1 when the machine has no such CPU. */
    public int coreOf(int cpu) {
        return cpu >= 0 && cpu < coreOf.length ? coreOf[cpu] : -1;
    }

    /** The NUMA node of a CPU; -1 when the machine has no such CPU. */
    public int numaOf(int cpu) {
        return cpu >= 0 && cpu < numaOf.length ? numaOf[cpu] : -1;
    }

    public int socketOfNuma(int numa) {
        return numa >= 0 && numa < socketOfNuma.length ? socketOfNuma[numa] : -1;
    }

    /** The hardware threads of a core (the CPU and its SMT siblings). */
    public CpuSet cpusInCore(int core) {
        return cpusByCore.getOrDefault(core, CpuSet.EMPTY);
    }

    public CpuSet cpusInNuma(int numa) {
        return cpusByNuma.getOrDefault(numa, CpuSet.EMPTY);
    }

    public CpuSet cpusInSocket(int socket) {
        return cpusBySocket.getOrDefault(socket, CpuSet.EMPTY);
    }

    /** Core ids of a NUMA node, ascending. */
    public int[] coresInNuma(int numa) {
        int[] c = coresByNuma.get(numa);
        return c == null ? new int[0] : c.clone();
    }

    /** NUMA node ids of a socket, ascending. */
    public int[] numaNodesInSocket(int socket) {
        int[] n = numaBySocket.get(socket);
        return n == null ? new int[0] : n.clone();
    }

    /** The NUMA nodes {@code cpus} touch, ascending. */
    public List<Integer> numaNodesOf(CpuSet cpus) {
        List<Integer> out = new ArrayList<>();
        for (int n : numaIds) {
            if (cpusInNuma(n).intersects(cpus)) {
                out.add(n);
            }
        }
        return out;
    }

    /** The cores in {@code cpus} whose every thread is in {@code cpus}, ascending. */
    public int[] wholeCoresIn(CpuSet cpus) {
        return cpusByCore.entrySet().stream().filter(e -> cpus.containsAll(e.getValue()))
                .mapToInt(Map.Entry::getKey).toArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CpuTopology t && all.equals(t.all) && Arrays.equals(coreOf, t.coreOf)
                && Arrays.equals(numaOf, t.numaOf) && Arrays.equals(socketOfNuma, t.socketOfNuma);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(coreOf) + Arrays.hashCode(numaOf);
    }

    /** {@code 2 sockets, 4 NUMA nodes, 16 cores, 32 CPUs}. */
    @Override
    public String toString() {
        return socketCount() + " socket" + (socketCount() == 1 ? "" : "s") + ", " + numaCount() + " NUMA node"
                + (numaCount() == 1 ? "" : "s") + ", " + coreCount() + " cores, " + cpuCount() + " CPUs";
    }
}
