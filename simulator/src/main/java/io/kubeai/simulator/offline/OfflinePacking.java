package io.kubeai.simulator.offline;

import ai.timefold.solver.core.api.solver.Solver;
import ai.timefold.solver.core.api.solver.SolverFactory;
import ai.timefold.solver.core.config.localsearch.LocalSearchPhaseConfig;
import ai.timefold.solver.core.config.localsearch.decider.acceptor.LocalSearchAcceptorConfig;
import ai.timefold.solver.core.config.localsearch.decider.forager.LocalSearchForagerConfig;
import ai.timefold.solver.core.config.solver.EnvironmentMode;
import ai.timefold.solver.core.config.solver.SolverConfig;
import ai.timefold.solver.core.config.solver.termination.TerminationConfig;
import io.kubeai.core.cluster.ClusterState;
import io.kubeai.core.cluster.Node;
import io.kubeai.core.cluster.NodeState;
import io.kubeai.core.resource.PodRequest;
import io.kubeai.simulator.fgd.FgdReplay;
import io.kubeai.simulator.fgd.FgdWorkload;
import io.kubeai.simulator.trace.TracePod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The offline reference for the FGD experiment: with every pod of a run known in advance, pack as
 * much GPU as possible into the cluster, with Timefold Solver under a time limit, and report the
 * GPU allocation the packing reaches once replayed into a real {@link ClusterState}. It is the
 * level online policies approach, <em>not</em> a bound any online policy could reach: the packing
 * sees the future, chooses which pods to leave out (the online protocol must place every pod that
 * fits when it arrives), and is not proven optimal (local search under a time limit).
 *
 * <h2>Model</h2>
 *
 * <ul>
 *   <li>One planning entity per pod, with a variable that may stay unassigned (the pod is left
 *       out): a {@link NodePod} (whole-GPU or CPU-only pod) points at a node; a {@link DevicePod}
 *       (a pod sharing one GPU) points at one concrete GPU device of one node. Whole-GPU pods need
 *       devices nobody else uses but which ones does not matter, so only their count is modelled;
 *       together this is the device structure exactly, not an aggregate relaxation.
 *   <li>Hard: per node, CPU, memory, at most 1000 milli-GPU per device, and
 *       {@code whole devices + devices with sharing pods ≤ devices}; GPU models a pod accepts.
 *       One grouped constraint stream with a collector computes all of a node's overload
 *       ({@link PackingConstraints}, {@link NodeLoadCollector}).
 *   <li>Medium: CPU-only pods placed (when included, see below). Soft: milli-GPU placed.
 *   <li>Extended resources are not modelled (the openb traces have none); the verification would
 *       refuse a pod that lacks them.
 * </ul>
 *
 * <h2>CPU-only pods</h2>
 *
 * By default ({@link Options#includeCpuOnlyPods()} true) CPU-only pods are part of the packing
 * and hold CPU and memory as in the online run. Placing them ranks above any amount of GPU
 * (the medium score level): the reference does not win by starving them. With it false they are
 * left out entirely, which frees their CPU and memory for GPU pods: a looser reference.
 *
 * <h2>Solving</h2>
 *
 * <ol>
 *   <li>Construction: a device-exact greedy ({@link GreedyPacker}): whole-GPU pods biggest first
 *       on the node with the most CPU to spare, then each free device filled with the set of
 *       GPU-sharing pods that leaves the least of it free (a subset sum), then CPU-only pods. It
 *       takes well under a second for ten thousand pods on a thousand nodes, where Timefold's
 *       generic construction heuristics would try every node and device for every pod.
 *   <li>Local search: Timefold's change and swap moves with late acceptance, from the greedy
 *       solution, until {@link Options#timeLimit()}, a move count limit, or the trivial bound
 *       (every CPU-only pod and {@code min(GPU asked, cluster GPU)} placed).
 * </ol>
 *
 * The solver is seeded and runs in a reproducible environment mode: a run stopped by a move
 * count limit (or by reaching the bound) is deterministic; one stopped by the time limit depends
 * on the machine's speed. The time limit bounds the local search only; construction, solver
 * set-up and verification come on top (about a second on the bundled default workload).
 *
 * <h2>Verification</h2>
 *
 * The best solution is replayed into a fresh {@link ClusterState} ({@link PackingVerifier}):
 * sharing pods on their device, whole-GPU pods on the lowest free devices, each through
 * {@code ClusterState.place}, which checks every capacity. A pod it refuses is dropped and
 * counted; a repair pass then places pods still out into whatever room is left, first fit. All
 * reported numbers come from that cluster.
 */
public final class OfflinePacking {

    /**
     * How to solve.
     *
     * @param timeLimit wall time for the local search (construction and verification add to it)
     * @param includeCpuOnlyPods pack CPU-only pods too, placing them ranking above GPU; see the
     *     class notes
     * @param randomSeed the solver's random seed
     * @param moveCountLimit stop after this many evaluated moves (0: no limit); with it a run is
     *     deterministic
     * @param assertScores run Timefold in {@link EnvironmentMode#FULL_ASSERT}, recomputing the
     *     score after every move (slow: for tests)
     * @param greedyStart start the local search from the greedy packing (else from nothing placed,
     *     to see what the local search does alone)
     */
    public record Options(Duration timeLimit, boolean includeCpuOnlyPods, long randomSeed, long moveCountLimit,
            boolean assertScores, boolean greedyStart) {

        public Options {
            Objects.requireNonNull(timeLimit, "timeLimit");
            if (timeLimit.isNegative()) {
                throw new IllegalArgumentException("timeLimit must not be negative: " + timeLimit);
            }
            if (moveCountLimit < 0) {
                throw new IllegalArgumentException("moveCountLimit must not be negative: " + moveCountLimit);
            }
        }

        /** CPU-only pods included, solver seed 0, no move limit, no assertions, greedy start. */
        public static Options of(Duration timeLimit) {
            return new Options(timeLimit, true, 0, 0, false, true);
        }

        public Options withCpuOnlyPods(boolean include) {
            return new Options(timeLimit, include, randomSeed, moveCountLimit, assertScores, greedyStart);
        }

        public Options withRandomSeed(long seed) {
            return new Options(timeLimit, includeCpuOnlyPods, seed, moveCountLimit, assertScores, greedyStart);
        }

        public Options withMoveCountLimit(long limit) {
            return new Options(timeLimit, includeCpuOnlyPods, randomSeed, limit, assertScores, greedyStart);
        }

        public Options withAssertScores(boolean assertScores) {
            return new Options(timeLimit, includeCpuOnlyPods, randomSeed, moveCountLimit, assertScores, greedyStart);
        }

        public Options withGreedyStart(boolean greedyStart) {
            return new Options(timeLimit, includeCpuOnlyPods, randomSeed, moveCountLimit, assertScores, greedyStart);
        }
    }

    private static final int LATE_ACCEPTANCE_SIZE = 20;

    private OfflinePacking() {
    }

    /**
     * Packs the pods a run of the FGD protocol with this seed and inflation receives
     * ({@link FgdReplay#arrivals}), CPU-only pods included, within {@code timeLimit}.
     */
    public static OfflineResult solve(FgdWorkload workload, long seed, double inflate, Duration timeLimit) {
        return solve(workload, seed, inflate, Options.of(timeLimit));
    }

    public static OfflineResult solve(FgdWorkload workload, long seed, double inflate, Options options) {
        List<TracePod> arrivals = FgdReplay.arrivals(workload, seed, inflate);
        return solve(workload.name(), seed, inflate, workload.nodes(), arrivals, options);
    }

    /** Packs a given pod list (names must be unique) into a given cluster. */
    public static OfflineResult solve(List<Node> nodes, List<TracePod> pods, Options options) {
        return solve("custom", 0, Double.NaN, nodes, pods, options);
    }

    private static OfflineResult solve(String name, long seed, double inflate, List<Node> nodes,
            List<TracePod> pods, Options options) {
        long start = System.nanoTime();
        Objects.requireNonNull(options, "options");
        Set<String> names = new HashSet<>();
        for (TracePod p : pods) {
            if (!names.add(p.name())) {
                throw new IllegalArgumentException("pod names must be unique, \"" + p.name() + "\" repeats");
            }
        }

        List<NodeSlot> nodeSlots = new ArrayList<>(nodes.size());
        List<DeviceSlot> deviceSlots = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            NodeSlot n = new NodeSlot(i, nodes.get(i));
            List<DeviceSlot> own = new ArrayList<>(n.gpuCount());
            for (int d = 0; d < n.gpuCount(); d++) {
                own.add(new DeviceSlot(n, d));
            }
            n.devices = List.copyOf(own);
            deviceSlots.addAll(own);
            nodeSlots.add(n);
        }
        List<NodePod> nodePods = new ArrayList<>();
        List<DevicePod> devicePods = new ArrayList<>();
        long requestedGpu = 0;
        int gpuPods = 0;
        int cpuOnlyPods = 0;
        for (int i = 0; i < pods.size(); i++) {
            PodRequest r = pods.get(i).request();
            requestedGpu += r.totalGpuMillis();
            if (r.sharesGpu()) {
                devicePods.add(new DevicePod(i, r));
                gpuPods++;
            } else if (r.wantsGpu()) {
                nodePods.add(new NodePod(i, r));
                gpuPods++;
            } else if (options.includeCpuOnlyPods()) {
                nodePods.add(new NodePod(i, r));
                cpuOnlyPods++;
            }
        }
        long clusterGpu = 0;
        for (Node n : nodes) {
            clusterGpu += (long) n.gpuCount() * PodRequest.MILLIS_PER_GPU;
        }

        long solveStart = System.nanoTime();
        if (options.greedyStart()) {
            GreedyPacker.pack(nodeSlots, nodePods, devicePods);
        }
        long greedyNanos = System.nanoTime() - solveStart;
        PackingVerifier.Verified greedy = PackingVerifier.verify(nodes, pods, nodePods, devicePods, false, false);
        long afterGreedyCheck = System.nanoTime();

        PackingSolution problem = new PackingSolution(nodeSlots, deviceSlots, nodePods, devicePods);
        PackingSolution best = problem;
        if (!nodePods.isEmpty() || !devicePods.isEmpty()) {
            long bound = Math.min(requestedGpu, clusterGpu);
            TerminationConfig termination = new TerminationConfig()
                    .withSpentLimit(options.timeLimit())
                    .withBestScoreLimit("0hard/" + cpuOnlyPods + "medium/" + bound + "soft");
            if (options.moveCountLimit() > 0) {
                termination.setMoveCountLimit(options.moveCountLimit());
            }
            SolverConfig config = new SolverConfig()
                    .withSolutionClass(PackingSolution.class)
                    .withEntityClasses(NodePod.class, DevicePod.class)
                    .withConstraintProviderClass(PackingConstraints.class)
                    .withEnvironmentMode(options.assertScores() ? EnvironmentMode.FULL_ASSERT : EnvironmentMode.NO_ASSERT)
                    .withRandomSeed(options.randomSeed())
                    .withTerminationConfig(termination)
                    .withPhases(localSearch());
            Solver<PackingSolution> solver = SolverFactory.<PackingSolution>create(config).buildSolver();
            best = solver.solve(problem);
        }
        Duration solveTime = Duration.ofNanos(greedyNanos + System.nanoTime() - afterGreedyCheck);

        PackingVerifier.Verified v = PackingVerifier.verify(nodes, pods, best.nodePods, best.devicePods, true,
                options.includeCpuOnlyPods());
        ClusterState cluster = v.cluster();
        checkNoOvercommit(cluster);
        int placed = 0;
        int gpuPlaced = 0;
        for (int i = 0; i < pods.size(); i++) {
            if (v.placed()[i]) {
                placed++;
                if (pods.get(i).request().wantsGpu()) {
                    gpuPlaced++;
                }
            }
        }
        long allocated = cluster.allocatedGpuMillis();
        return new OfflineResult(name, seed, inflate, clusterGpu, requestedGpu, allocated,
                percent(allocated, clusterGpu), percent(greedy.cluster().allocatedGpuMillis(), clusterGpu),
                pods.size(), placed, gpuPods, gpuPlaced, options.includeCpuOnlyPods(),
                String.valueOf(best.score), solveTime, Duration.ofNanos(System.nanoTime() - start),
                v.dropped() == 0, v.dropped(), v.repaired(), cluster);
    }

    /**
     * Change and swap moves (Timefold's defaults for basic variables, each variable able to go
     * unassigned), with late acceptance over a short list: the greedy start is already good, and
     * a long list (Timefold's default is 400) wanders too long to improve it within a minute.
     */
    private static LocalSearchPhaseConfig localSearch() {
        return new LocalSearchPhaseConfig()
                .withAcceptorConfig(new LocalSearchAcceptorConfig().withLateAcceptanceSize(LATE_ACCEPTANCE_SIZE))
                .withForagerConfig(new LocalSearchForagerConfig().withAcceptedCountLimit(1));
    }

    private static double percent(long part, long whole) {
        return whole == 0 ? 0 : 100.0 * part / whole;
    }

    /**
     * Belt and braces over {@code ClusterState.place}'s own checks: recounts every node's
     * placements against its capacity and the cluster's allocated milli-GPU.
     */
    static void checkNoOvercommit(ClusterState cluster) {
        int n = cluster.nodeCount();
        long[] cpu = new long[n];
        long[] mem = new long[n];
        int[][] gpu = new int[n][];
        for (int i = 0; i < n; i++) {
            gpu[i] = new int[cluster.node(i).gpuCount()];
        }
        long allocated = 0;
        for (var p : cluster.placements()) {
            cpu[p.nodeIndex()] += p.request().cpuMillis();
            mem[p.nodeIndex()] += p.request().memoryBytes();
            for (int d : p.deviceIndexes()) {
                gpu[p.nodeIndex()][d] += p.request().gpuMillisPerDevice();
            }
            allocated += p.request().totalGpuMillis();
        }
        for (int i = 0; i < n; i++) {
            NodeState s = cluster.node(i);
            if (cpu[i] > s.node().cpuMillis() || mem[i] > s.node().memoryBytes()) {
                throw new IllegalStateException("verification failed: node " + s.name() + " over CPU or memory");
            }
            for (int d = 0; d < gpu[i].length; d++) {
                if (gpu[i][d] > PodRequest.MILLIS_PER_GPU) {
                    throw new IllegalStateException("verification failed: GPU " + d + " of node " + s.name()
                            + " holds " + gpu[i][d] + " milli");
                }
            }
        }
        if (allocated != cluster.allocatedGpuMillis()) {
            throw new IllegalStateException("verification failed: placements hold " + allocated
                    + " milli-GPU, the cluster counts " + cluster.allocatedGpuMillis());
        }
    }
}
