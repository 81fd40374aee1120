package io.kubeai.cli;

import io.kubeai.core.cluster.Node;
import io.kubeai.core.config.SchedulingPolicy;
import io.kubeai.core.cycle.CycleConfig;
import io.kubeai.core.placement.PlacementPolicies;
import io.kubeai.core.queue.QueueSpec;
import io.kubeai.core.queue.QueueTree;
import io.kubeai.kube.PolicyFile;
import io.kubeai.simulator.jobs.JobSpec;
import io.kubeai.simulator.jobs.metrics.JobMetrics;
import io.kubeai.simulator.jobs.report.JobReport;
import io.kubeai.simulator.jobs.scheduler.JobSchedulers;
import io.kubeai.simulator.jobs.sim.JobComparison;
import io.kubeai.simulator.jobs.sim.JobScheduler;
import io.kubeai.simulator.jobs.sim.JobSimulationConfig;
import io.kubeai.simulator.jobs.trace.ClusterShapes;
import io.kubeai.simulator.jobs.trace.GeneratorSpec;
import io.kubeai.simulator.jobs.trace.JobTraceGenerator;
import io.kubeai.simulator.jobs.trace.JobTraces;
import io.kubeai.simulator.jobs.trace.QueuesFile;
import io.kubeai.simulator.trace.OpenbTrace;
import io.kubeai.simulator.trace.TraceSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kubeai simulate jobs}: a job trace (read, or generated) through kubeai's scheduling cycle
 * and the three baselines, side by side: a summary and a timing table on stdout, per-job CSV, and
 * an HTML report with charts over time and percentile tables.
 */
@Command(name = "jobs",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Replay jobs (gangs of pods with queues, tiers and priorities) through kubeai and the baselines "
                    + "kube-default, kueue-like and volcano-like, side by side.",
            "Without options: a generated trace of 5,000 jobs at 90 %% GPU load on 200 nodes shaped like "
                    + "Alibaba's openb GPU nodes, 12 team queues with Helios-sized guarantees, all four schedulers."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the simulation ran and its reports were written",
            "1:a file or value was refused (the message says which, and where)",
            "2:bad usage (unknown option, missing or malformed value)"})
public final class SimulateJobsCommand implements Callable<Integer> {
    static final int DEFAULT_JOBS = 5_000;
    static final int DEFAULT_NODES = 200;

    /** Where the jobs come from. */
    static final class Source {
        @Option(names = "--trace", paramLabel = "FILE",
                description = "Job trace, .csv or .jsonl (fields: job_id, submit_time, duration, queue, tier, priority, "
                        + "pods, cpu_milli, memory_mib, num_gpu, gpu_milli[, gpu_spec]).")
        Path trace;

        @Option(names = "--generate", paramLabel = "N",
                description = "Generate N jobs calibrated on Philly run times, Helios team quotas and openb pod "
                        + "shapes (default when no --trace: " + DEFAULT_JOBS + ").")
        Integer generate;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Source source = new Source();

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42",
            description = "Seed of the generated trace and of the run's tie-breaks (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--load", paramLabel = "RATIO", defaultValue = "0.9",
            description = "Generated trace: offered GPU load as a fraction of the cluster's GPUs (default: ${DEFAULT-VALUE}).")
    double load;

    @Option(names = "--teams", paramLabel = "N", defaultValue = "12",
            description = "Generated trace: team queues, the N largest Helios VCs, 1..18 (default: ${DEFAULT-VALUE}).")
    int teams;

    @Option(names = "--prod-share", paramLabel = "F", defaultValue = "0.3",
            description = "Generated trace: share of prod jobs (priority 100; dev jobs 0) (default: ${DEFAULT-VALUE}).")
    double prodShare;

    @Option(names = "--max-duration", paramLabel = "SECONDS", defaultValue = "0",
            description = "Generated trace: clip Philly run times to this (default: no clipping).")
    long maxDuration;

    @Option(names = "--write-trace", paramLabel = "FILE",
            description = "Also write the jobs simulated (.csv or .jsonl), so the run can be repeated with --trace.")
    Path writeTrace;

    /** The cluster. */
    static final class Cluster {
        @Option(names = "--nodes", paramLabel = "FILE",
                description = "Node list CSV, openb format: sn,cpu_milli,memory_mib,gpu,model.")
        Path nodes;

        @Option(names = "--node-count", paramLabel = "N",
                description = "N nodes with the shapes of --node-shapes in their proportions (default: " + DEFAULT_NODES
                        + ").")
        Integer nodeCount;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Cluster cluster = new Cluster();

    @Option(names = "--node-shapes", paramLabel = "SOURCE", defaultValue = "OPENB_GPU",
            description = "Shapes for --node-count: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    ClusterShapes.NodeSource nodeShapes;

    @Option(names = "--queues", paramLabel = "FILE",
            description = "Queues YAML: a mapping with a queues list (name, parent, min, max, weight, borrowingLimit, "
                    + "lendingLimit, priority, queueing, as in the policy file), or Queue objects "
                    + "(scheduling.kubeai.io/v1alpha1). Default: the generator's team queues, or for a --trace one "
                    + "queue per name with an equal share of the cluster.")
    Path queues;

    @Option(names = {"--policies", "--schedulers"}, split = ",", paramLabel = "LIST",
            defaultValue = "kubeai,kube-default,kueue-like,volcano-like",
            description = "Schedulers to compare, comma-separated (default: ${DEFAULT-VALUE}).")
    List<String> schedulers;

    @Option(names = "--policy", paramLabel = "FILE",
            description = "SchedulingPolicy YAML for kubeai's cycle (queueing, preemption) and the default placement.")
    Path policy;

    @Option(names = "--placement", paramLabel = "POLICY",
            description = "Placement of every scheduler's pods: Random, DotProd, GpuClustering, GpuPacking, BestFit, FGD "
                    + "(default: the policy file's, else BestFit).")
    String placement;

    @Option(names = "--cycle-interval", paramLabel = "SECONDS", defaultValue = "10",
            description = "Least simulated time between two scheduling cycles (default: ${DEFAULT-VALUE}).")
    long cycleInterval;

    @Option(names = "--sample-interval", paramLabel = "SECONDS", defaultValue = "300",
            description = "Simulated time between samples of the charts (default: ${DEFAULT-VALUE}).")
    long sampleInterval;

    @Option(names = "--job-timeout", paramLabel = "SECONDS", defaultValue = "0",
            description = "A job that waits this long fails (kubeai only; default: never).")
    long jobTimeout;

    @Option(names = "--horizon", paramLabel = "SECONDS", defaultValue = "0",
            description = "Stop at this simulated time (default: when nothing more can happen).")
    long horizon;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "Schedulers simulated in parallel (default: one per core).")
    int threads;

    @Option(names = "--csv", paramLabel = "FILE", description = "Write one row per scheduler and job.")
    Path csv;

    @Option(names = "--html", paramLabel = "FILE", defaultValue = "jobs-report.html",
            description = "Write the self-contained HTML report here (default: ${DEFAULT-VALUE}).")
    Path html;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<JobScheduler.Factory> factories = JobSchedulers.factories(distinct(schedulers));
        checkRanges();
        SchedulingPolicy policyFile = policy == null ? SchedulingPolicy.DEFAULT : PolicyFile.load(policy);
        String placementName = PlacementPolicies.canonicalName(placement != null ? placement
                : policyFile.placementPolicy());

        List<Node> nodes = nodes();
        int clusterGpus = ClusterShapes.gpus(nodes);
        List<JobSpec> jobs;
        List<QueueSpec> queueSpecs;
        String trace;
        if (source.trace != null) {
            jobs = JobTraces.read(TraceSource.file(source.trace));
            trace = source.trace.toString();
            queueSpecs = queues != null ? QueuesFile.read(queues) : QueuesFile.equalShares(queueNames(jobs),
                    ClusterShapes.capacity(nodes));
        } else {
            int n = source.generate != null ? source.generate : DEFAULT_JOBS;
            if (clusterGpus == 0) {
                throw new IllegalArgumentException("the cluster has no GPUs; generated jobs need GPUs (give --trace)");
            }
            GeneratorSpec g = GeneratorSpec.defaults().withJobs(n).withSeed(seed).withClusterGpus(clusterGpus)
                    .withTargetLoad(load).withQueues(teams).withProdShare(prodShare).withMaxDurationSeconds(maxDuration);
            err.printf(Locale.ROOT, "Generating %,d jobs (seed %d, load %.2f on %,d GPUs)...%n", n, seed, load,
                    clusterGpus);
            err.flush();
            jobs = JobTraceGenerator.generate(g);
            trace = String.format(Locale.ROOT, "generated: %,d jobs, seed %d, load %.2f, %d teams", n, seed, load,
                    teams);
            queueSpecs = queues != null ? QueuesFile.read(queues)
                    : JobTraceGenerator.queuesFor(g, ClusterShapes.capacity(nodes));
        }
        checkQueues(jobs, queueSpecs);
        if (writeTrace != null) {
            writeTrace(jobs);
        }
        if (jobs.isEmpty()) {
            throw new IllegalArgumentException("the trace " + trace + " has no jobs");
        }

        CycleConfig cycle = policyFile.cycle();
        JobSimulationConfig config = JobSimulationConfig.DEFAULT.withPlacementPolicy(placementName).withSeed(seed)
                .withCycleInterval(cycleInterval).withSampleInterval(sampleInterval).withJobTimeout(jobTimeout)
                .withHorizon(horizon).withKubeAiCycle(cycle);
        JobComparison.Spec run = new JobComparison.Spec(jobs, nodes, queueSpecs, factories, config, threads);
        err.printf(Locale.ROOT, "Simulating %,d jobs on %,d nodes (%,d GPUs), %d queues: %s on %d thread(s)%n",
                jobs.size(), nodes.size(), clusterGpus, queueSpecs.size(), String.join(", ", distinct(schedulers)),
                Math.min(threads > 0 ? threads : Runtime.getRuntime().availableProcessors(), factories.size()));
        err.flush();
        long start = System.nanoTime();
        JobComparison.Result result = JobComparison.run(run, new JobComparison.Progress() {
            long lastReport = start;

            @Override
            public void finished(JobMetrics m, int done, int total) {
                err.printf(Locale.ROOT, "[%d/%d] %s: %,d done, %,d unfinished, %,d evictions (%.1f s)%n", done, total,
                        m.scheduler(), m.jobsDone(), m.jobsUnfinished(), m.evictions(),
                        (System.nanoTime() - start) / 1e9);
                err.flush();
            }

            @Override
            public void running(String scheduler, long simulatedSeconds, int arrived, int jobs) {
                long t = System.nanoTime();
                if (t - lastReport >= 10_000_000_000L) {
                    lastReport = t;
                    err.printf(Locale.ROOT, "  %s: day %.1f simulated, %,d of %,d jobs submitted (%.0f s)%n", scheduler,
                            simulatedSeconds / 86_400.0, arrived, jobs, (t - start) / 1e9);
                    err.flush();
                }
            }
        });

        out.print(JobReport.summaryTable(result.runs()));
        out.println();
        out.print(timingTable(result.runs()));
        String environment = environment(result, jobs.size(), nodes.size(), clusterGpus, trace, placementName);
        out.println();
        out.println(environment);
        if (csv != null) {
            JobReport.writeCsv(csv, result.runs());
            out.println("CSV:  " + csv.toAbsolutePath());
        }
        if (html != null) {
            JobReport.writeHtml(html, result.runs(), commandLine(), environment);
            out.println("HTML: " + html.toAbsolutePath());
        }
        out.flush();
        return 0;
    }

    private void checkRanges() {
        List<String> bad = new ArrayList<>();
        if (source.generate != null && source.generate < 1) {
            bad.add("--generate must be at least 1, was " + source.generate);
        }
        if (!(load > 0) || load > 10) {
            bad.add("--load must be within (0, 10], was " + load);
        }
        if (teams < 1) {
            bad.add("--teams must be at least 1, was " + teams);
        }
        if (!(prodShare >= 0 && prodShare <= 1)) {
            bad.add("--prod-share must be within 0..1, was " + prodShare);
        }
        if (cluster.nodeCount != null && cluster.nodeCount < 1) {
            bad.add("--node-count must be at least 1, was " + cluster.nodeCount);
        }
        if (cycleInterval < 0) {
            bad.add("--cycle-interval must not be negative, was " + cycleInterval);
        }
        if (sampleInterval < 1) {
            bad.add("--sample-interval must be at least 1, was " + sampleInterval);
        }
        for (Map.Entry<String, Long> e : Map.of("--max-duration", maxDuration, "--job-timeout", jobTimeout,
                "--horizon", horizon).entrySet()) {
            if (e.getValue() < 0) {
                bad.add(e.getKey() + " must not be negative, was " + e.getValue());
            }
        }
        if (threads < 0) {
            bad.add("--threads must not be negative, was " + threads);
        }
        if (!bad.isEmpty()) {
            bad.sort(null);
            throw new CommandLine.ParameterException(spec.commandLine(), String.join("; ", bad));
        }
    }

    private List<Node> nodes() {
        if (cluster.nodes != null) {
            List<Node> list = OpenbTrace.readNodes(TraceSource.file(cluster.nodes));
            if (list.isEmpty()) {
                throw new IllegalArgumentException(cluster.nodes + ": no nodes");
            }
            return list;
        }
        return ClusterShapes.nodes(cluster.nodeCount != null ? cluster.nodeCount : DEFAULT_NODES, seed, nodeShapes);
    }

    /** Every job's queue must be a leaf of the tree; refused up front, naming the jobs and the queues. */
    private void checkQueues(List<JobSpec> jobs, List<QueueSpec> specs) {
        QueueTree tree = QueueTree.of(specs);
        Map<String, Integer> unknown = new java.util.TreeMap<>();
        Map<String, String> example = new java.util.HashMap<>();
        Set<String> parents = new TreeSet<>();
        for (JobSpec j : jobs) {
            var q = tree.indexOf(j.queue());
            if (q.isEmpty()) {
                unknown.merge(j.queue(), 1, Integer::sum);
                example.putIfAbsent(j.queue(), j.id());
            } else if (!tree.isLeaf(q.get())) {
                parents.add(j.queue());
                example.putIfAbsent(j.queue(), j.id());
            }
        }
        if (unknown.isEmpty() && parents.isEmpty()) {
            return;
        }
        String from = queues != null ? "--queues " + queues : "the default queues";
        List<String> parts = new ArrayList<>();
        unknown.forEach((q, n) -> parts.add("queue " + q + " (" + n + " job" + (n == 1 ? "" : "s") + ", first "
                + example.get(q) + ") is not in " + from));
        for (String q : parents) {
            parts.add("queue " + q + " (job " + example.get(q) + ") has child queues in " + from
                    + "; jobs go to leaf queues");
        }
        throw new IllegalArgumentException(String.join("; ", parts) + "; queues are " + tree.names());
    }

    private static List<String> queueNames(List<JobSpec> jobs) {
        TreeSet<String> names = new TreeSet<>();
        for (JobSpec j : jobs) {
            names.add(j.queue());
        }
        return List.copyOf(names);
    }

    private void writeTrace(List<JobSpec> jobs) {
        String name = writeTrace.getFileName().toString().toLowerCase(Locale.ROOT);
        try {
            if (name.endsWith(".jsonl")) {
                JobTraces.writeJsonLines(jobs, writeTrace);
            } else if (name.endsWith(".csv")) {
                JobTraces.writeCsv(jobs, writeTrace);
            } else {
                throw new IllegalArgumentException("--write-trace " + writeTrace + ": the name must end in .csv or .jsonl");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + writeTrace + ": " + e.getMessage(), e);
        }
    }

    private static List<String> distinct(List<String> names) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String n : names) {
            out.add(JobSchedulers.factory(n).name());
        }
        return List.copyOf(out);
    }

    /** Per scheduler: what its run cost, from the simulator's own clocks. */
    static String timingTable(List<JobMetrics> runs) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-13s %9s %10s %9s %12s %13s %11s %11s%n", "timing", "run s",
                "cycle CPU s", "cycles", "µs/cycle", "longest ms", "pending then", "most pending"));
        for (JobMetrics m : runs) {
            JobMetrics.CycleCost c = m.cycleCost();
            sb.append(String.format(Locale.ROOT, "%-13s %9.1f %10.2f %9d %12.0f %13.1f %11d %11d%n", m.scheduler(),
                    m.wallNanos() / 1e9, c.cpuNanos() / 1e9, m.cycles(),
                    m.cycles() == 0 ? 0.0 : c.cpuNanos() / 1e3 / m.cycles(), c.longestCpuNanos() / 1e6,
                    c.pendingAtLongest(), c.mostPending()));
        }
        return sb.toString();
    }

    private static String environment(JobComparison.Result r, int jobs, int nodes, int gpus, String trace,
            String placement) {
        long gcCount = 0;
        long gcMillis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcCount += Math.max(0, gc.getCollectionCount());
            gcMillis += Math.max(0, gc.getCollectionTime());
        }
        return String.format(Locale.ROOT,
                "%,d jobs (%s) on %,d nodes / %,d GPUs, placement %s; %d run(s) in %.1f s wall on %d thread(s) "
                        + "(%d cores); peak heap used %.0f MiB of %.0f MiB max; GC %d collections, %.1f s; Java %s",
                jobs, trace, nodes, gpus, placement, r.runs().size(), r.wallNanos() / 1e9, r.threads(),
                Runtime.getRuntime().availableProcessors(), FgdRunner.peakHeapMiB(),
                Runtime.getRuntime().maxMemory() / 1048576.0, gcCount, gcMillis / 1000.0, System.getProperty("java.version"));
    }

    private String commandLine() {
        // The parse result of a subcommand holds the whole command line, from "simulate" on.
        return "kubeai " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
    }
}
