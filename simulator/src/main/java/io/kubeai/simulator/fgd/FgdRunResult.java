package io.kubeai.simulator.fgd;

/**
 * One run of the FGD protocol: a workload, a policy and a seed, with the curves of GPU
 * allocation, fragmented GPU and fragmentation rate by arrived load 0..130 %.
 */
public record FgdRunResult(
        String workload,
        String policy,
        long seed,
        double[] allocationPercent,
        double[] fragmentationPercent,
        double[] fragmentationRatePercent,
        int podsArrived,
        int podsPlaced,
        long elapsedNanos) {

    public int podsUnplaced() {
        return podsArrived - podsPlaced;
    }
}
