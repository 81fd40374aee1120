package io.kubeai.cli;

import io.kubeai.simulator.jobs.stagger.StaggerExperiment;
import io.kubeai.simulator.jobs.stagger.StaggerWork;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code kubeai simulate stagger}: the same cluster and work without staggering and with ours. */
@Command(name = "stagger",
        mixinStandardHelpOptions = true,
        description = {"Online services with a daily curve, daily production jobs with deadlines and bursty development "
                + "work by day, run twice with the kubeai scheduler: no staggering, and ours (production off-peak "
                + "against its deadlines, its queue closed at the online peak with budgeted evictions, development "
                + "larger by day, small tasks on elastic capacity). Prints peak-to-average load, deadline misses, "
                + "queueing delays and jobs per day; writes the day chart."})
public final class SimulateStaggerCommand implements Callable<Integer> {
    static final StaggerExperiment.Spec D = StaggerExperiment.Spec.defaults();

    @Option(names = "--nodes", description = "Nodes of the openb GPU node shapes (default ${DEFAULT-VALUE}).")
    int nodes = D.nodes();

    @Option(names = "--days", description = "Days of submissions; the run goes on 8 h more (default ${DEFAULT-VALUE}).")
    int days = D.work().days();

    @Option(names = "--seed", description = "Seed of the work and of the run (default ${DEFAULT-VALUE}).")
    long seed = D.work().seed();

    @Option(names = "--prod-load", description = "Production GPU-seconds a day over the cluster's (default ${DEFAULT-VALUE}).")
    double prodLoad = D.work().prodLoad();

    @Option(names = "--dev-load", description = "Development GPU-seconds a day over the cluster's (default ${DEFAULT-VALUE}).")
    double devLoad = D.work().devLoad();

    @Option(names = "--small-per-day", description = "Small development tasks a day (default ${DEFAULT-VALUE}).")
    int smallPerDay = D.work().smallPerDay();

    @Option(names = "--volume", description = "Multiplies all the work (default ${DEFAULT-VALUE}).")
    double volume = D.work().volume();

    @Option(names = "--threads", description = "Runs in parallel (default: the cores, ${DEFAULT-VALUE}).")
    int threads = D.threads();

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write stagger.txt and the day chart (SVG, CSV).")
    Path out;

    @Spec
    CommandSpec spec;

    StaggerExperiment.Spec experiment() {
        try {
            StaggerWork w = D.work();
            return D.withNodes(nodes).withWork(new StaggerWork(nodes, days, seed, prodLoad, devLoad, w.devBurstMean(),
                    smallPerDay, w.maxDurationSeconds(), volume)).withThreads(Math.max(1, threads));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    @Override
    public Integer call() throws IOException {
        StaggerExperiment.Result r = StaggerExperiment.run(experiment());
        PrintWriter w = spec.commandLine().getOut();
        w.print(StaggerExperiment.table(r));
        if (out != null) {
            for (Path p : StaggerExperiment.write(r, out)) {
                w.println("wrote " + p);
            }
        }
        w.flush();
        return 0;
    }
}
