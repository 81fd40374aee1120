package io.kubeai.benchmarks;

import io.kubeai.core.cluster.ClusterState;
import io.kubeai.core.placement.NodeChoice;
import io.kubeai.core.placement.NodeSelector;
import io.kubeai.core.placement.PlacementPolicy;
import io.kubeai.core.placement.TieBreak;
import io.kubeai.core.resource.PodRequest;
import io.kubeai.simulator.fgd.FgdReplay;
import io.kubeai.simulator.fgd.FgdWorkload;
import io.kubeai.simulator.trace.OpenbTrace;
import io.kubeai.simulator.trace.TracePod;
import io.kubeai.simulator.trace.TraceSource;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The cost of one placement decision per policy on the bundled openb cluster (1,213 GPU nodes),
 * with the cluster about half full.
 *
 * <p>Setup (once per trial, i.e. per policy and variant): load the bundled workload, build the
 * FGD protocol's seeded arrival sequence ({@code new FgdReplay(workload, policy, 42, 1.3)}) and
 * {@link FgdReplay#step() step} through the first half of it, so the cluster carries what the
 * policy itself placed. The replay's {@link ClusterState} and policy instance (for FGD, with its
 * warmed fragmentation memo) are kept; the next {@value #POOL} arrivals, which were not placed,
 * are the pods the decisions are made for, taken round-robin.
 *
 * <ul>
 *   <li>{@link #coldDecision}: a fresh {@link NodeSelector} per decision, so no fit or score is
 *       reused: every node is filtered and every fitting node scored. The pod is not placed, so
 *       the state never drifts.
 *   <li>{@link #warmDecision}: one long-lived {@link NodeSelector}, as in the simulator. Each
 *       invocation selects for the next pod, places it on the chosen node and removes it again:
 *       exactly one node changes per decision, and the selector re-scores only the nodes changed
 *       since it last saw the pod's shape. Place and remove are inside the measured time.
 * </ul>
 *
 * <p>Ties are broken as in {@link FgdReplay}: by a seeded random node rank (Random always breaks
 * them uniformly at random, whatever it is given).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class PlacementDecisionBenchmark {
    /** Seed of the arrival sequence, its tuning, the tie-break rank and the benchmark's random draws. */
    static final long SEED = 42;
    /** The FGD protocol's "tune 1.3": arrivals total 1.3 × the cluster's GPUs. */
    static final double INFLATE = 1.3;
    /** How many of the not-yet-placed arrivals the decisions cycle through. */
    static final int POOL = 256;
    /** Id of the pod the warm variant places and removes; not a trace pod name. */
    static final String PROBE_ID = "jmh-probe";

    @Param({"Random", "DotProd", "GpuClustering", "GpuPacking", "BestFit", "FGD"})
    public String policy;

    private ClusterState cluster;
    private PlacementPolicy placementPolicy;
    private TieBreak tieBreak;
    private PodRequest[] pods;
    private SplittableRandom random;
    private NodeSelector warmSelector;
    private int cursor;

    @Setup(Level.Trial)
    public void setUp() {
        FgdWorkload workload = FgdWorkload.load(
                TraceSource.bundled(OpenbTrace.DEFAULT_NODES), TraceSource.bundled(OpenbTrace.DEFAULT_PODS));
        FgdReplay replay = new FgdReplay(workload, policy, SEED, INFLATE);
        List<TracePod> arrivals = replay.arrivals();
        int half = arrivals.size() / 2;
        int placed = 0;
        for (int i = 0; i < half; i++) {
            if (replay.step().choice() instanceof NodeChoice.Chosen) {
                placed++;
            }
        }
        cluster = replay.cluster();
        placementPolicy = replay.policy();
        tieBreak = TieBreak.shuffled(cluster.nodeCount(), new SplittableRandom(SEED));
        int poolSize = Math.min(POOL, arrivals.size() - half);
        pods = new PodRequest[poolSize];
        for (int i = 0; i < poolSize; i++) {
            pods[i] = arrivals.get(half + i).request();
        }
        random = new SplittableRandom(SEED);
        warmSelector = new NodeSelector(placementPolicy, tieBreak);
        cursor = 0;
        System.out.printf("%n# %s: %d nodes, %d of %d arrivals stepped, %d placed, %.1f%% of GPU allocated,"
                        + " %d pods in the decision pool%n",
                placementPolicy.name(), cluster.nodeCount(), half, arrivals.size(), placed,
                100.0 * cluster.allocatedGpuMillis() / cluster.totalGpuMillis(), poolSize);
    }

    private PodRequest nextPod() {
        PodRequest pod = pods[cursor];
        cursor = cursor + 1 == pods.length ? 0 : cursor + 1;
        return pod;
    }

    /** Full cost of one decision: filter and score all 1,213 nodes, no cached scores; nothing placed. */
    @Benchmark
    public void coldDecision(Blackhole bh) {
        NodeSelector selector = new NodeSelector(placementPolicy, tieBreak);
        bh.consume(selector.select(cluster, nextPod(), random));
    }

    /** Steady-state cost: long-lived selector, exactly one node changed per decision (place + remove). */
    @Benchmark
    public void warmDecision(Blackhole bh) {
        PodRequest pod = nextPod();
        NodeChoice choice = warmSelector.select(cluster, pod, random);
        if (choice instanceof NodeChoice.Chosen c) {
            cluster.place(PROBE_ID, pod, c.nodeIndex(), c.gpuDevices());
            bh.consume(cluster.remove(PROBE_ID));
        }
        bh.consume(choice);
    }
}
