package io.kubeai.core.placement;

import io.kubeai.core.cluster.ClusterState;
import io.kubeai.core.cluster.FitFailure;
import io.kubeai.core.cluster.NodeState;
import io.kubeai.core.resource.PodRequest;
import java.util.Arrays;
import java.util.HashMap;
import java.util.random.RandomGenerator;

/**
 * Places one pod: keeps the nodes it fits, scores them with a {@link PlacementPolicy}, takes
 * the highest score, breaks ties with a {@link TieBreak} (uniformly at random by default, as
 * kube-scheduler's {@code selectHost} does), then lets the policy pick the devices.
 *
 * <p>Fit and score of each (pod shape, node) pair are cached against the node's version, so a
 * pod costs O(nodes) array reads plus a policy call for each node changed since its shape was
 * last seen. Memory: one long, one long and one byte per node for each distinct pod shape.
 * Not thread-safe.
 */
public final class NodeSelector {
    private static final byte UNKNOWN = -1;
    private static final byte FITS = 0;

    private final PlacementPolicy policy;
    private final TieBreak tieBreak;
    private final HashMap<PodRequest, ShapeCache> cache = new HashMap<>();
    private ClusterState cachedFor;

    public NodeSelector(PlacementPolicy policy) {
        this(policy, TieBreak.RANDOM);
    }

    public NodeSelector(PlacementPolicy policy, TieBreak tieBreak) {
        this.policy = policy;
        this.tieBreak = policy.tieBreak(tieBreak);
    }

    public PlacementPolicy policy() {
        return policy;
    }

    /** Chooses a node and devices for {@code pod} on the current state of {@code cluster}. */
    public NodeChoice select(ClusterState cluster, PodRequest pod, RandomGenerator random) {
        if (cachedFor != cluster) {
            cache.clear();
            cachedFor = cluster;
        }
        int nodes = cluster.nodeCount();
        ShapeCache shape = cache.computeIfAbsent(pod, p -> new ShapeCache(nodes));
        boolean reuse = policy.scoresDependOnlyOnNodeAndPod();
        int chosen = -1;
        long best = Long.MIN_VALUE;
        int tied = 0;
        for (int i = 0; i < nodes; i++) {
            NodeState node = cluster.node(i);
            long score;
            if (reuse && shape.version[i] == node.version()) {
                if (shape.failure[i] != FITS) {
                    continue;
                }
                score = shape.score[i];
            } else {
                FitFailure failure = node.failure(pod);
                shape.version[i] = node.version();
                if (failure != null) {
                    shape.failure[i] = (byte) (failure.ordinal() + 1);
                    continue;
                }
                score = policy.score(node, pod);
                shape.failure[i] = FITS;
                shape.score[i] = score;
            }
            // Highest score wins; among equals, the tie-break decides.
            if (score > best) {
                best = score;
                chosen = i;
                tied = 1;
            } else if (score == best && tieBreak.replaces(i, chosen, ++tied, random)) {
                chosen = i;
            }
        }
        if (chosen < 0) {
            return new NodeChoice.NoNode(nodes, countFailures(cluster, pod, shape));
        }
        int devices = policy.selectDevices(cluster.node(chosen), pod, random);
        return new NodeChoice.Chosen(chosen, devices, best, tied);
    }

    private static int[] countFailures(ClusterState cluster, PodRequest pod, ShapeCache shape) {
        int[] counts = new int[FitFailure.values().length];
        for (int i = 0; i < cluster.nodeCount(); i++) {
            byte f = shape.failure[i];
            if (f == UNKNOWN || shape.version[i] != cluster.node(i).version()) {
                FitFailure failure = cluster.node(i).failure(pod);
                if (failure != null) {
                    counts[failure.ordinal()]++;
                }
            } else if (f != FITS) {
                counts[f - 1]++;
            }
        }
        return counts;
    }

    /** Distinct pod shapes seen since the cluster changed identity. */
    public int cachedShapes() {
        return cache.size();
    }

    private static final class ShapeCache {
        final long[] version;
        final long[] score;
        final byte[] failure;

        ShapeCache(int nodes) {
            version = new long[nodes];
            score = new long[nodes];
            failure = new byte[nodes];
            Arrays.fill(version, -1);
            Arrays.fill(failure, UNKNOWN);
        }
    }
}
