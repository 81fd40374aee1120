package io.kubeai.core.placement;

import io.kubeai.core.cluster.ClusterState;
import io.kubeai.core.resource.PodRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Where a pod went, as a test reads it: the node's name and the device indexes it got, plus the
 * policy's score of every node in index order ({@code null} where the pod does not fit).
 */
record Outcome(String node, List<Integer> devices, List<Long> scores) {
    static final String NONE = "none";

    /** Selects with the lowest node index winning ties, so every outcome is one value. */
    static Outcome select(PlacementPolicy policy, ClusterState state, PodRequest pod) {
        int[] rank = new int[state.nodeCount()];
        for (int i = 0; i < rank.length; i++) {
            rank[i] = i;
        }
        NodeChoice choice = new NodeSelector(policy, TieBreak.byRank(rank))
                .select(state, pod, new SplittableRandom(1));
        return of(state, choice, scores(policy, state, pod));
    }

    static Outcome of(ClusterState state, NodeChoice choice, List<Long> scores) {
        if (choice instanceof NodeChoice.Chosen c) {
            List<Integer> devices = new ArrayList<>();
            for (int d = 0; d < Integer.SIZE; d++) {
                if ((c.gpuDevices() & (1 << d)) != 0) {
                    devices.add(d);
                }
            }
            return new Outcome(state.node(c.nodeIndex()).name(), devices, scores);
        }
        return new Outcome(NONE, List.of(), scores);
    }

    static List<Long> scores(PlacementPolicy policy, ClusterState state, PodRequest pod) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < state.nodeCount(); i++) {
            out.add(state.node(i).fits(pod) ? policy.score(state.node(i), pod) : null);
        }
        return out;
    }

    static Outcome want(String node, List<Integer> devices, Long... scores) {
        return new Outcome(node, devices, Arrays.asList(scores));
    }
}
