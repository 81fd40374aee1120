package io.kubeai.simulator.jobs.sim;

import io.kubeai.core.cluster.ClusterState;
import io.kubeai.core.cluster.Node;
import io.kubeai.core.cycle.CycleConfig;
import io.kubeai.core.cycle.CycleResult;
import io.kubeai.core.cycle.SchedulingCycle;
import io.kubeai.core.cycle.SchedulingState;
import io.kubeai.core.fragmentation.TypicalPods;
import io.kubeai.core.placement.NodeSelector;
import io.kubeai.core.placement.PlacementPolicies;
import io.kubeai.core.queue.QueueSpec;
import io.kubeai.core.queue.QueueTree;
import io.kubeai.core.queue.QuotaLedger;
import io.kubeai.core.resource.PodRequest;
import io.kubeai.core.workload.PodSet;
import io.kubeai.core.workload.Workload;
import io.kubeai.simulator.jobs.JobSpec;
import io.kubeai.simulator.jobs.trace.ClusterShapes;
import io.kubeai.simulator.jobs.trace.GeneratorSpec;
import io.kubeai.simulator.jobs.trace.JobTraceGenerator;
import io.kubeai.simulator.jobs.trace.QueuesFile;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The cost of one admission cycle at scale (Kueue's performance baseline: 15,000 pending
 * workloads across 30 queues), measured on the thread's CPU clock. Workloads are drawn by the job
 * generator (openb pod shapes, Philly-free: only shapes, gang sizes and tiers matter here) and
 * dealt to {@code queues} queues in turn, each guaranteed an equal share of a cluster of
 * {@code nodes} openb-shaped nodes. Two cycles are timed, each from the same starting state in
 * every repeat:
 *
 * <ol>
 *   <li><b>onto an empty cluster</b>: every workload is pending; the cycle orders them, checks
 *       quota and plans each gang, admitting until quota and nodes run out;
 *   <li><b>onto the full cluster</b>: what the first cycle left pending, an hour later, against
 *       what it admitted; with preemption on, prod work may take dev work's place.
 * </ol>
 *
 * Deterministic apart from the times: the same spec gives the same decisions.
 */
public final class AdmissionCycleScale {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    /** What to measure. */
    public record Spec(int pending, int queues, int nodes, long seed, String placementPolicy, CycleConfig cycle,
            int repeats) {
        public Spec {
            if (pending < 1 || queues < 1 || nodes < 1 || repeats < 1) {
                throw new IllegalArgumentException("pending, queues, nodes and repeats must be at least 1");
            }
            placementPolicy = PlacementPolicies.canonicalName(placementPolicy);
        }

        /** Kueue's baseline: 15,000 pending workloads, 30 queues, here on 2,000 nodes; 5 repeats. */
        public static Spec baseline() {
            return new Spec(15_000, 30, 2_000, 42, "BestFit", CycleConfig.DEFAULT, 5);
        }
    }

    /** One timed cycle: its CPU and wall time in each repeat, and what it decided (the same every repeat). */
    public record Measured(String name, int pending, long[] cpuNanos, long[] wallNanos, int admitted,
            int preempting, int victims, int waiting, double gpuAllocationAfter) {
        public double medianCpuSeconds() {
            return median(cpuNanos) / 1e9;
        }

        public double medianWallSeconds() {
            return median(wallNanos) / 1e9;
        }

        public double minCpuSeconds() {
            return Arrays.stream(cpuNanos).min().orElse(0) / 1e9;
        }
    }

    /** Both cycles, and the setting. */
    public record Result(Spec spec, int gpus, List<Measured> cycles) {
        public String table() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "%-22s %8s %9s %9s %9s %9s %8s %8s %8s %7s%n", "cycle", "pending",
                    "CPU s p50", "CPU s min", "wall s p50", "admitted", "preempt", "victims", "waiting", "alloc%"));
            for (Measured m : cycles) {
                sb.append(String.format(Locale.ROOT, "%-22s %8d %9.3f %9.3f %9.3f %9d %8d %8d %8d %7.1f%n", m.name(),
                        m.pending(), m.medianCpuSeconds(), m.minCpuSeconds(), m.medianWallSeconds(), m.admitted(),
                        m.preempting(), m.victims(), m.waiting(), 100 * m.gpuAllocationAfter()));
            }
            return sb.toString();
        }
    }

    private AdmissionCycleScale() {
    }

    public static Result run(Spec spec) {
        List<Node> nodes = ClusterShapes.nodes(spec.nodes(), spec.seed());
        int gpus = ClusterShapes.gpus(nodes);
        List<String> names = new ArrayList<>();
        for (int q = 0; q < spec.queues(); q++) {
            names.add(String.format(Locale.ROOT, "queue-%02d", q + 1));
        }
        List<QueueSpec> queues = QueuesFile.equalShares(names, ClusterShapes.capacity(nodes));
        QueueTree tree = QueueTree.of(queues);
        List<JobSpec> jobs = JobTraceGenerator.generate(GeneratorSpec.defaults().withJobs(spec.pending())
                .withSeed(spec.seed()).withClusterGpus(Math.max(1, gpus)));
        List<Workload> pending = new ArrayList<>(jobs.size());
        List<PodRequest> pods = new ArrayList<>();
        for (int i = 0; i < jobs.size(); i++) {
            JobSpec j = jobs.get(i);
            pending.add(new Workload(j.id(), names.get(i % names.size()), j.priority(), j.submitSeconds(),
                    List.of(new PodSet("worker", j.pods(), j.podRequest())), j.pods(), 0));
            pods.add(j.podRequest());
        }
        TypicalPods typical = TypicalPods.fromWorkload(pods);
        long firstAt = jobs.get(jobs.size() - 1).submitSeconds();
        long secondAt = firstAt + 3600;

        long[][] cpu = new long[2][spec.repeats()];
        long[][] wall = new long[2][spec.repeats()];
        CycleResult[] last = new CycleResult[2];
        SchedulingState[] after = new SchedulingState[2];
        List<Workload> left = List.of();
        for (int r = 0; r < spec.repeats(); r++) {
            SchedulingCycle cycle = new SchedulingCycle(spec.cycle(),
                    new NodeSelector(PlacementPolicies.create(spec.placementPolicy(), typical)));
            ClusterState cluster = new ClusterState(nodes);
            SchedulingState state = new SchedulingState(cluster, new QuotaLedger(tree, cluster.capacity()));
            SplittableRandom random = new SplittableRandom(spec.seed());
            // 1. Onto the empty cluster.
            long w0 = System.nanoTime();
            long c0 = CPU.getCurrentThreadCpuTime();
            CycleResult first = cycle.run(state, pending, firstAt, random);
            cpu[0][r] = CPU.getCurrentThreadCpuTime() - c0;
            wall[0][r] = System.nanoTime() - w0;
            last[0] = first;
            after[0] = state.copy();
            java.util.Set<String> admitted = new java.util.HashSet<>();
            first.admitted().forEach(a -> admitted.add(a.workload().id()));
            left = pending.stream().filter(w -> !admitted.contains(w.id())).toList();
            // 2. What is left, onto the full cluster.
            w0 = System.nanoTime();
            c0 = CPU.getCurrentThreadCpuTime();
            CycleResult second = cycle.run(state, left, secondAt, random);
            cpu[1][r] = CPU.getCurrentThreadCpuTime() - c0;
            wall[1][r] = System.nanoTime() - w0;
            last[1] = second;
            after[1] = state;
        }
        List<Measured> out = List.of(
                measured("onto an empty cluster", pending.size(), cpu[0], wall[0], last[0], after[0], gpus),
                measured("onto the full cluster", left.size(), cpu[1], wall[1], last[1], after[1], gpus));
        return new Result(spec, gpus, out);
    }

    private static Measured measured(String name, int pending, long[] cpu, long[] wall, CycleResult r,
            SchedulingState state, int gpus) {
        int victims = r.preemptions().stream().mapToInt(p -> p.victims().size()).sum();
        double alloc = gpus == 0 ? 0 : state.cluster().allocatedGpuMillis() / (gpus * 1000.0);
        return new Measured(name, pending, cpu, wall, r.admitted().size(), r.preemptions().size(), victims,
                r.waits().size(), alloc);
    }

    private static double median(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0;
    }
}
