package io.kubeai.simulator.jobs.online;

import io.kubeai.core.cluster.Node;
import io.kubeai.core.config.ElasticPolicy;
import io.kubeai.core.config.WebhookPolicy;
import io.kubeai.core.queue.QueueSpec;
import io.kubeai.simulator.jobs.JobSpec;
import io.kubeai.simulator.jobs.metrics.JobMetrics;
import io.kubeai.simulator.jobs.metrics.JobRecord;
import io.kubeai.simulator.jobs.metrics.Percentiles;
import io.kubeai.simulator.jobs.scheduler.SchedulerKubeAi;
import io.kubeai.simulator.jobs.scheduler.Staggering;
import io.kubeai.simulator.jobs.sim.JobSimulation;
import io.kubeai.simulator.jobs.sim.JobSimulationConfig;
import io.kubeai.simulator.jobs.trace.ClusterShapes;
import io.kubeai.simulator.jobs.trace.GeneratorSpec;
import io.kubeai.simulator.jobs.trace.JobTraceGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * Overcommit off against on, in one run, on the same cluster and the same work: online services
 * ({@link OnlineLoad}) on every node, the generator's batch trace (GPU jobs and large CPU jobs on
 * regular capacity) and {@link SmallTasks}. With overcommit on, the webhook's rule
 * ({@link ElasticSteering}) moves the small tasks to elastic resources and {@link ElasticAgent}
 * publishes and reclaims elastic capacity each interval with core's elastic code; off, the same
 * tasks ask for regular CPU and memory beside everything else. Both run the kubeai scheduler,
 * in parallel. Deterministic for a spec.
 */
public final class OvercommitExperiment {
    private OvercommitExperiment() {
    }

    /**
     * @param nodes nodes of the openb GPU node shapes
     * @param batchLoad the batch trace's offered GPU load
     * @param smallPerDay small tasks a day on average
     */
    public record Spec(int nodes, int days, long seed, double batchLoad, int smallPerDay, OnlineLoad online,
            ElasticPolicy elastic, WebhookPolicy.Elastic webhook, int threads) {
        public Spec {
            if (nodes < 1 || days < 1) {
                throw new IllegalArgumentException("nodes and days must be at least 1, were " + nodes + " and " + days);
            }
            if (!(batchLoad > 0)) {
                throw new IllegalArgumentException("batchLoad must be above 0, was " + batchLoad);
            }
        }

        /** 20 nodes, 2 days, seed 42, batch at 60 % GPU load, 8,000 small tasks a day, the defaults of everything else. */
        public static Spec defaults() {
            return new Spec(20, 2, 42, 0.6, 8000, OnlineLoad.defaults(), enabled(ElasticPolicy.DEFAULT),
                    WebhookPolicy.ELASTIC_DEFAULT, BatchWork.cores());
        }

        public Spec withNodes(int n) {
            return new Spec(n, days, seed, batchLoad, smallPerDay, online, elastic, webhook, threads);
        }

        public Spec withDays(int d) {
            return new Spec(nodes, d, seed, batchLoad, smallPerDay, online, elastic, webhook, threads);
        }

        public Spec withSeed(long s) {
            return new Spec(nodes, days, s, batchLoad, smallPerDay, online, elastic, webhook, threads);
        }

        public Spec withBatchLoad(double l) {
            return new Spec(nodes, days, seed, l, smallPerDay, online, elastic, webhook, threads);
        }

        public Spec withSmallPerDay(int n) {
            return new Spec(nodes, days, seed, batchLoad, n, online, elastic, webhook, threads);
        }

        public Spec withOnline(OnlineLoad o) {
            return new Spec(nodes, days, seed, batchLoad, smallPerDay, o, elastic, webhook, threads);
        }

        public Spec withElastic(ElasticPolicy e) {
            return new Spec(nodes, days, seed, batchLoad, smallPerDay, online, e, webhook, threads);
        }

        public Spec withThreads(int t) {
            return new Spec(nodes, days, seed, batchLoad, smallPerDay, online, elastic, webhook, t);
        }
    }

    /** The elastic section as given, switched on. */
    public static ElasticPolicy enabled(ElasticPolicy p) {
        return new ElasticPolicy(true, p.intervalSeconds(), p.cpuReclaimThresholdPercent(),
                p.memoryReclaimThresholdPercent(), p.memoryPolicy(), p.metricsMaxAgeSeconds(), p.hysteresisPercent(),
                p.maxStepPercent(), p.reclaim(), p.resources(), p.lendIdleGpus(), p.idleGpu(), p.gpuTelemetry());
    }

    /** The same work for both runs. */
    public record Workload(List<Node> nodes, List<JobSpec> batch, List<JobSpec> small, GeneratorSpec generator) {
        public List<JobSpec> all() {
            List<JobSpec> all = new ArrayList<>(batch);
            all.addAll(small);
            all.sort(io.kubeai.simulator.jobs.trace.JobTraces.SUBMIT_ORDER);
            return all;
        }
    }

    /**
     * One run.
     *
     * @param smallDone small tasks completed within the horizon
     * @param batchDone batch jobs completed within it
     * @param smallDelay queueing delay of the small tasks (those never started count their wait)
     * @param doneGpuHours GPU-hours of the jobs completed within the horizon (their requests × run time)
     * @param doneCpuHours CPU core-hours of the same, regular and elastic
     */
    public record Run(String label, JobMetrics metrics, ElasticAgent.Stats stats, int smallDone, int batchDone,
            Percentiles smallDelay, double doneGpuHours, double doneCpuHours) {
    }

    public record Result(Spec spec, Workload workload, Run off, Run on, long wallNanos) {
    }

    public static Workload workload(Spec spec) {
        List<Node> nodes = ClusterShapes.nodes(spec.nodes(), spec.seed());
        GeneratorSpec g = GeneratorSpec.defaults().withSeed(spec.seed()).withJobs(Math.max(200, spec.nodes() * 40))
                .withClusterGpus(ClusterShapes.gpus(nodes)).withTargetLoad(spec.batchLoad());
        List<JobSpec> batch = BatchWork.overDays(g, spec.days());
        List<String> queues = JobTraceGenerator.teams(g).stream().map(JobTraceGenerator.Team::queue).toList();
        List<JobSpec> small = new SmallTasks(spec.smallPerDay(), spec.days(), spec.seed() + 1,
                DiurnalCurve.openbBestEffort(), 0.3, 30, 3600, queues, g.devPriority()).generate();
        return new Workload(nodes, batch, small, g);
    }

    public static Result run(Spec spec) {
        long t0 = System.nanoTime();
        Workload w = workload(spec);
        List<Callable<Run>> runs = List.of(() -> runOne(spec, w, false), () -> runOne(spec, w, true));
        List<Run> out = BatchWork.parallel(runs, spec.threads());
        return new Result(spec, w, out.get(0), out.get(1), System.nanoTime() - t0);
    }

    /** One run, overcommit off or on. */
    public static Run runOne(Spec spec, Workload w, boolean overcommit) {
        List<Node> nodes = overcommit ? ElasticAgent.withElasticAllocatable(w.nodes(), spec.elastic().resources())
                : w.nodes();
        List<JobSpec> jobs = overcommit ? ElasticSteering.steer(w.all(), spec.webhook()) : w.all();
        List<QueueSpec> queues = JobTraceGenerator.queuesFor(w.generator(), ClusterShapes.capacity(nodes));
        JobSimulationConfig config = JobSimulationConfig.DEFAULT.withSeed(spec.seed())
                .withHorizon(spec.days() * DiurnalCurve.DAY_SECONDS).withSampleInterval(600);
        ElasticAgent agent = new ElasticAgent(spec.online(), spec.elastic(), overcommit);
        JobSimulation sim = new JobSimulation(jobs, nodes, queues, SchedulerKubeAi.factory(Staggering.NONE), config,
                List.of(agent));
        JobMetrics m = sim.run();
        int small = 0;
        int batch = 0;
        double gpuHours = 0;
        double cpuHours = 0;
        java.util.Map<String, JobSpec> byId = new java.util.HashMap<>();
        jobs.forEach(j -> byId.put(j.id(), j));
        List<Long> delays = new ArrayList<>();
        for (JobRecord r : m.jobs()) {
            boolean isSmall = r.id().startsWith(SmallTasks.ID_PREFIX);
            if (r.outcome() == JobRecord.Outcome.DONE) {
                JobSpec j = byId.get(r.id());
                gpuHours += j.gpuSeconds() / 3600;
                cpuHours += j.cpuSeconds(spec.elastic().resources().cpu()) / 3600;
                if (isSmall) {
                    small++;
                } else {
                    batch++;
                }
            }
            if (isSmall) {
                delays.add(r.queueingDelaySeconds());
            }
        }
        return new Run(overcommit ? "overcommit on" : "overcommit off", m, agent.stats(), small, batch,
                Percentiles.of(delays.stream().mapToLong(Long::longValue).toArray()), gpuHours, cpuHours);
    }

    /** Per hour of day, averaged over the days: a share of the cluster. */
    public static double[] hourly(List<ElasticAgent.Sample> samples, java.util.function.ToDoubleFunction<ElasticAgent.Sample> f) {
        double[] sum = new double[24];
        int[] n = new int[24];
        for (ElasticAgent.Sample s : samples) {
            int h = (int) (Math.floorMod(s.seconds(), DiurnalCurve.DAY_SECONDS) / 3600);
            sum[h] += f.applyAsDouble(s);
            n[h]++;
        }
        for (int h = 0; h < 24; h++) {
            sum[h] = n[h] == 0 ? 0 : sum[h] / n[h];
        }
        return sum;
    }

    /** The side-by-side table. */
    public static String table(Result r) {
        Spec s = r.spec();
        double days = s.days();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%d nodes (%d GPUs), %d days, seed %d: %d batch jobs (GPU load %.0f %%),"
                + " %d small tasks; online services reserve %.0f %% of each node and use %.0f..%.0f %% of it%n",
                s.nodes(), ClusterShapes.gpus(r.workload().nodes()), s.days(), s.seed(), r.workload().batch().size(),
                s.batchLoad() * 100, r.workload().small().size(), s.online().reservedShare() * 100,
                s.online().troughUsage() * 100, s.online().peakUsage() * 100));
        sb.append(String.format(Locale.ROOT, "%-44s %16s %16s %12s%n", "", r.off().label(), r.on().label(), "on − off"));
        row(sb, "jobs completed per day", r.off().metrics().jobsDone() / days, r.on().metrics().jobsDone() / days, "%.0f");
        row(sb, "  small tasks completed per day", r.off().smallDone() / days, r.on().smallDone() / days, "%.0f");
        row(sb, "  batch jobs completed per day", r.off().batchDone() / days, r.on().batchDone() / days, "%.0f");
        row(sb, "GPU-hours of completed jobs per day", r.off().doneGpuHours() / days, r.on().doneGpuHours() / days,
                "%.0f");
        row(sb, "CPU core-hours of completed jobs per day", r.off().doneCpuHours() / days, r.on().doneCpuHours() / days,
                "%.0f");
        row(sb, "small-task queueing delay p50 (s)", r.off().smallDelay().p50(), r.on().smallDelay().p50(), "%.0f");
        row(sb, "small-task queueing delay p95 (s)", r.off().smallDelay().p95(), r.on().smallDelay().p95(), "%.0f");
        row(sb, "elastic evictions", r.off().stats().evictions(), r.on().stats().evictions(), "%.0f");
        row(sb, "  most in one interval (budget " + s.elastic().reclaim().maxEvictionsPerInterval() + ")",
                r.off().stats().maxEvictionsInOneInterval(), r.on().stats().maxEvictionsInOneInterval(), "%.0f");
        row(sb, "GPU-hours lost to elastic eviction", r.off().stats().lostGpuSeconds() / 3600,
                r.on().stats().lostGpuSeconds() / 3600, "%.1f");
        row(sb, "CPU core-hours lost to elastic eviction", r.off().stats().lostCpuSeconds() / 3600,
                r.on().stats().lostCpuSeconds() / 3600, "%.1f");
        row(sb, "mean GPU allocation (%)", 100 * r.off().metrics().meanAllocationWholeRun(),
                100 * r.on().metrics().meanAllocationWholeRun(), "%.1f");
        row(sb, "mean CPU in use, all pods (%)", 100 * meanCpuInUse(r.off()), 100 * meanCpuInUse(r.on()), "%.1f");
        row(sb, "highest node CPU in use (%)", 100 * r.off().stats().maxPhysicalCpuShare(),
                100 * r.on().stats().maxPhysicalCpuShare(), "%.1f");
        row(sb, "highest node memory in use (%)", 100 * r.off().stats().maxPhysicalMemoryShare(),
                100 * r.on().stats().maxPhysicalMemoryShare(), "%.1f");
        sb.append(String.format(Locale.ROOT, "(wall %.1f s)%n", r.wallNanos() / 1e9));
        return sb.toString();
    }

    /** Online use + regular job requests + elastic job requests, over CPU capacity, averaged over the samples. */
    public static double meanCpuInUse(Run run) {
        return run.stats().samples().stream().mapToDouble(x -> (x.onlineUsedCpu() + x.regularJobCpu() + x.elasticHeldCpu())
                / (double) x.cpuCapacity()).average().orElse(Double.NaN);
    }

    private static void row(StringBuilder sb, String name, double off, double on, String fmt) {
        sb.append(String.format(Locale.ROOT, "%-44s %16s %16s %12s%n", name, String.format(Locale.ROOT, fmt, off),
                String.format(Locale.ROOT, fmt, on), String.format(Locale.ROOT, "%+" + fmt.substring(1), on - off)));
    }

    /** The allocation-over-the-day chart (SVG and CSV) and the table, into {@code dir}. */
    public static List<Path> write(Result r, Path dir) throws IOException {
        Files.createDirectories(dir);
        DayChart chart = new DayChart("Cluster over the day, overcommit off vs on (mean of " + r.spec().days() + " days)")
                .add("online use (CPU)", hourly(r.on().stats().samples(), x -> x.onlineUsedCpu() / (double) x.cpuCapacity()))
                .add("off: jobs' CPU", hourly(r.off().stats().samples(), x -> x.regularJobCpu() / (double) x.cpuCapacity()))
                .add("on: jobs' regular CPU", hourly(r.on().stats().samples(), x -> x.regularJobCpu() / (double) x.cpuCapacity()))
                .add("on: elastic CPU held", hourly(r.on().stats().samples(), x -> x.elasticHeldCpu() / (double) x.cpuCapacity()))
                .add("on: elastic CPU lent", hourly(r.on().stats().samples(),
                        x -> x.elasticPublishedCpu() / (double) x.cpuCapacity()))
                .add("off: GPU allocation", hourly(r.off().stats().samples(),
                        x -> x.gpuAllocatedMillis() / (double) x.gpuTotalMillis()))
                .add("on: GPU allocation", hourly(r.on().stats().samples(),
                        x -> x.gpuAllocatedMillis() / (double) x.gpuTotalMillis()));
        Path svg = dir.resolve("overcommit-day.svg");
        Path csv = dir.resolve("overcommit-day.csv");
        chart.write(svg, csv);
        Path txt = dir.resolve("overcommit.txt");
        Files.writeString(txt, table(r));
        return List.of(txt, svg, csv);
    }
}
