package io.kubeai.cli;

import io.kubeai.simulator.jobs.stagger.GrowthSearch;
import io.kubeai.simulator.jobs.stagger.StaggerExperiment;
import io.kubeai.simulator.jobs.stagger.StaggerWork;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code kubeai simulate growth}: how many more nodes each policy needs when the work grows. */
@Command(name = "growth",
        mixinStandardHelpOptions = true,
        description = {"The staggering scenario (see 'simulate stagger') with its work multiplied by --growth on the same "
                + "kind of cluster: searches, for no staggering and for ours, the fewest nodes that keep production "
                + "deadline misses under --max-miss and the development p95 queueing delay at or under the policy's own "
                + "level before the growth. Node counts are tried in ascending steps, runs in parallel, seeded."})
public final class SimulateGrowthCommand implements Callable<Integer> {
    private static final GrowthSearch.Spec G = GrowthSearch.Spec.defaults();
    private static final StaggerExperiment.Spec D = G.base();

    @Option(names = "--nodes", description = "Nodes before the growth (default ${DEFAULT-VALUE}).")
    int nodes = D.nodes();

    @Option(names = "--days", description = "Days of submissions (default ${DEFAULT-VALUE}).")
    int days = D.work().days();

    @Option(names = "--seed", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed = D.work().seed();

    @Option(names = "--prod-load", description = "Production GPU-seconds a day over the cluster's, before the growth (default ${DEFAULT-VALUE}).")
    double prodLoad = D.work().prodLoad();

    @Option(names = "--dev-load", description = "Development GPU-seconds a day over the cluster's, before the growth (default ${DEFAULT-VALUE}).")
    double devLoad = D.work().devLoad();

    @Option(names = "--small-per-day", description = "Small development tasks a day before the growth (default ${DEFAULT-VALUE}).")
    int smallPerDay = D.work().smallPerDay();

    @Option(names = "--growth", description = "Multiplier of all the work (default ${DEFAULT-VALUE}).")
    double growth = G.growth();

    @Option(names = "--max-miss", description = "Largest production deadline-miss rate allowed (default ${DEFAULT-VALUE}).")
    double maxMiss = G.maxMissRate();

    @Option(names = "--step", description = "Node counts tried: nodes × (1 + step × k) (default ${DEFAULT-VALUE}).")
    double step = G.step();

    @Option(names = "--max-factor", description = "Largest node count tried, as a multiple of --nodes (default ${DEFAULT-VALUE}).")
    double maxFactor = G.maxFactor();

    @Option(names = "--shared-bar", description = "Both policies must reach the lower of their pre-growth development "
            + "p95s (default: each its own).")
    boolean sharedBar;

    @Option(names = "--threads", description = "Runs in parallel (default: the cores, ${DEFAULT-VALUE}).")
    int threads = G.threads();

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write growth.txt.")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        GrowthSearch.Spec s;
        try {
            StaggerWork w = D.work();
            StaggerExperiment.Spec base = D.withNodes(nodes).withWork(new StaggerWork(nodes, days, seed, prodLoad,
                    devLoad, w.devBurstMean(), smallPerDay, w.maxDurationSeconds(), w.volume()));
            s = new GrowthSearch.Spec(base, growth, maxMiss, step, maxFactor, Math.max(1, threads), sharedBar);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        GrowthSearch.Result r = GrowthSearch.run(s);
        PrintWriter w = spec.commandLine().getOut();
        String table = GrowthSearch.table(r);
        w.print(table);
        if (out != null) {
            Files.createDirectories(out);
            Path f = out.resolve("growth.txt");
            Files.writeString(f, table, StandardCharsets.UTF_8);
            w.println("wrote " + f);
        }
        w.flush();
        return 0;
    }
}
