package io.kubeai.core.cpu;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Chooses the CPUs for a request on one node: a pure function of the node's topology, what is
 * available, the request and the policy, after Koordinator's {@code takeCPUs} and kubelet's
 * {@code takeByTopology}. The NUMA stages, in order:
 *
 * <ol>
 *   <li>one NUMA node, the fullest that still holds the request (best fit, so that emptier
 *       NUMA nodes stay whole for larger pods);
 *   <li>a request that must stay on one NUMA node stops here;
 *   <li>one socket, the fullest that holds it, using its NUMA nodes with the most free first;
 *   <li>the whole machine, NUMA nodes with the most free first.
 * </ol>
 *
 * Inside a NUMA node the policy picks the CPUs. Every tie goes to the lower id. Exclusive
 * requests take only free CPUs; shareable ones first try CPUs other shareable pods hold on one
 * NUMA node, then free and shared CPUs together through the stages above.
 * Cost O(CPUs × log); nothing is changed.
 */
public final class CpuAllocator {
    private CpuAllocator() {
    }

    public static CpuFit allocate(CpuTopology topology, CpuAvailability available, CpuRequest request,
            CpuAllocPolicy policy) {
        if (request.cpus() == 0) {
            return CpuFit.of(topology, CpuSet.EMPTY);
        }
        String shape = policy.shapeProblem(topology, request.cpus());
        if (shape != null) {
            return CpuFit.no(shape);
        }
        if (request.exclusivity() == CpuExclusivity.EXCLUSIVE) {
            return take(topology, available.free(), request.cpus(), request.numa(), policy);
        }
        // Shareable requests join CPUs other shareable pods hold on one NUMA node before taking
        // free ones, so that free whole cores stay whole for exclusive requests.
        CpuFit shared = take(topology, available.shared(), request.cpus(), NumaAffinity.REQUIRED, policy);
        if (shared.fits()) {
            return shared;
        }
        return take(topology, available.free().union(available.shared()), request.cpus(), request.numa(), policy);
    }

    private static CpuFit take(CpuTopology topology, CpuSet candidates, int cpus, NumaAffinity affinity,
            CpuAllocPolicy policy) {
        int[] numa = topology.numaNodes();
        int[] capacity = new int[numa.length];
        int total = 0;
        for (int i = 0; i < numa.length; i++) {
            capacity[i] = policy.capacity(topology, numa[i], candidates);
            total += capacity[i];
        }

        // 1. One NUMA node: the fullest one that still holds the request; ties by NUMA id.
        int best = -1;
        for (int i = 0; i < numa.length; i++) {
            if (capacity[i] >= cpus && (best < 0 || capacity[i] < capacity[best])) {
                best = i;
            }
        }
        if (best >= 0) {
            CpuSet got = policy.take(topology, numa[best], candidates, cpus);
            if (got.size() == cpus) {
                return CpuFit.of(topology, got);
            }
        }

        // 2. A request bound to one NUMA node fails when none holds it.
        if (affinity == NumaAffinity.REQUIRED) {
            int most = 0;
            for (int i = 1; i < numa.length; i++) {
                if (capacity[i] > capacity[most]) {
                    most = i;
                }
            }
            return CpuFit.no("no NUMA node has " + cpus + " CPUs free" + unit(policy) + ": the most is "
                    + (numa.length == 0 ? 0 : capacity[most]) + " on NUMA node " + (numa.length == 0 ? "-" : numa[most]));
        }
        if (total < cpus) {
            return CpuFit.no(cpus + " CPUs requested, " + total + " free" + unit(policy) + " ("
                    + candidates.intersect(topology.cpus()).size() + " free CPUs in all)");
        }

        // 3. One socket: the fullest socket that holds the request; inside it, NUMA nodes with
        //    the most free first, so that the pod spans as few as possible.
        int bestSocket = -1;
        int bestSocketCapacity = 0;
        for (int s : topology.sockets()) {
            int c = 0;
            for (int n : topology.numaNodesInSocket(s)) {
                c += capacity[indexOf(numa, n)];
            }
            if (c >= cpus && (bestSocket < 0 || c < bestSocketCapacity)) {
                bestSocket = s;
                bestSocketCapacity = c;
            }
        }
        if (bestSocket >= 0) {
            CpuSet got = fillMostFreeFirst(topology, candidates, cpus, policy, topology.numaNodesInSocket(bestSocket),
                    numa, capacity);
            if (got.size() == cpus) {
                return CpuFit.of(topology, got);
            }
        }

        // 4. The whole machine, NUMA nodes with the most free first.
        CpuSet got = fillMostFreeFirst(topology, candidates, cpus, policy, numa, numa, capacity);
        if (got.size() == cpus) {
            return CpuFit.of(topology, got);
        }
        return CpuFit.no(cpus + " CPUs requested, only " + got.size() + " can be given" + unit(policy));
    }

    private static CpuSet fillMostFreeFirst(CpuTopology topology, CpuSet candidates, int cpus, CpuAllocPolicy policy,
            int[] nodes, int[] numa, int[] capacity) {
        List<Integer> order = new ArrayList<>();
        for (int n : nodes) {
            order.add(n);
        }
        order.sort(Comparator.comparingInt((Integer n) -> -capacity[indexOf(numa, n)]).thenComparingInt(n -> n));
        CpuSet got = CpuSet.EMPTY;
        for (int n : order) {
            int left = cpus - got.size();
            if (left == 0) {
                break;
            }
            got = got.union(policy.take(topology, n, candidates, left));
        }
        return got;
    }

    private static int indexOf(int[] sorted, int value) {
        int i = java.util.Arrays.binarySearch(sorted, value);
        if (i < 0) {
            throw new IllegalStateException("NUMA node " + value + " is not in the topology");
        }
        return i;
    }

    private static String unit(CpuAllocPolicy policy) {
        return policy.unit().isEmpty() ? "" : " " + policy.unit();
    }
}
