package io.kubeai.simulator.offline;

import static io.kubeai.core.testing.Builders.node;
import static io.kubeai.core.testing.Builders.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubeai.core.cluster.ClusterState;
import io.kubeai.core.cluster.Node;
import io.kubeai.core.cluster.NodeState;
import io.kubeai.core.cluster.Placement;
import io.kubeai.core.resource.PodRequest;
import io.kubeai.simulator.fgd.FgdWorkload;
import io.kubeai.simulator.trace.OpenbTrace;
import io.kubeai.simulator.trace.TracePod;
import io.kubeai.simulator.trace.TraceSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

class OfflinePackingTest {

    /** Short runs that stop on a move count, so they are deterministic and take well under a second. */
    private static final OfflinePacking.Options QUICK =
            OfflinePacking.Options.of(Duration.ofSeconds(2)).withMoveCountLimit(20_000);

    private static final List<Node> NODES = List.of(
            node("v100").cpu(32_000).memoryGi(128).gpus(4, "V100M16").build(),
            node("t4").cpu(16_000).memoryGi(64).gpus(2, "T4").build(),
            node("g2").cpu(48_000).memoryGi(256).gpus(8, "G2").build(),
            node("cpu").cpu(16_000).memoryGi(64).build());

    /**
     * Forty pods asking for about twice the 14 GPUs, with CPU that binds: sharing pods of openb
     * sizes, whole-GPU pods of 1 and 2 devices, CPU-only pods, and some that accept T4 only. The
     * greedy alone does not reach the trivial bound here, so the local search runs its moves.
     */
    private static List<TracePod> pods() {
        SplittableRandom r = new SplittableRandom(7);
        int[] shares = {230, 320, 470, 650, 810};
        List<TracePod> pods = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            int kind = r.nextInt(10);
            var b = pod().cpu(1_000L * (2 + r.nextInt(10))).memoryGi(2 + r.nextInt(16));
            if (kind <= 5) {
                b.gpuShare(shares[r.nextInt(shares.length)]);
            } else if (kind <= 7) {
                b.gpus(1);
            } else if (kind == 8) {
                b.gpus(2);
            }
            if (kind <= 7 && i % 7 == 0) {
                b.models("T4");
            }
            pods.add(new TracePod(String.format("p%02d", i), b.build()));
        }
        return pods;
    }

    @Test
    void theVerifiedPackingNeverOvercommitsAnyNodeOrDevice() {
        List<TracePod> pods = pods();
        OfflineResult result = OfflinePacking.solve(NODES, pods, QUICK);

        assertThat(result.verified()).isTrue();
        assertThat(result.droppedInVerification()).isZero();
        ClusterState cluster = result.cluster();
        assertThat(result.podsPlaced()).isEqualTo(cluster.podCount());
        long[] cpu = new long[NODES.size()];
        long[] mem = new long[NODES.size()];
        int[][] gpu = new int[NODES.size()][];
        for (int n = 0; n < NODES.size(); n++) {
            gpu[n] = new int[NODES.get(n).gpuCount()];
        }
        long allocated = 0;
        for (Placement p : cluster.placements()) {
            Node node = NODES.get(p.nodeIndex());
            cpu[p.nodeIndex()] += p.request().cpuMillis();
            mem[p.nodeIndex()] += p.request().memoryBytes();
            assertThat(Integer.bitCount(p.gpuDevices())).isEqualTo(p.request().gpuCount());
            for (int d : p.deviceIndexes()) {
                assertThat(d).isLessThan(node.gpuCount());
                gpu[p.nodeIndex()][d] += p.request().gpuMillisPerDevice();
            }
            if (p.request().wantsGpu()) {
                assertThat(p.request().gpuModels().allows(node.gpuModel())).as(p.podId()).isTrue();
            }
            allocated += p.request().totalGpuMillis();
        }
        for (int n = 0; n < NODES.size(); n++) {
            assertThat(cpu[n]).isLessThanOrEqualTo(NODES.get(n).cpuMillis());
            assertThat(mem[n]).isLessThanOrEqualTo(NODES.get(n).memoryBytes());
            for (int used : gpu[n]) {
                assertThat(used).isBetween(0, PodRequest.MILLIS_PER_GPU);
            }
        }
        assertThat(result.allocatedGpuMillis()).isEqualTo(allocated).isEqualTo(cluster.allocatedGpuMillis());
        assertThat(result.clusterGpuMillis()).isEqualTo(14_000);
        assertThat(result.allocationPercent()).isEqualTo(100.0 * allocated / 14_000);
    }

    @Test
    void placesAtLeastAsMuchGpuAsFirstFitInArrivalOrder() {
        List<TracePod> pods = pods();
        long firstFit = firstFit(NODES, pods).allocatedGpuMillis();
        OfflineResult result = OfflinePacking.solve(NODES, pods, QUICK);

        assertThat(result.requestedGpuMillis()).isGreaterThan(result.clusterGpuMillis());
        assertThat(result.allocatedGpuMillis()).isGreaterThanOrEqualTo(firstFit)
                .isGreaterThanOrEqualTo(13_900)
                .isLessThan(result.clusterGpuMillis());
        assertThat(result.allocationPercent()).isGreaterThanOrEqualTo(result.greedyAllocationPercent());
        // Every CPU-only pod fits here, so the reference places them all.
        long cpuOnly = pods.stream().filter(p -> !p.request().wantsGpu()).count();
        assertThat(result.podsPlaced() - result.gpuPodsPlaced()).isEqualTo(cpuOnly);
    }

    @Test
    void theLocalSearchAloneAlsoBeatsFirstFit() {
        List<TracePod> pods = pods();
        long firstFit = firstFit(NODES, pods).allocatedGpuMillis();
        OfflineResult result = OfflinePacking.solve(NODES, pods, QUICK.withGreedyStart(false));

        assertThat(result.greedyAllocationPercent()).isZero();
        assertThat(result.verified()).isTrue();
        assertThat(result.allocatedGpuMillis()).isGreaterThanOrEqualTo(firstFit);
    }

    @Test
    void findsThePackingFirstFitMissesAndStopsAtTheBound() {
        // Online first fit puts both 300s on GPU 0, so the 2-GPU pod finds one free GPU only.
        List<Node> nodes = List.of(node("n").cpu(16_000).memoryGi(64).gpus(2, "T4").build());
        List<TracePod> pods = List.of(
                new TracePod("a", pod().cpu(1_000).gpuShare(300).build()),
                new TracePod("b", pod().cpu(1_000).gpuShare(300).build()),
                new TracePod("c", pod().cpu(1_000).gpus(2).build()),
                new TracePod("d", pod().cpu(1_000).gpus(1).build()));
        assertThat(firstFit(nodes, pods).allocatedGpuMillis()).isEqualTo(1_600);

        OfflineResult result = OfflinePacking.solve(nodes, pods, OfflinePacking.Options.of(Duration.ofSeconds(5)));

        assertThat(result.allocationPercent()).isEqualTo(100.0);
        assertThat(result.verified()).isTrue();
        assertThat(result.solveTime()).isLessThan(Duration.ofSeconds(4));
    }

    @Test
    void aRunStoppedByMoveCountIsReproducible() {
        List<TracePod> pods = pods();
        OfflinePacking.Options options = QUICK.withRandomSeed(3);
        OfflineResult a = OfflinePacking.solve(NODES, pods, options);
        OfflineResult b = OfflinePacking.solve(NODES, pods, options);

        assertThat(b.bestScore()).isEqualTo(a.bestScore());
        assertThat(b.allocatedGpuMillis()).isEqualTo(a.allocatedGpuMillis());
        assertThat(placements(b.cluster())).isEqualTo(placements(a.cluster()));
    }

    @Test
    void incrementalScoresMatchFullRecalculation() {
        // FULL_ASSERT recomputes the score from scratch after every move and fails on a mismatch,
        // which checks the node-load collector's undo.
        OfflineResult result = OfflinePacking.solve(NODES, pods(),
                QUICK.withMoveCountLimit(1_500).withAssertScores(true).withRandomSeed(11).withGreedyStart(false));
        assertThat(result.verified()).isTrue();
    }

    @Test
    void leftOutCpuOnlyPodsHoldNothing() {
        OfflineResult result = OfflinePacking.solve(NODES, pods(), QUICK.withCpuOnlyPods(false));

        assertThat(result.cpuOnlyPodsIncluded()).isFalse();
        assertThat(result.cluster().placements()).allSatisfy(p -> assertThat(p.request().wantsGpu()).isTrue());
        assertThat(result.podsPlaced()).isEqualTo(result.gpuPodsPlaced());
    }

    @Test
    void verificationDropsAssignmentsTheClusterRefuses() {
        List<Node> nodes = List.of(node("n").cpu(4_000).memoryGi(16).gpus(1, "T4").build());
        List<TracePod> pods = List.of(
                new TracePod("a", pod().cpu(1_000).gpuShare(600).build()),
                new TracePod("b", pod().cpu(1_000).gpuShare(600).build()),
                new TracePod("c", pod().cpu(8_000).build()));
        NodeSlot n = new NodeSlot(0, nodes.get(0));
        n.devices = List.of(new DeviceSlot(n, 0));
        DevicePod a = new DevicePod(0, pods.get(0).request());
        DevicePod b = new DevicePod(1, pods.get(1).request());
        NodePod c = new NodePod(2, pods.get(2).request());
        a.device = n.devices.get(0);
        b.device = n.devices.get(0);
        c.node = n;

        PackingVerifier.Verified v = PackingVerifier.verify(nodes, pods, List.of(c), List.of(a, b), true, true);

        assertThat(v.assigned()).isEqualTo(3);
        assertThat(v.dropped()).isEqualTo(2);
        assertThat(v.repaired()).isZero();
        assertThat(v.cluster().allocatedGpuMillis()).isEqualTo(600);
        assertThat(v.cluster().node(0).cpuFreeMillis()).isEqualTo(3_000);
    }

    /** The reference run of the README's figure; about 62 s. {@code -Dkubeai.offline.full=true} to run it. */
    @Test
    @EnabledIfSystemProperty(named = "kubeai.offline.full", matches = "true")
    void bundledDefaultWorkloadPacksAboveTheOnlinePolicies() {
        FgdWorkload w = FgdWorkload.load(TraceSource.bundled(OpenbTrace.DEFAULT_NODES),
                TraceSource.bundled(OpenbTrace.DEFAULT_PODS));
        OfflineResult result = OfflinePacking.solve(w, 42, 1.3, Duration.ofSeconds(60));
        System.out.println(result);
        assertThat(result.verified()).isTrue();
        assertThat(result.allocationPercent()).isGreaterThan(95.4);
    }

    /** Online first fit: arrival order, first node that fits, first devices that fit. */
    private static ClusterState firstFit(List<Node> nodes, List<TracePod> pods) {
        ClusterState cluster = new ClusterState(nodes);
        for (TracePod p : pods) {
            PodRequest r = p.request();
            for (int n = 0; n < cluster.nodeCount(); n++) {
                NodeState s = cluster.node(n);
                if (!s.fits(r)) {
                    continue;
                }
                int mask = 0;
                int need = r.gpuCount();
                for (int d = 0; d < s.gpuCount() && need > 0; d++) {
                    if (s.gpuFreeMillis(d) >= r.gpuMillisPerDevice()) {
                        mask |= 1 << d;
                        need--;
                    }
                }
                cluster.place(p.name(), r, n, mask);
                break;
            }
        }
        return cluster;
    }

    private static List<String> placements(ClusterState cluster) {
        return cluster.placements().stream()
                .map(p -> p.podId() + "@" + p.nodeIndex() + "/" + p.gpuDevices())
                .sorted()
                .collect(Collectors.toList());
    }
}
