package io.kubeai.simulator.jobs.stagger;

import io.kubeai.core.cluster.Node;
import io.kubeai.core.cycle.CycleConfig;
import io.kubeai.core.config.ElasticPolicy;
import io.kubeai.core.config.StaggerPolicy;
import io.kubeai.core.config.WebhookPolicy;
import io.kubeai.core.queue.QueueSpec;
import io.kubeai.core.resource.ResourceLimits;
import io.kubeai.core.resource.ResourceList;
import io.kubeai.core.window.QueueWindow;
import io.kubeai.core.window.TimeWindow;
import io.kubeai.simulator.jobs.JobSpec;
import io.kubeai.simulator.jobs.metrics.JobMetrics;
import io.kubeai.simulator.jobs.metrics.JobRecord;
import io.kubeai.simulator.jobs.metrics.Percentiles;
import io.kubeai.simulator.jobs.online.BatchWork;
import io.kubeai.simulator.jobs.online.DayChart;
import io.kubeai.simulator.jobs.online.ElasticAgent;
import io.kubeai.simulator.jobs.online.ElasticSteering;
import io.kubeai.simulator.jobs.online.OnlineLoad;
import io.kubeai.simulator.jobs.online.OvercommitExperiment;
import io.kubeai.simulator.jobs.scheduler.SchedulerKubeAi;
import io.kubeai.simulator.jobs.scheduler.Staggering;
import io.kubeai.simulator.jobs.sim.JobSimulation;
import io.kubeai.simulator.jobs.sim.JobSimulationConfig;
import io.kubeai.simulator.jobs.trace.ClusterShapes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * "No staggering" against "ours" on the same nodes and the same {@link StaggerWork}, beside
 * online services ({@link OnlineLoad}), both with the kubeai scheduler:
 *
 * <ul>
 *   <li><b>none</b>: every job asks for regular capacity and runs as soon as it fits;
 *   <li><b>ours</b>: production periodic jobs deferred to the off-peak window (20:00–08:00)
 *       unless their deadline needs them earlier ({@code Stagger}, 30 min margin); the
 *       production queue closed during the online peak (10:00–16:00), what still runs there
 *       evicted a few at a time ({@code ClosingEvictions}); the development queue larger by day
 *       (its {@code min}/{@code max} scaled to 50 %/60 % at night); small tasks on elastic
 *       capacity, reclaimed by core's elastic cycle, large ones on regular.
 * </ul>
 *
 * Times of day are UTC. Deterministic for a spec; the two runs go in parallel.
 */
public final class StaggerExperiment {
    private StaggerExperiment() {
    }

    public enum Policy {
        NONE("no staggering"),
        OURS("ours");

        public final String label;

        Policy(String label) {
            this.label = label;
        }
    }

    /**
     * @param nodes the nodes to run on (the work is sized on {@code work.referenceNodes()})
     * @param closingEvictionsPerMinute the closing window's eviction budget
     */
    public record Spec(int nodes, StaggerWork work, OnlineLoad online, ElasticPolicy elastic, int closingEvictionsPerMinute,
            int threads) {
        public Spec {
            if (nodes < 1) {
                throw new IllegalArgumentException("nodes must be at least 1, was " + nodes);
            }
        }

        /** 20 nodes, 3 days, seed 42; production 25 % and development 35 % of the GPUs a day; 3,000 small tasks a day. */
        public static Spec defaults() {
            return new Spec(20, new StaggerWork(20, 3, 42, 0.25, 0.35, 3, 3000, 4 * 3600, 1.0),
                    OnlineLoad.defaults().withReservedShare(0.4), OvercommitExperiment.enabled(ElasticPolicy.DEFAULT), 5,
                    BatchWork.cores());
        }

        public Spec withNodes(int n) {
            return new Spec(n, work, online, elastic, closingEvictionsPerMinute, threads);
        }

        public Spec withWork(StaggerWork w) {
            return new Spec(nodes, w, online, elastic, closingEvictionsPerMinute, threads);
        }

        public Spec withThreads(int t) {
            return new Spec(nodes, work, online, elastic, closingEvictionsPerMinute, t);
        }

        public long horizonSeconds() {
            return work.days() * StaggerWork.DAY + 8 * StaggerWork.HOUR;
        }
    }

    /**
     * One run's figures.
     *
     * @param gpuPeakToAverage the highest hour-of-day mean GPU allocation over the day's mean
     * @param cpuPeakToAverage the same for CPU in use (online services, regular and elastic jobs)
     * @param prodMissRate production jobs due within the run that were not done by their deadline
     * @param devDelay queueing delay of the development GPU jobs
     * @param smallDelay queueing delay of the small tasks
     * @param completedPerDay jobs completed within the days of submissions, a day
     * @param gpuByHour mean GPU allocation in each hour of the day
     */
    public record Run(Policy policy, int nodes, JobMetrics metrics, ElasticAgent.Stats stats, double gpuPeakToAverage,
            double cpuPeakToAverage, int prodDue, int prodMissed, Percentiles devDelay, Percentiles smallDelay,
            double completedPerDay, long closingEvictions, double[] gpuByHour, double[] cpuByHour) {
        public double prodMissRate() {
            return prodDue == 0 ? 0 : prodMissed / (double) prodDue;
        }
    }

    public record Result(Spec spec, int jobs, Run none, Run ours, long wallNanos) {
    }

    public static Result run(Spec spec) {
        long t0 = System.nanoTime();
        List<JobSpec> jobs = spec.work().generate();
        List<Callable<Run>> tasks = List.of(() -> runOne(spec, jobs, Policy.NONE), () -> runOne(spec, jobs, Policy.OURS));
        List<Run> runs = BatchWork.parallel(tasks, spec.threads());
        return new Result(spec, jobs.size(), runs.get(0), runs.get(1), System.nanoTime() - t0);
    }

    /** The queues: production and development, each guaranteed half of every resource, development's max the whole cluster. */
    static List<QueueSpec> queues(List<Node> nodes) {
        ResourceList cap = ClusterShapes.capacity(nodes);
        Map<String, Long> half = new HashMap<>();
        Map<String, Long> all = new HashMap<>();
        for (int i = 0; i < cap.size(); i++) {
            half.put(cap.name(i), cap.value(i) / 2);
            all.put(cap.name(i), cap.value(i));
        }
        return List.of(QueueSpec.named(StaggerWork.PROD).min(ResourceList.of(half)).build(),
                QueueSpec.named(StaggerWork.DEV).min(ResourceList.of(half)).max(ResourceLimits.of(all)).build());
    }

    /** Our staggering, as the policy file would say it. */
    public static Staggering ours(int closingEvictionsPerMinute) {
        return ours(staggerPolicy(closingEvictionsPerMinute));
    }

    /**
     * The {@code stagger:} section of "ours": production periodic work deferred to 20:00–08:00 UTC
     * with a 30-minute margin, at most {@code closingEvictionsPerMinute} closing evictions a minute.
     */
    public static StaggerPolicy staggerPolicy(int closingEvictionsPerMinute) {
        return new StaggerPolicy(Map.of(WebhookPolicy.PROD, offPeak()), 30 * 60,
                new StaggerPolicy.ClosingEvictions(60, closingEvictionsPerMinute));
    }

    /**
     * "Ours" with the policy's {@code stagger:} section: its production window and margin defer
     * production periodic work, its closing-eviction budget paces the closing window. The queues'
     * own windows are the scenario's (production closed 10:00–16:00, development scaled to
     * 50 %/60 % over 20:00–08:00, UTC).
     */
    public static Staggering ours(StaggerPolicy policy) {
        TimeWindow peak = TimeWindow.daily(LocalTime.of(10, 0), LocalTime.of(16, 0), ZoneOffset.UTC);
        return new Staggering(policy.stagger(),
                Map.of(StaggerWork.PROD, List.of(QueueWindow.closed(peak)),
                        StaggerWork.DEV, List.of(QueueWindow.scale(offPeak(), 0.5, 0.6))),
                policy.closing().maxEvictionsPerInterval(), policy.closing().intervalSeconds());
    }

    private static TimeWindow offPeak() {
        return TimeWindow.daily(LocalTime.of(20, 0), LocalTime.of(8, 0), ZoneOffset.UTC);
    }

    /**
     * What a policy file sets in the "ours" run: the staggering, the webhook's small/large rule
     * that steers small tasks to elastic capacity, the elastic thresholds, placement and cycle.
     */
    public record OursSettings(Staggering staggering, WebhookPolicy.Elastic steering, ElasticPolicy elastic,
            String placementPolicy, CycleConfig cycle) {
        public OursSettings {
            java.util.Objects.requireNonNull(staggering, "staggering");
            java.util.Objects.requireNonNull(steering, "steering");
            java.util.Objects.requireNonNull(elastic, "elastic");
            java.util.Objects.requireNonNull(placementPolicy, "placementPolicy");
            java.util.Objects.requireNonNull(cycle, "cycle");
        }

        /** The settings {@link #runOne} gives "ours" for {@code spec}. */
        public static OursSettings of(Spec spec) {
            return new OursSettings(ours(spec.closingEvictionsPerMinute()), WebhookPolicy.ELASTIC_DEFAULT, spec.elastic(),
                    JobSimulationConfig.DEFAULT.placementPolicy(), JobSimulationConfig.DEFAULT.kubeAiCycle());
        }
    }

    /** The "ours" run with {@code settings} in place of the spec's ({@code runOne(spec, work, OURS)} with {@link OursSettings#of}). */
    public static Run runOurs(Spec spec, List<JobSpec> work, OursSettings settings) {
        List<Node> nodes = ElasticAgent.withElasticAllocatable(nodes(spec), settings.elastic().resources());
        List<JobSpec> jobs = ElasticSteering.steer(work, settings.steering());
        JobSimulationConfig config = JobSimulationConfig.DEFAULT.withSeed(spec.work().seed())
                .withHorizon(spec.horizonSeconds()).withSampleInterval(600)
                .withPlacementPolicy(settings.placementPolicy()).withKubeAiCycle(settings.cycle());
        ElasticAgent agent = new ElasticAgent(spec.online(), settings.elastic(), true);
        JobSimulation sim = new JobSimulation(jobs, nodes, queues(nodes), SchedulerKubeAi.factory(settings.staggering()),
                config, List.of(agent));
        JobMetrics m = sim.run();
        long closing = ((SchedulerKubeAi) sim.scheduler()).closingEvictions();
        return measure(spec, Policy.OURS, spec.nodes(), jobs, m, agent.stats(), closing);
    }

    /**
     * The nodes of a run: the reference cluster's ({@code work.referenceNodes()} openb shapes),
     * repeated in order up to {@code spec.nodes()} (or cut), so that more nodes are the same kind
     * of cluster, larger: capacity grows with every node added.
     */
    public static List<Node> nodes(Spec spec) {
        List<Node> ref = ClusterShapes.nodes(spec.work().referenceNodes(), spec.work().seed());
        if (spec.nodes() == ref.size()) {
            return ref;
        }
        List<Node> out = new ArrayList<>(spec.nodes());
        for (int i = 0; i < spec.nodes(); i++) {
            Node n = ref.get(i % ref.size());
            out.add(new Node(String.format("node-%04d", i), n.cpuMillis(), n.memoryBytes(), n.gpuCount(), n.gpuModel(),
                    n.extended()));
        }
        return out;
    }

    public static Run runOne(Spec spec, List<JobSpec> work, Policy policy) {
        List<Node> plain = nodes(spec);
        boolean ours = policy == Policy.OURS;
        List<Node> nodes = ours ? ElasticAgent.withElasticAllocatable(plain, spec.elastic().resources()) : plain;
        List<JobSpec> jobs = ours ? ElasticSteering.steer(work, WebhookPolicy.ELASTIC_DEFAULT) : work;
        JobSimulationConfig config = JobSimulationConfig.DEFAULT.withSeed(spec.work().seed())
                .withHorizon(spec.horizonSeconds()).withSampleInterval(600);
        ElasticAgent agent = new ElasticAgent(spec.online(), spec.elastic(), ours);
        Staggering staggering = ours ? ours(spec.closingEvictionsPerMinute()) : Staggering.NONE;
        JobSimulation sim = new JobSimulation(jobs, nodes, queues(nodes), SchedulerKubeAi.factory(staggering), config,
                List.of(agent));
        JobMetrics m = sim.run();
        long closing = ((SchedulerKubeAi) sim.scheduler()).closingEvictions();
        return measure(spec, policy, spec.nodes(), jobs, m, agent.stats(), closing);
    }

    static Run measure(Spec spec, Policy policy, int nodes, List<JobSpec> jobs, JobMetrics m, ElasticAgent.Stats stats,
            long closing) {
        Map<String, JobSpec> byId = new HashMap<>();
        jobs.forEach(j -> byId.put(j.id(), j));
        long submitEnd = spec.work().days() * StaggerWork.DAY;
        int due = 0;
        int missed = 0;
        int done = 0;
        List<Long> dev = new ArrayList<>();
        List<Long> small = new ArrayList<>();
        for (JobRecord r : m.jobs()) {
            JobSpec s = byId.get(r.id());
            boolean ok = r.outcome() == JobRecord.Outcome.DONE;
            if (ok && r.endSeconds() < submitEnd) {
                done++;
            }
            switch (StaggerWork.kind(r.id())) {
                case StaggerWork.PROD -> {
                    if (s.hasDeadline() && s.deadlineSeconds() <= spec.horizonSeconds()) {
                        due++;
                        if (!ok || r.endSeconds() > s.deadlineSeconds()) {
                            missed++;
                        }
                    }
                }
                case StaggerWork.DEV -> dev.add(r.queueingDelaySeconds());
                default -> small.add(r.queueingDelaySeconds());
            }
        }
        double[] gpu = OvercommitExperiment.hourly(stats.samples().stream().filter(x -> x.seconds() < submitEnd).toList(),
                x -> x.gpuAllocatedMillis() / (double) x.gpuTotalMillis());
        double[] cpu = OvercommitExperiment.hourly(stats.samples().stream().filter(x -> x.seconds() < submitEnd).toList(),
                x -> (x.onlineUsedCpu() + x.regularJobCpu() + x.elasticHeldCpu()) / (double) x.cpuCapacity());
        return new Run(policy, nodes, m, stats, peakToAverage(gpu), peakToAverage(cpu), due, missed,
                Percentiles.of(dev.stream().mapToLong(Long::longValue).toArray()),
                Percentiles.of(small.stream().mapToLong(Long::longValue).toArray()), done / (double) spec.work().days(),
                closing, gpu, cpu);
    }

    static double peakToAverage(double[] v) {
        double max = 0;
        double sum = 0;
        for (double x : v) {
            max = Math.max(max, x);
            sum += x;
        }
        return sum == 0 ? Double.NaN : max / (sum / v.length);
    }

    public static String table(Result r) {
        Spec s = r.spec();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%d nodes (%d GPUs), %d days + 8 h, seed %d: %d jobs (production %.0f %% and "
                + "development %.0f %% of the GPUs a day, volume ×%.1f, %d small tasks a day); online services reserve "
                + "%.0f %% of each node%n", s.nodes(), ClusterShapes.gpus(nodes(s)),
                s.work().days(), s.work().seed(), r.jobs(), s.work().prodLoad() * 100, s.work().devLoad() * 100,
                s.work().volume(), Math.round(s.work().smallPerDay() * s.work().volume()), s.online().reservedShare() * 100));
        sb.append(String.format(Locale.ROOT, "%-46s %16s %16s%n", "", r.none().policy().label, r.ours().policy().label));
        row(sb, "GPU allocation, peak hour / daily mean", r.none().gpuPeakToAverage(), r.ours().gpuPeakToAverage(), "%.2f");
        row(sb, "CPU in use, peak hour / daily mean", r.none().cpuPeakToAverage(), r.ours().cpuPeakToAverage(), "%.2f");
        sb.append(String.format(Locale.ROOT, "%-46s %16s %16s%n", "production deadline misses",
                misses(r.none()), misses(r.ours())));
        row(sb, "development GPU jobs: queueing p50 (s)", r.none().devDelay().p50(), r.ours().devDelay().p50(), "%.0f");
        row(sb, "development GPU jobs: queueing p95 (s)", r.none().devDelay().p95(), r.ours().devDelay().p95(), "%.0f");
        row(sb, "small tasks: queueing p95 (s)", r.none().smallDelay().p95(), r.ours().smallDelay().p95(), "%.0f");
        row(sb, "jobs completed per day", r.none().completedPerDay(), r.ours().completedPerDay(), "%.0f");
        row(sb, "mean GPU allocation (%)", 100 * mean(r.none().gpuByHour()), 100 * mean(r.ours().gpuByHour()), "%.1f");
        row(sb, "evictions: closing window", r.none().closingEvictions(), r.ours().closingEvictions(), "%.0f");
        row(sb, "evictions: elastic reclaim", r.none().stats().evictions(), r.ours().stats().evictions(), "%.0f");
        row(sb, "GPU-hours lost to evictions", r.none().metrics().wastedGpuHours(), r.ours().metrics().wastedGpuHours(),
                "%.1f");
        sb.append(String.format(Locale.ROOT, "(wall %.1f s)%n", r.wallNanos() / 1e9));
        return sb.toString();
    }

    static String misses(Run run) {
        return String.format(Locale.ROOT, "%d/%d (%.1f %%)", run.prodMissed(), run.prodDue(), 100 * run.prodMissRate());
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static void row(StringBuilder sb, String name, double a, double b, String fmt) {
        sb.append(String.format(Locale.ROOT, "%-46s %16s %16s%n", name, String.format(Locale.ROOT, fmt, a),
                String.format(Locale.ROOT, fmt, b)));
    }

    public static List<Path> write(Result r, Path dir) throws IOException {
        Files.createDirectories(dir);
        DayChart chart = new DayChart("GPU allocation and CPU in use over the day (mean of " + r.spec().work().days()
                + " days)")
                .add("no staggering: GPU", r.none().gpuByHour())
                .add("ours: GPU", r.ours().gpuByHour())
                .add("no staggering: CPU", r.none().cpuByHour())
                .add("ours: CPU", r.ours().cpuByHour())
                .add("online CPU use", OvercommitExperiment.hourly(r.ours().stats().samples(),
                        x -> x.onlineUsedCpu() / (double) x.cpuCapacity()));
        Path svg = dir.resolve("stagger-day.svg");
        Path csv = dir.resolve("stagger-day.csv");
        chart.write(svg, csv);
        Path txt = dir.resolve("stagger.txt");
        Files.writeString(txt, table(r));
        return List.of(txt, svg, csv);
    }
}
