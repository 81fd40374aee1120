package io.kubeai.simulator.fgd;

import io.kubeai.core.cluster.ClusterState;
import io.kubeai.core.cluster.NodeState;
import io.kubeai.core.fragmentation.FragmentationMeasure;
import io.kubeai.core.placement.NodeChoice;
import io.kubeai.core.placement.NodeSelector;
import io.kubeai.core.placement.PlacementFgd;
import io.kubeai.core.placement.PlacementPolicies;
import io.kubeai.core.placement.PlacementPolicy;
import io.kubeai.core.placement.TieBreak;
import io.kubeai.core.resource.PodRequest;
import io.kubeai.simulator.trace.TracePod;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One run of the FGD paper's protocol (the authors' {@code kubernetes-scheduler-simulator},
 * "tune 1.3"), steppable one pod at a time:
 *
 * <ol>
 *   <li>the pods, sorted by name, are shuffled with the seed;
 *   <li>the workload is tuned to {@code inflate × cluster GPUs}: copies of pods drawn at random
 *       (with replacement) are appended until the next draw would pass the target (the
 *       artifact compares the draw's per-device milli-GPU, and so do we), or random pods are
 *       removed while the total is above it;
 *   <li>pods are placed one at a time and never leave; one that fits nowhere stays unplaced;
 *       among nodes with the top score the one of lowest rank in a seeded random permutation
 *       wins, as in the artifact's patched kube-scheduler;
 *   <li>after every pod, allocation and fragmentation are recorded against the arrived load.
 * </ol>
 *
 * <p>The same seed drives the shuffle, the tuning and every random tie-break, so a run is a pure
 * function of (workload, policy, seed, inflate).
 */
public final class FgdReplay {
    private final FgdWorkload workload;
    private final PlacementPolicy policy;
    private final long seed;
    private final SplittableRandom random;
    private final List<TracePod> arrivals;
    private final ClusterState cluster;
    private final NodeSelector selector;
    private final FragmentationMeasure measure;
    private final double[] nodeFrag;
    private final ArrivalCurve curve;
    private double clusterFrag;
    private long arrivedGpuMillis;
    private int next;
    private int placed;
    private long elapsedNanos;

    /** One step: the pod, where it went (or why it did not), and the cluster after it. */
    public record Step(TracePod pod, NodeChoice choice, long arrivedGpuMillis, long allocatedGpuMillis,
            double fragmentedMillis) {
    }

    public FgdReplay(FgdWorkload workload, String policyName, long seed, double inflate) {
        this.workload = workload;
        this.seed = seed;
        this.random = new SplittableRandom(seed);
        this.measure = new FragmentationMeasure(workload.typicalPods());
        String name = PlacementPolicies.canonicalName(policyName);
        // FGD and the metric measure fragmentation the same way: share one memo.
        this.policy = name.equals(PlacementFgd.NAME)
                ? new PlacementFgd(measure)
                : PlacementPolicies.create(name, workload.typicalPods());
        this.arrivals = arrivalOrder(workload, inflate, random);
        this.cluster = new ClusterState(workload.nodes());
        // The artifact's scheduler gives ties to the smallest node name, and names carry a
        // seeded permutation prefix: a fixed random rank per run.
        this.selector = new NodeSelector(policy, TieBreak.shuffled(cluster.nodeCount(), random));
        this.nodeFrag = new double[cluster.nodeCount()];
        for (int i = 0; i < nodeFrag.length; i++) {
            nodeFrag[i] = measure.fragmentedMillis(cluster.node(i));
            clusterFrag += nodeFrag[i];
        }
        this.curve = new ArrivalCurve(workload.clusterGpus());
    }

    /**
     * The pods a run with this seed places, in arrival order: the shuffled workload, tuned to
     * {@code inflate × cluster GPUs}. The same list {@link #arrivals()} of a replay with the
     * same seed holds.
     */
    public static List<TracePod> arrivals(FgdWorkload workload, long seed, double inflate) {
        return arrivalOrder(workload, inflate, new SplittableRandom(seed));
    }

    static List<TracePod> arrivalOrder(FgdWorkload workload, double inflate, SplittableRandom random) {
        List<TracePod> base = workload.pods();
        List<TracePod> order = new ArrayList<>(base);
        Collections.shuffle(order, new java.util.Random(random.nextLong()));
        if (inflate <= 0) {
            return order;
        }
        long total = workload.requestedGpuMillis();
        if (total == 0) {
            throw new IllegalArgumentException("workload " + workload.name()
                    + " requests no GPU, so it cannot be tuned to a share of cluster GPUs");
        }
        double target = inflate * workload.clusterGpus() * PodRequest.MILLIS_PER_GPU;
        if (total < target) {
            for (int i = 0; ; i++) {
                TracePod p = base.get(random.nextInt(base.size()));
                if (total + p.request().gpuMillisPerDevice() > target) {
                    break;
                }
                order.add(new TracePod(p.name() + "-tuned-" + i, p.request()));
                total += p.request().totalGpuMillis();
            }
        } else {
            while (total > target) {
                TracePod removed = order.remove(random.nextInt(order.size()));
                total -= removed.request().totalGpuMillis();
            }
        }
        return order;
    }

    public boolean hasNext() {
        return next < arrivals.size();
    }

    /** Places the next pod and records the cluster after it. */
    public Step step() {
        long start = System.nanoTime();
        TracePod pod = arrivals.get(next++);
        arrivedGpuMillis += pod.request().totalGpuMillis();
        NodeChoice choice = selector.select(cluster, pod.request(), random);
        if (choice instanceof NodeChoice.Chosen c) {
            cluster.place(pod.name(), pod.request(), c.nodeIndex(), c.gpuDevices());
            placed++;
            NodeState node = cluster.node(c.nodeIndex());
            double updated = measure.fragmentedMillis(node);
            clusterFrag += updated - nodeFrag[c.nodeIndex()];
            nodeFrag[c.nodeIndex()] = updated;
        }
        long allocated = cluster.allocatedGpuMillis();
        curve.record(arrivedGpuMillis, allocated, clusterFrag, cluster.totalGpuMillis() - allocated);
        elapsedNanos += System.nanoTime() - start;
        return new Step(pod, choice, arrivedGpuMillis, allocated, clusterFrag);
    }

    /** Runs the remaining pods and returns the curves. */
    public FgdRunResult run() {
        while (hasNext()) {
            step();
        }
        return result();
    }

    public FgdRunResult result() {
        return new FgdRunResult(workload.name(), policy.name(), seed, curve.allocationCurve(),
                curve.fragmentationCurve(), curve.fragmentationRateCurve(), next, placed, elapsedNanos);
    }

    public ClusterState cluster() {
        return cluster;
    }

    public List<TracePod> arrivals() {
        return Collections.unmodifiableList(arrivals);
    }

    public PlacementPolicy policy() {
        return policy;
    }
}
