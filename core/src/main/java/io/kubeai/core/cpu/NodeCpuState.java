package io.kubeai.core.cpu;

import java.util.BitSet;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Which CPUs of one node are taken, and by which pod: the node's {@link CpuTopology}, the CPUs
 * kubelet keeps for itself and the system ({@code reserved}), the pods' assignments, and,
 * where the node reports it (NodeResourceTopology's {@code available}), how many CPUs each NUMA
 * node really has free.
 *
 * <p>Kept apart from {@code ClusterState}/{@code NodeState}, keyed by node name in
 * {@link ClusterCpuState}: only nodes whose topology is known have one, only pinned pods hold
 * CPUs here, and a pinned pod's CPU count is charged to {@code NodeState} as for any pod.
 *
 * <p>When a NUMA node reports fewer free CPUs than the assignments leave, the difference is held
 * by pods this state does not know (pinned by kubelet without our cpuset, or placed by kubelet
 * on another NUMA node than planned): that many CPUs of the NUMA node are counted as taken, whole
 * cores of the highest ids first, so that the allocator, which starts from the lowest, keeps
 * choosing the same CPUs. Not thread-safe; {@link #copy()} gives an independent one.
 */
public final class NodeCpuState {
    private final CpuTopology topology;
    private final CpuSet reserved;
    private final LinkedHashMap<String, CpuAssignment> assignments;
    private Map<Integer, Integer> reportedFree;
    private CpuSet exclusiveHeld = CpuSet.EMPTY;
    private CpuSet sharedHeld = CpuSet.EMPTY;
    private long version;

    public NodeCpuState(CpuTopology topology, CpuSet reserved) {
        this.topology = topology;
        this.reserved = reserved.intersect(topology.cpus());
        this.assignments = new LinkedHashMap<>();
    }

    private NodeCpuState(NodeCpuState o) {
        this.topology = o.topology;
        this.reserved = o.reserved;
        this.assignments = new LinkedHashMap<>(o.assignments);
        this.reportedFree = o.reportedFree;
        this.exclusiveHeld = o.exclusiveHeld;
        this.sharedHeld = o.sharedHeld;
        this.version = o.version;
    }

    public NodeCpuState copy() {
        return new NodeCpuState(this);
    }

    public CpuTopology topology() {
        return topology;
    }

    /** CPUs kubelet keeps for itself and the system; never given to a pod. */
    public CpuSet reserved() {
        return reserved;
    }

    /** Every CPU but the reserved ones. */
    public CpuSet allocatable() {
        return topology.cpus().minus(reserved);
    }

    /** Changes with every assignment, release or report. */
    public long version() {
        return version;
    }

    public Collection<CpuAssignment> assignments() {
        return Collections.unmodifiableCollection(assignments.values());
    }

    public Optional<CpuAssignment> assignment(String podId) {
        return Optional.ofNullable(assignments.get(podId));
    }

    /** CPUs held by exclusive pods. */
    public CpuSet exclusiveHeld() {
        return exclusiveHeld;
    }

    /**
     * What the node reports free per NUMA node (NUMA id to CPUs), or null to trust the
     * assignments alone.
     */
    public void reportFree(Map<Integer, Integer> freeByNuma) {
        this.reportedFree = freeByNuma == null ? null : Collections.unmodifiableMap(new TreeMap<>(freeByNuma));
        version++;
    }

    public Map<Integer, Integer> reportedFree() {
        return reportedFree;
    }

    /** What a new pod may take now. O(CPUs). */
    public CpuAvailability availability() {
        CpuSet free = allocatable().minus(exclusiveHeld).minus(sharedHeld);
        free = free.minus(unaccounted(free));
        CpuSet shared = sharedHeld.minus(exclusiveHeld).minus(reserved);
        return new CpuAvailability(free, shared);
    }

    /** What a new pod could take if no pod held any CPU: whether it can ever fit here. */
    public CpuAvailability availabilityWhenIdle() {
        return CpuAvailability.allFree(allocatable());
    }

    /** The CPUs a request would get now; changes nothing. */
    public CpuFit allocate(CpuRequest request, CpuAllocPolicy policy) {
        return CpuAllocator.allocate(topology, availability(), request, policy);
    }

    /** CPUs counted as held by pods the assignments do not show (see the class comment). */
    public CpuSet unaccounted() {
        return unaccounted(allocatable().minus(exclusiveHeld).minus(sharedHeld));
    }

    private CpuSet unaccounted(CpuSet free) {
        if (reportedFree == null) {
            return CpuSet.EMPTY;
        }
        BitSet out = new BitSet();
        for (Map.Entry<Integer, Integer> e : reportedFree.entrySet()) {
            CpuSet inNuma = free.intersect(topology.cpusInNuma(e.getKey()));
            int missing = inNuma.size() - Math.max(0, e.getValue());
            int[] cores = topology.coresInNuma(e.getKey());
            // Whole free cores from the highest id down, then single threads.
            for (int i = cores.length - 1; i >= 0 && missing > 0; i--) {
                CpuSet threads = topology.cpusInCore(cores[i]);
                if (threads.size() <= missing && inNuma.containsAll(threads)) {
                    threads.stream().forEach(out::set);
                    missing -= threads.size();
                }
            }
            int[] rest = inNuma.minus(CpuSet.of(out)).toArray();
            for (int i = rest.length - 1; i >= 0 && missing > 0; i--, missing--) {
                out.set(rest[i]);
            }
        }
        return CpuSet.of(out);
    }

    /**
     * Gives {@code cpus} to a pod.
     *
     * @throws IllegalStateException if the pod already holds CPUs here, a CPU is not
     *     allocatable, or the CPUs are held in a way the exclusivity forbids (an exclusive pod
     *     shares nothing; a shareable pod shares nothing with an exclusive one); the state is
     *     unchanged
     */
    public CpuAssignment assign(String podId, CpuSet cpus, CpuExclusivity exclusivity) {
        if (assignments.containsKey(podId)) {
            throw new IllegalStateException("pod " + podId + " already holds CPUs " + assignments.get(podId).cpus());
        }
        if (!allocatable().containsAll(cpus)) {
            throw new IllegalStateException("pod " + podId + ": CPUs " + cpus.minus(allocatable())
                    + " are reserved or not on this node");
        }
        CpuSet clash = exclusivity == CpuExclusivity.EXCLUSIVE ? cpus.intersect(exclusiveHeld.union(sharedHeld))
                : cpus.intersect(exclusiveHeld);
        if (!clash.isEmpty()) {
            throw new IllegalStateException("pod " + podId + ": CPUs " + clash + " are already held");
        }
        return put(new CpuAssignment(podId, cpus, exclusivity));
    }

    /**
     * Records CPUs a pod is known to hold (read back from the cluster), without checks: what
     * the API server reports is a fact. CPUs the node does not have are dropped.
     *
     * @throws IllegalStateException if the pod already holds CPUs here
     */
    public CpuAssignment assignObserved(String podId, CpuSet cpus, CpuExclusivity exclusivity) {
        if (assignments.containsKey(podId)) {
            throw new IllegalStateException("pod " + podId + " already holds CPUs " + assignments.get(podId).cpus());
        }
        return put(new CpuAssignment(podId, cpus.intersect(topology.cpus()), exclusivity));
    }

    private CpuAssignment put(CpuAssignment a) {
        assignments.put(a.podId(), a);
        if (a.exclusivity() == CpuExclusivity.EXCLUSIVE) {
            exclusiveHeld = exclusiveHeld.union(a.cpus());
        } else {
            sharedHeld = sharedHeld.union(a.cpus());
        }
        version++;
        return a;
    }

    /** Frees what a pod holds; empty when it holds nothing here. O(pods × CPUs / 64). */
    public Optional<CpuAssignment> release(String podId) {
        CpuAssignment a = assignments.remove(podId);
        if (a == null) {
            return Optional.empty();
        }
        CpuSet ex = CpuSet.EMPTY;
        CpuSet sh = CpuSet.EMPTY;
        for (CpuAssignment other : assignments.values()) {
            if (other.exclusivity() == CpuExclusivity.EXCLUSIVE) {
                ex = ex.union(other.cpus());
            } else {
                sh = sh.union(other.cpus());
            }
        }
        exclusiveHeld = ex;
        sharedHeld = sh;
        version++;
        return Optional.of(a);
    }

    /**
     * The lowest {@code cpus} CPUs of {@code among}, as whole cores first, then threads: where
     * kubelet puts its reserved CPUs when only their number is known.
     */
    public static CpuSet lowestCores(CpuTopology topology, CpuSet among, int cpus) {
        BitSet out = new BitSet();
        int left = cpus;
        for (int n : topology.numaNodes()) {
            for (int core : topology.coresInNuma(n)) {
                CpuSet threads = topology.cpusInCore(core).intersect(among);
                if (left > 0 && threads.size() <= left) {
                    threads.stream().forEach(out::set);
                    left -= threads.size();
                } else if (left > 0) {
                    int[] t = threads.toArray();
                    for (int i = 0; i < left; i++) {
                        out.set(t[i]);
                    }
                    left = 0;
                }
            }
        }
        return CpuSet.of(out);
    }

    @Override
    public String toString() {
        return topology + ", reserved " + reserved + ", " + assignments.size() + " pods, free "
                + availability().free();
    }
}
