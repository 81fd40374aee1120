package io.kubeai.core.cycle;

import io.kubeai.core.cluster.ClusterState;
import io.kubeai.core.placement.NodeChoice;
import io.kubeai.core.placement.NodeSelector;
import io.kubeai.core.workload.PlannedPod;
import io.kubeai.core.workload.PodSet;
import io.kubeai.core.workload.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Plans a whole gang on a cluster: places its pods one by one with the placement policy, and
 * keeps the result only if at least {@code minMember} were placed; otherwise it takes every
 * placed pod back, so a gang never holds capacity partially. Members beyond {@code minMember}
 * are placed when they fit. O(pods × nodes) in the worst case, much less with the selector's
 * cache.
 */
public final class GangPlanner {

    /** The outcome: pods placed (and held in the cluster), or why not (and nothing held). */
    public sealed interface Outcome permits Planned, NotPlaced {
    }

    /** The pods are now placed in the cluster; {@link #discard} takes them back. */
    public record Planned(List<PlannedPod> pods) implements Outcome {
    }

    /** Only {@code placeable} members fit; {@code reason} names what stopped the next one. */
    public record NotPlaced(int placeable, int needed, String reason) implements Outcome {
    }

    private GangPlanner() {
    }

    public static Outcome plan(ClusterState cluster, Workload w, NodeSelector selector, RandomGenerator random) {
        List<PlannedPod> placed = new ArrayList<>(w.podCount());
        String firstFailure = null;
        for (PodSet set : w.podSets()) {
            for (int i = 0; i < set.count(); i++) {
                NodeChoice choice = selector.select(cluster, set.request(), random);
                if (choice instanceof NodeChoice.Chosen c) {
                    String podId = w.id() + "/" + set.name() + "-" + i;
                    cluster.place(podId, set.request(), c.nodeIndex(), c.gpuDevices());
                    placed.add(new PlannedPod(podId, set.request(), c.nodeIndex(), cluster.node(c.nodeIndex()).name(),
                            c.gpuDevices()));
                } else if (firstFailure == null) {
                    firstFailure = ((NodeChoice.NoNode) choice).reason();
                    if (placed.size() + remaining(w, set, i) < w.minMember()) {
                        // The rest cannot reach minMember: stop early.
                        break;
                    }
                }
            }
        }
        if (placed.size() >= w.minMember()) {
            return new Planned(placed);
        }
        discard(cluster, placed);
        return new NotPlaced(placed.size(), w.minMember(), firstFailure);
    }

    /** Pods of later sets plus the rest of this one after index {@code i}. */
    private static int remaining(Workload w, PodSet current, int i) {
        int n = current.count() - i - 1;
        boolean after = false;
        for (PodSet s : w.podSets()) {
            if (after) {
                n += s.count();
            }
            after |= s == current;
        }
        return n;
    }

    /** Takes back every pod of a plan. */
    public static void discard(ClusterState cluster, List<PlannedPod> pods) {
        for (PlannedPod p : pods) {
            cluster.remove(p.podId());
        }
    }
}
