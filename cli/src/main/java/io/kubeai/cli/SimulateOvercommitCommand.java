package io.kubeai.cli;

import io.kubeai.core.config.ElasticPolicy;
import io.kubeai.simulator.jobs.online.OvercommitExperiment;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code kubeai simulate overcommit}: the same cluster and work with elastic overcommit off and on. */
@Command(name = "overcommit",
        mixinStandardHelpOptions = true,
        description = {"Online services with a daily usage curve (openb's latency-sensitive pods) beside a batch trace "
                + "and small CPU tasks, run twice with the kubeai scheduler: overcommit off (small tasks on regular "
                + "capacity) and on (small tasks on elastic capacity published and reclaimed by core's elastic code "
                + "every interval). Prints jobs per day, evictions, work lost and node use; writes the day chart."})
public final class SimulateOvercommitCommand implements Callable<Integer> {
    private static final OvercommitExperiment.Spec D = OvercommitExperiment.Spec.defaults();

    @Option(names = "--nodes", description = "Nodes of the openb GPU node shapes (default ${DEFAULT-VALUE}).")
    int nodes = D.nodes();

    @Option(names = "--days", description = "Simulated days (default ${DEFAULT-VALUE}).")
    int days = D.days();

    @Option(names = "--seed", description = "Seed of the work and of the run (default ${DEFAULT-VALUE}).")
    long seed = D.seed();

    @Option(names = "--batch-load", description = "Offered GPU load of the batch trace (default ${DEFAULT-VALUE}).")
    double batchLoad = D.batchLoad();

    @Option(names = "--small-per-day", description = "Small CPU tasks a day (default ${DEFAULT-VALUE}).")
    int smallPerDay = D.smallPerDay();

    @Option(names = "--online-share", description = "Share of each node the online services request (default ${DEFAULT-VALUE}).")
    double onlineShare = D.online().reservedShare();

    @Option(names = "--online-trough", description = "Share of their request they use at night (default ${DEFAULT-VALUE}).")
    double onlineTrough = D.online().troughUsage();

    @Option(names = "--online-peak", description = "Share of their request they use at the peak (default ${DEFAULT-VALUE}).")
    double onlinePeak = D.online().peakUsage();

    @Option(names = "--reclaim-budget", description = "Elastic evictions per interval, cluster-wide (default ${DEFAULT-VALUE}).")
    int budget = D.elastic().reclaim().maxEvictionsPerInterval();

    @Option(names = "--threads", description = "Runs in parallel (default: the cores, ${DEFAULT-VALUE}).")
    int threads = D.threads();

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write overcommit.txt and the day chart (SVG, CSV).")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        OvercommitExperiment.Spec s;
        try {
            if (budget < 0) {
                throw new IllegalArgumentException("--reclaim-budget must not be negative, was " + budget);
            }
            ElasticPolicy e = D.elastic();
            ElasticPolicy withBudget = new ElasticPolicy(e.enabled(), e.intervalSeconds(), e.cpuReclaimThresholdPercent(),
                    e.memoryReclaimThresholdPercent(), e.memoryPolicy(), e.metricsMaxAgeSeconds(), e.hysteresisPercent(),
                    e.maxStepPercent(), new ElasticPolicy.Reclaim(true, budget), e.resources(), e.lendIdleGpus(),
                    e.idleGpu(), e.gpuTelemetry());
            s = D.withNodes(nodes).withDays(days).withSeed(seed).withBatchLoad(batchLoad).withSmallPerDay(smallPerDay)
                    .withOnline(D.online().withReservedShare(onlineShare).withUsage(onlineTrough, onlinePeak))
                    .withElastic(withBudget).withThreads(Math.max(1, threads));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintWriter w = spec.commandLine().getOut();
        OvercommitExperiment.Result r = OvercommitExperiment.run(s);
        w.print(OvercommitExperiment.table(r));
        if (out != null) {
            for (Path p : OvercommitExperiment.write(r, out)) {
                w.println("wrote " + p);
            }
        }
        w.flush();
        return 0;
    }
}
