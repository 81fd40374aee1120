package io.kubeai.simulator.fgd;

/**
 * The FGD artifact's metric: after every arriving pod, the cluster's GPU allocation and
 * fragmentation, averaged over the pods whose arrived GPU request rounds to the same percentage
 * of cluster GPUs (0..130 %). A percentage no pod rounds to takes the pods within ±1 point.
 * O(1) per pod, O(buckets) to read.
 */
public final class ArrivalCurve {
    public static final int MAX_PERCENT = 130;
    private static final int BUCKETS = 160;

    private final double clusterGpus;
    private final long[] count = new long[BUCKETS];
    private final double[] allocSum = new double[BUCKETS];
    private final double[] fragMilliSum = new double[BUCKETS];
    private final double[] fragRateSum = new double[BUCKETS];

    public ArrivalCurve(int clusterGpus) {
        if (clusterGpus <= 0) {
            throw new IllegalArgumentException("the FGD metric needs a cluster with GPUs");
        }
        this.clusterGpus = clusterGpus;
    }

    /** Records the state after one pod arrived (placed or not). */
    public void record(long arrivedGpuMillis, long allocatedGpuMillis, double fragmentedMillis, long idleGpuMillis) {
        double arrivedPct = arrivedGpuMillis / clusterGpus / 10;
        int bucket = (int) Math.rint(arrivedPct);
        if (bucket >= BUCKETS) {
            return;
        }
        // Each pod's allocation is kept to two decimals, as the artifact's analysis does.
        double alloc = Math.rint(allocatedGpuMillis / clusterGpus / 10 * 100) / 100;
        count[bucket]++;
        allocSum[bucket] += alloc;
        fragMilliSum[bucket] += fragmentedMillis;
        fragRateSum[bucket] += idleGpuMillis == 0 ? 0 : 100 * fragmentedMillis / idleGpuMillis;
    }

    /** Mean GPU allocation, % of cluster GPUs, at arrived percentage {@code pct}; NaN without data. */
    public double allocationPercent(int pct) {
        return round2(mean(allocSum, pct));
    }

    /** Mean fragmented GPU, % of cluster GPUs. */
    public double fragmentationPercent(int pct) {
        return round2(100 * mean(fragMilliSum, pct) / 1000 / clusterGpus);
    }

    /** Mean fragmented share of the idle GPU, %. */
    public double fragmentationRatePercent(int pct) {
        return round2(mean(fragRateSum, pct));
    }

    public double[] allocationCurve() {
        double[] out = new double[MAX_PERCENT + 1];
        for (int p = 0; p <= MAX_PERCENT; p++) {
            out[p] = allocationPercent(p);
        }
        return out;
    }

    public double[] fragmentationCurve() {
        double[] out = new double[MAX_PERCENT + 1];
        for (int p = 0; p <= MAX_PERCENT; p++) {
            out[p] = fragmentationPercent(p);
        }
        return out;
    }

    public double[] fragmentationRateCurve() {
        double[] out = new double[MAX_PERCENT + 1];
        for (int p = 0; p <= MAX_PERCENT; p++) {
            out[p] = fragmentationRatePercent(p);
        }
        return out;
    }

    private double mean(double[] sums, int pct) {
        if (count[pct] > 0) {
            return sums[pct] / count[pct];
        }
        double s = 0;
        long n = 0;
        for (int b = Math.max(0, pct - 1); b <= Math.min(BUCKETS - 1, pct + 1); b++) {
            s += sums[b];
            n += count[b];
        }
        return n == 0 ? Double.NaN : s / n;
    }

    private static double round2(double v) {
        return Double.isNaN(v) ? v : Math.rint(v * 100) / 100;
    }
}
