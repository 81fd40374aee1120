package io.kubeai.cli;

import io.kubeai.core.config.ConfigValidationException;
import io.kubeai.core.config.SchedulingPolicy;
import io.kubeai.core.config.ValidationError;
import io.kubeai.core.queue.QueueSpec;
import io.kubeai.simulator.jobs.JobSpec;
import io.kubeai.simulator.jobs.sim.JobSimulationConfig;
import io.kubeai.simulator.jobs.trace.JobTraces;
import io.kubeai.simulator.trace.TraceSource;
import io.kubeai.simulator.tune.Constraint;
import io.kubeai.simulator.tune.PolicyTrees;
import io.kubeai.simulator.tune.SearchSettings;
import io.kubeai.simulator.tune.StaggerWorkload;
import io.kubeai.simulator.tune.TuneMetric;
import io.kubeai.simulator.tune.TuneReport;
import io.kubeai.simulator.tune.TuneResult;
import io.kubeai.simulator.tune.TuneResultFile;
import io.kubeai.simulator.tune.TuneRunner;
import io.kubeai.simulator.tune.TuneScenario;
import io.kubeai.simulator.tune.TuneSpace;
import io.kubeai.simulator.tune.TuneWorkloads;
import io.kubeai.simulator.tune.Tuner;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kubeai simulate tune}: searches a space of {@code SchedulingPolicy} values on a job
 * trace with the job simulator, and writes the Pareto frontier, the recommended policy file and
 * its comparison with the current policy. The same command runs one shard of the search (by
 * index, as a Kubernetes Indexed Job does), merges shard results ({@code --collect}), and writes
 * the Indexed Job that runs the shards on a cluster ({@code --emit-job}).
 */
@Command(name = "tune",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Tune the scheduling policy on a job trace: every configuration the search chooses from --space runs "
                    + "through the job simulator with every seed, on every core. Writes into --out the Pareto "
                    + "frontier (tune-report.html, configurations.csv), the recommended configuration as a ready "
                    + "SchedulingPolicy (recommended-policy.yaml) with its gain over the current policy per seed, "
                    + "and tune-result.json.",
            "Shards: --shards N --shard-index I runs configurations I, I+N, I+2N… (the index defaults to "
                    + "$JOB_COMPLETION_INDEX); --collect DIR merges the shard-I-of-N.json files into the same report; "
                    + "--emit-job writes the Kubernetes Indexed Job that runs the shards."
        })
public final class SimulateTuneCommand implements Callable<Integer> {
    static final String CONFIG_MOUNT = "/etc/kubeai-tune";
    static final String TRACE_MOUNT = "/trace";
    static final String RESULTS_MOUNT = "/results";

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Source source;

    static final class Source {
        @Option(names = "--trace", paramLabel = "FILE", required = true,
                description = "Job trace to replay (.csv or .jsonl, as written by 'kubeai simulate jobs').")
        Path trace;

        @Option(names = "--generate", required = true,
                description = "Replay a generated trace (see --jobs, --load, --queues, --trace-seed).")
        boolean generate;

        @Option(names = "--collect", paramLabel = "DIR", required = true,
                description = "Merge the shard-I-of-N.json files in DIR into one report (nothing is simulated).")
        Path collect;
    }

    @Option(names = "--space", paramLabel = "FILE", description = "The TuningSpace YAML: knobs, objectives, "
            + "constraints, search, seeds.")
    Path space;

    @Option(names = "--scenario", paramLabel = "NAME", defaultValue = "jobs", description = "What each configuration "
            + "runs: jobs (a job trace through the job simulator; needs --trace or --generate) or stagger (the "
            + "staggering scenario's 'ours' run: production periodic work with deadlines, development bursts, small "
            + "tasks on elastic capacity, online services; see --nodes, --days). Default: ${DEFAULT-VALUE}.")
    String scenario;

    @Option(names = "--days", defaultValue = "1", description = "--scenario stagger: days of submissions (the run "
            + "lasts 8 h more) (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--policy", paramLabel = "FILE",
            description = "The current SchedulingPolicy (configuration 0, and the base of every other); "
                    + "default: the built-in defaults.")
    Path policy;

    @Option(names = "--objective", paramLabel = "METRIC",
            description = "Replaces the space's objectives (repeatable), e.g. gpuAllocation, queueingDelayP95.prod.")
    List<String> objectives = new ArrayList<>();

    @Option(names = "--constraint", paramLabel = "EXPR",
            description = "Adds a constraint on the median over seeds (repeatable), e.g. \"evictions <= 50\".")
    List<String> constraints = new ArrayList<>();

    @Option(names = "--budget", paramLabel = "N", description = "Configurations to try besides the current one "
            + "(overrides search.budget).")
    Integer budget;

    @Option(names = "--method", paramLabel = "M", description = "grid, random or refine (overrides search.method).")
    String method;

    @Option(names = "--search-seed", paramLabel = "S", description = "Seed of the search (overrides search.seed).")
    Long searchSeed;

    @Option(names = "--seeds", paramLabel = "LIST", converter = Seeds.class,
            description = "Simulation seeds, e.g. 1..5 (overrides the space's seeds).")
    List<Long> seeds;

    @Option(names = "--jobs", defaultValue = "400", description = "--generate: jobs (default: ${DEFAULT-VALUE}).")
    int jobs;

    @Option(names = "--nodes", defaultValue = "16",
            description = "Nodes of the cluster, openb GPU-node shapes (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--load", defaultValue = "1.2",
            description = "--generate: offered GPU load against the cluster (default: ${DEFAULT-VALUE}).")
    double load;

    @Option(names = "--queues", defaultValue = "4", description = "--generate: team queues (default: ${DEFAULT-VALUE}).")
    int queues;

    @Option(names = "--trace-seed", defaultValue = "1",
            description = "Seed of the generated trace and of the cluster's shapes (default: ${DEFAULT-VALUE}).")
    long traceSeed;

    @Option(names = "--trace-per-seed",
            description = "--generate: draw a new trace for each simulation seed (trace seed + i), so the spread "
                    + "over seeds includes the workload's.")
    boolean tracePerSeed;

    @Option(names = "--threads", defaultValue = "0", description = "Worker threads (default: one per core).")
    int threads;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write (default: tune-out, or the --collect DIR).")
    Path out;

    @Option(names = "--shards", defaultValue = "1", description = "Split the configurations into this many shards.")
    int shards;

    @Option(names = "--shard-index", paramLabel = "I",
            description = "Run only this shard (0-based; default: $JOB_COMPLETION_INDEX with --shards above 1).")
    Integer shardIndex;

    @Option(names = "--emit-job", description = "Write the Kubernetes Indexed Job (and its ConfigMap) that runs the "
            + "--shards shards of this tuning run, instead of running it.")
    boolean emitJob;

    @Option(names = "--image", defaultValue = "kubeai:latest", description = "--emit-job: the kubeai image "
            + "(default: ${DEFAULT-VALUE}).")
    String image;

    @Option(names = "--job-name", defaultValue = "kubeai-tune", description = "--emit-job: the Job's name, and the "
            + "prefix of its ConfigMap (default: ${DEFAULT-VALUE}).")
    String jobName;

    @Option(names = "--namespace", defaultValue = "default", description = "--emit-job: namespace (default: "
            + "${DEFAULT-VALUE}).")
    String namespace;

    @Option(names = "--parallelism", description = "--emit-job: shards running at once (default: all).")
    Integer parallelism;

    @Option(names = "--results-claim", paramLabel = "PVC", description = "--emit-job: a ReadWriteMany "
            + "PersistentVolumeClaim the shards write their results to (default: <job-name>-results).")
    String resultsClaim;

    @Option(names = "--trace-claim", paramLabel = "PVC", description = "--emit-job: read --trace from this "
            + "PersistentVolumeClaim instead of the ConfigMap (for traces over 900 KiB).")
    String traceClaim;

    @Option(names = "--cpu", defaultValue = "2", description = "--emit-job: CPU request and limit of each shard "
            + "(default: ${DEFAULT-VALUE}).")
    String cpu;

    @Option(names = "--memory", defaultValue = "2Gi", description = "--emit-job: memory request and limit of each "
            + "shard (default: ${DEFAULT-VALUE}).")
    String memory;

    @Spec
    CommandSpec spec;

    /** The shard index when --shard-index is not given: the environment variable an Indexed Job sets. */
    java.util.function.Function<String, String> environment = System::getenv;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        String command = "kubeai " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        TuneScenario sc = TuneScenario.of(scenario);
        if (source == null && sc == TuneScenario.JOBS) {
            throw new IllegalArgumentException("give --trace FILE, --generate or --collect DIR");
        }
        if (sc == TuneScenario.STAGGER && source != null && source.trace != null) {
            throw new IllegalArgumentException("--scenario stagger draws its own work for each seed; drop --trace");
        }
        if (source != null && source.collect != null) {
            long start = System.nanoTime();
            TuneResult merged = TuneResultFile.collect(source.collect);
            Path dir = out == null ? source.collect : out;
            String env = String.format(Locale.ROOT, "merged %d shard(s) in %.1f s", merged.shards(),
                    (System.nanoTime() - start) / 1e9);
            report(merged, dir, command, env, stdout);
            return 0;
        }
        if (space == null) {
            throw new IllegalArgumentException("--space FILE is required: the knobs to tune and the objectives");
        }
        if (shards < 1) {
            throw new IllegalArgumentException("--shards must be at least 1, was " + shards);
        }
        Map<String, Object> base = policy == null ? sc.defaultPolicy() : PolicyTrees.readPolicy(policy);
        TuneSpace s = overridden(TuneSpace.load(space, base, sc), sc);
        if (emitJob) {
            emitJob(s, base, sc, stdout);
            return 0;
        }
        TuneRunner workload = workload(base, s, sc);
        Tuner tuner = new Tuner(s, base, workload, threads);
        Tuner.Shard shard = shard();
        err.printf(Locale.ROOT, "Tuning %d knob(s), %d combinations; %s search, budget %d, %d seed(s); %s%s; "
                + "%d thread(s)%n", s.knobs().size(), s.size(), s.search().method().yaml(), s.search().budget(),
                s.seeds().size(), workload.description(), shard.count() > 1 ? "; shard " + shard.index() + " of "
                        + shard.count() : "", tuner.threads());
        err.flush();
        long start = System.nanoTime();
        TuneResult result = tuner.run(shard, new Progress(err));
        double wall = (System.nanoTime() - start) / 1e9;
        String env = String.format(Locale.ROOT, "%d simulations in %.1f s wall on %d thread(s) (%d cores); Java %s",
                result.evaluations().size() * s.seeds().size(), wall, tuner.threads(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        Path dir = out == null ? Path.of("tune-out") : out;
        if (shard.count() > 1) {
            Path file = TuneResultFile.write(result, dir);
            stdout.printf(Locale.ROOT, "Shard %d of %d: %d configuration(s); %s%nResult: %s%n", shard.index(),
                    shard.count(), result.evaluations().size(), env, file.toAbsolutePath());
            stdout.flush();
            return 0;
        }
        report(result, dir, command, env, stdout);
        return 0;
    }

    private void report(TuneResult r, Path dir, String command, String env, PrintWriter stdout) {
        stdout.print(TuneReport.text(r));
        stdout.println();
        stdout.println(env);
        for (Path f : TuneReport.writeAll(r, dir, command, env)) {
            stdout.println("Wrote " + f.toAbsolutePath());
        }
        stdout.flush();
    }

    private Tuner.Shard shard() {
        if (shards == 1) {
            if (shardIndex != null && shardIndex != 0) {
                throw new IllegalArgumentException("--shard-index " + shardIndex + " needs --shards above it");
            }
            return Tuner.Shard.WHOLE;
        }
        int index;
        if (shardIndex != null) {
            index = shardIndex;
        } else {
            String v = environment.apply("JOB_COMPLETION_INDEX");
            if (v == null) {
                throw new IllegalArgumentException("--shards " + shards + " needs --shard-index, or JOB_COMPLETION_INDEX "
                        + "set as an Indexed Job sets it");
            }
            try {
                index = Integer.parseInt(v.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("JOB_COMPLETION_INDEX is \"" + v + "\", not a shard index");
            }
        }
        if (index < 0 || index >= shards) {
            throw new IllegalArgumentException("shard index " + index + " is not within 0.." + (shards - 1));
        }
        return new Tuner.Shard(index, shards);
    }

    /** The space with the command line's objectives, constraints and search settings; errors name the option. */
    TuneSpace overridden(TuneSpace s) {
        return overridden(s, TuneScenario.JOBS);
    }

    /** The same for a {@code scenario} run: objectives and constraints only on metrics it measures. */
    TuneSpace overridden(TuneSpace s, TuneScenario scenario) {
        List<ValidationError> errors = new ArrayList<>();
        if (!objectives.isEmpty()) {
            List<TuneMetric> o = TuneSpace.objectives(objectives, "--objective", scenario, errors);
            if (errors.isEmpty()) {
                s = s.withObjectives(o);
            }
        }
        if (!constraints.isEmpty()) {
            List<Constraint> c = TuneSpace.constraints(constraints, "--constraint", scenario, errors);
            List<Constraint> all = new ArrayList<>(s.constraints());
            all.addAll(c);
            s = s.withConstraints(all);
        }
        SearchSettings search = s.search();
        if (method != null) {
            if (!SearchSettings.Method.NAMES.contains(method.strip().toLowerCase(Locale.ROOT))) {
                errors.add(new ValidationError("--method", "\"" + method + "\" is not one of "
                        + SearchSettings.Method.NAMES));
            } else {
                search = search.withMethod(SearchSettings.Method.of(method));
            }
        }
        if (budget != null) {
            if (budget < 1) {
                errors.add(new ValidationError("--budget", "must be at least 1, was " + budget));
            } else {
                search = search.withBudget(budget);
            }
        }
        if (searchSeed != null) {
            search = search.withSeed(searchSeed);
        }
        if (!errors.isEmpty()) {
            throw new ConfigValidationException("the command line", errors);
        }
        s = s.withSearch(search);
        return seeds == null ? s : s.withSeeds(seeds.stream().distinct().toList());
    }

    private TuneRunner workload(Map<String, Object> base, TuneSpace s, TuneScenario sc) {
        if (nodes < 1) {
            throw new IllegalArgumentException("--nodes must be at least 1, was " + nodes);
        }
        if (sc == TuneScenario.STAGGER) {
            if (days < 1) {
                throw new IllegalArgumentException("--days must be at least 1, was " + days);
            }
            return new StaggerWorkload(nodes, days);
        }
        JobSimulationConfig sim = JobSimulationConfig.DEFAULT;
        if (source.generate) {
            if (jobs < 1 || queues < 1 || !(load > 0)) {
                throw new IllegalArgumentException("--jobs and --queues must be at least 1 and --load above 0");
            }
            return TuneWorkloads.generated(jobs, nodes, load, queues, traceSeed, s.seeds().size(), tracePerSeed, sim);
        }
        if (tracePerSeed) {
            throw new IllegalArgumentException("--trace-per-seed goes with --generate; a trace file is the same for "
                    + "every seed");
        }
        List<JobSpec> traceJobs = JobTraces.read(TraceSource.file(source.trace));
        List<QueueSpec> policyQueues = SchedulingPolicy.fromTree(base).webhook().queues();
        return TuneWorkloads.trace(source.trace.getFileName().toString(), traceJobs, nodes, traceSeed, policyQueues, sim);
    }

    private void emitJob(TuneSpace s, Map<String, Object> base, TuneScenario sc, PrintWriter stdout) {
        if (shards < 2) {
            throw new IllegalArgumentException("--emit-job needs --shards 2 or more");
        }
        if (!s.search().method().fixedUpFront()) {
            throw new IllegalArgumentException("search method " + s.search().method().yaml() + " chooses each round "
                    + "from the last, so it cannot be split into shards; use grid or random");
        }
        TuneJob.Spec job = new TuneJob.Spec(jobName, namespace, image, shards, parallelism == null ? shards : parallelism,
                resultsClaim == null ? jobName + "-results" : resultsClaim, traceClaim, cpu, memory);
        String spaceYaml;
        try {
            spaceYaml = Files.readString(space);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + space, e);
        }
        String traceText = null;
        List<String> args = new ArrayList<>(List.of("simulate", "tune"));
        if (sc == TuneScenario.STAGGER) {
            args.addAll(List.of("--scenario", sc.yaml(), "--days", String.valueOf(days)));
        } else if (source.generate) {
            args.addAll(List.of("--generate", "--jobs", String.valueOf(jobs), "--load", String.valueOf(load),
                    "--queues", String.valueOf(queues)));
            if (tracePerSeed) {
                args.add("--trace-per-seed");
            }
        } else {
            String name = source.trace.getFileName().toString();
            if (traceClaim == null) {
                try {
                    traceText = Files.readString(source.trace);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + source.trace, e);
                }
                args.addAll(List.of("--trace", CONFIG_MOUNT + "/" + name));
            } else {
                args.addAll(List.of("--trace", TRACE_MOUNT + "/" + name));
            }
        }
        args.addAll(List.of("--nodes", String.valueOf(nodes), "--trace-seed", String.valueOf(traceSeed),
                "--space", CONFIG_MOUNT + "/" + TuneJob.SPACE_KEY, "--policy", CONFIG_MOUNT + "/" + TuneJob.POLICY_KEY));
        // the search as resolved here, so every shard chooses the same configurations
        args.addAll(List.of("--method", s.search().method().yaml(), "--budget", String.valueOf(s.search().budget()),
                "--search-seed", String.valueOf(s.search().seed()), "--seeds",
                String.join(",", s.seeds().stream().map(String::valueOf).toList())));
        for (TuneMetric m : s.objectives()) {
            args.addAll(List.of("--objective", m.name()));
        }
        for (String c : constraints) {
            args.addAll(List.of("--constraint", c));
        }
        args.addAll(List.of("--shards", String.valueOf(shards), "--out", RESULTS_MOUNT));
        String yaml = TuneJob.yaml(job, args, spaceYaml, PolicyTrees.toYaml(base, List.of()),
                traceText == null ? null : source.trace.getFileName().toString(), traceText);
        Path dir = out == null ? Path.of("tune-out") : out;
        Path file = dir.resolve("tune-job.yaml");
        try {
            Files.createDirectories(dir);
            Files.writeString(file, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        stdout.printf(Locale.ROOT, "Wrote %s: ConfigMap %s-input and Indexed Job %s (%d shards, results on PVC %s).%n"
                + "Apply it, wait for the Job, copy %s from the claim, then: kubeai simulate tune --collect DIR%n",
                file.toAbsolutePath(), jobName, jobName, shards, job.resultsClaim(), RESULTS_MOUNT);
        stdout.flush();
    }

    /** Prints a line per tenth of the runs. */
    private static final class Progress implements Tuner.Progress {
        private final PrintWriter err;
        private final long start = System.nanoTime();
        private int lastTenth = -1;

        Progress(PrintWriter err) {
            this.err = err;
        }

        @Override
        public void finished(io.kubeai.simulator.tune.Candidate candidate, long seed, int done, int total) {
            int tenth = done * 10 / Math.max(1, total);
            if (tenth != lastTenth) {
                lastTenth = tenth;
                err.printf(Locale.ROOT, "[%d/%d] configuration %d seed %d (%.1f s)%n", done, total, candidate.index(),
                        seed, (System.nanoTime() - start) / 1e9);
                err.flush();
            }
        }
    }
}
