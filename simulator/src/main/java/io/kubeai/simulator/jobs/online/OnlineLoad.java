package io.kubeai.simulator.jobs.online;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Online services beside the batch work: on every node, one service reserves (requests)
 * {@code reservedShare} of the node's CPU and memory and uses a part of that request that
 * follows the day: {@code troughUsage} of it at the curve's lowest, {@code peakUsage} at its
 * highest, straight in between. Each node's curve is shifted by its own offset of up to
 * ±{@code phaseJitterSeconds} (drawn from {@code seed}), so the nodes do not all peak in the same
 * second. Memory use follows CPU use. Deterministic; O(1) per question.
 *
 * @param reservedShare share of each node's CPU and memory the service requests, in [0, 1)
 * @param troughUsage share of the request used at the curve's lowest, in [0, 1]
 * @param peakUsage share of the request used at its highest, in [troughUsage, 1]
 */
public record OnlineLoad(DiurnalCurve curve, double reservedShare, double troughUsage, double peakUsage,
        long phaseJitterSeconds, long seed) {

    /**
     * Services reserving 85 % of every node (an online pool lending to training), using 15 % of that at night and 75 % at the peak:
     * the openb curve's shape, with a trough-to-peak spread of about the tens of percent that
     * published fleet studies of online services report (an assumption, stated as such).
     */
    public static OnlineLoad defaults() {
        return new OnlineLoad(DiurnalCurve.openbOnline(), 0.85, 0.15, 0.75, 1800, 7);
    }

    public OnlineLoad {
        Objects.requireNonNull(curve, "curve");
        if (!(reservedShare >= 0 && reservedShare < 1)) {
            throw new IllegalArgumentException("reservedShare must be within [0, 1), was " + reservedShare);
        }
        if (!(troughUsage >= 0 && troughUsage <= peakUsage && peakUsage <= 1)) {
            throw new IllegalArgumentException("usage must satisfy 0 ≤ troughUsage ≤ peakUsage ≤ 1, was " + troughUsage
                    + " and " + peakUsage);
        }
        if (phaseJitterSeconds < 0) {
            throw new IllegalArgumentException("phaseJitterSeconds must not be negative, was " + phaseJitterSeconds);
        }
    }

    public OnlineLoad withReservedShare(double share) {
        return new OnlineLoad(curve, share, troughUsage, peakUsage, phaseJitterSeconds, seed);
    }

    public OnlineLoad withUsage(double trough, double peak) {
        return new OnlineLoad(curve, reservedShare, trough, peak, phaseJitterSeconds, seed);
    }

    /** The offset of node {@code nodeIndex}'s curve, in seconds. */
    public long phaseOffset(int nodeIndex) {
        if (phaseJitterSeconds == 0) {
            return 0;
        }
        SplittableRandom r = new SplittableRandom(seed * 1_000_003L + nodeIndex);
        return r.nextLong(-phaseJitterSeconds, phaseJitterSeconds + 1);
    }

    /** The share of its request the service on node {@code nodeIndex} uses at {@code seconds}. */
    public double usageShare(int nodeIndex, long seconds) {
        return troughUsage + (peakUsage - troughUsage) * curve.at(seconds + phaseOffset(nodeIndex));
    }

    /** What the service on a node of {@code capacity} requests. */
    public long reserved(long capacity) {
        return (long) Math.floor(capacity * reservedShare);
    }

    /** What it uses at {@code seconds}: never more than it requests. */
    public long used(int nodeIndex, long capacity, long seconds) {
        long request = reserved(capacity);
        return Math.min(request, Math.round(request * usageShare(nodeIndex, seconds)));
    }
}
