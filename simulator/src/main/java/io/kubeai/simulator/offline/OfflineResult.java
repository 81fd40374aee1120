package io.kubeai.simulator.offline;

import io.kubeai.core.cluster.ClusterState;
import java.time.Duration;

/**
 * The offline packing of one workload: every figure about what was placed is measured on
 * {@link #cluster()}, the {@link ClusterState} the packing was replayed into (which checks every
 * capacity), never read off the solver's model.
 *
 * @param workload the workload's name
 * @param seed the FGD protocol seed (shuffle and tuning), or 0 for a hand-given pod list
 * @param inflate the tuning target, as a share of cluster GPUs (1.3 = 130 %)
 * @param clusterGpuMillis every GPU device of the cluster, in milli-GPU
 * @param requestedGpuMillis what all the pods ask for together, in milli-GPU
 * @param allocatedGpuMillis milli-GPU held by placed pods in {@link #cluster()}
 * @param allocationPercent {@code allocatedGpuMillis / clusterGpuMillis × 100}
 * @param greedyAllocationPercent the same for the construction heuristic alone (also replayed
 *     into a cluster), to show what the local search added; when CPU-only pods are included and
 *     the greedy left some out, the local search may trade GPU for them, so this can be higher
 * @param podsTotal pods given (GPU and CPU-only)
 * @param podsPlaced pods placed in {@link #cluster()}
 * @param gpuPodsTotal pods asking for GPU
 * @param gpuPodsPlaced of those, placed
 * @param cpuOnlyPodsIncluded whether CPU-only pods were part of the packing (else they were left
 *     out and hold nothing)
 * @param bestScore the solver's best score, {@code hard/medium/soft}: hard 0 is feasible in the
 *     model, medium counts CPU-only pods placed, soft counts milli-GPU placed
 * @param solveTime construction heuristic plus local search (solver set-up included)
 * @param totalTime wall time of the whole call, building and verification included
 * @param verified whether the cluster accepted every pod the solver assigned, so that the
 *     allocation is the solver's own, not less
 * @param droppedInVerification assigned pods the cluster refused (0 when {@link #verified()})
 * @param addedInRepair pods the repair pass placed after the replay, into room left over
 * @param cluster the cluster holding the placement
 */
public record OfflineResult(
        String workload,
        long seed,
        double inflate,
        long clusterGpuMillis,
        long requestedGpuMillis,
        long allocatedGpuMillis,
        double allocationPercent,
        double greedyAllocationPercent,
        int podsTotal,
        int podsPlaced,
        int gpuPodsTotal,
        int gpuPodsPlaced,
        boolean cpuOnlyPodsIncluded,
        String bestScore,
        Duration solveTime,
        Duration totalTime,
        boolean verified,
        int droppedInVerification,
        int addedInRepair,
        ClusterState cluster) {

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT,
                "offline %s seed %d inflate %.2f: GPU allocation %.2f%% (greedy %.2f%%), %d/%d pods "
                        + "(%d/%d GPU pods), CPU-only pods %s, score %s, solved in %.1fs (%.1fs total), "
                        + "%s, %d dropped, %d added in repair",
                workload, seed, inflate, allocationPercent, greedyAllocationPercent, podsPlaced, podsTotal,
                gpuPodsPlaced, gpuPodsTotal, cpuOnlyPodsIncluded ? "included" : "left out", bestScore,
                solveTime.toMillis() / 1000.0, totalTime.toMillis() / 1000.0,
                verified ? "verified" : "NOT fully verified", droppedInVerification, addedInRepair);
    }
}
