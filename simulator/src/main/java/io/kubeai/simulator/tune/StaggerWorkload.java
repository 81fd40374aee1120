package io.kubeai.simulator.tune;

import io.kubeai.core.config.SchedulingPolicy;
import io.kubeai.simulator.jobs.JobSpec;
import io.kubeai.simulator.jobs.stagger.StaggerExperiment;
import io.kubeai.simulator.jobs.stagger.StaggerWork;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The staggering scenario as a tuning workload: each run is {@link StaggerExperiment#runOurs} with
 * the configuration's settings ({@link StaggerSimulation#settingsFor}) on {@code nodes} openb
 * nodes for {@code days} days. The simulation seed is also the work's seed, so a seed draws its
 * own production templates, development bursts, small tasks and cluster shapes, and the spread
 * over seeds includes the workload's. The work of a seed is generated once and shared by every
 * configuration. Loads are the scenario's defaults (production 25 %, development 35 % of the GPUs
 * a day, 150 small tasks a day per node, online services reserving 40 % of each node).
 */
public final class StaggerWorkload implements TuneRunner {
    private final StaggerExperiment.Spec base;
    private final Map<Long, List<JobSpec>> work = new ConcurrentHashMap<>();

    public StaggerWorkload(int nodes, int days) {
        if (nodes < 1 || days < 1) {
            throw new IllegalArgumentException("the stagger scenario needs at least 1 node and 1 day, was " + nodes
                    + " node(s) and " + days + " day(s)");
        }
        StaggerExperiment.Spec d = StaggerExperiment.Spec.defaults();
        StaggerWork w = d.work();
        int smallPerDay = (int) Math.round(w.smallPerDay() * nodes / (double) w.referenceNodes());
        this.base = d.withNodes(nodes).withThreads(1).withWork(new StaggerWork(nodes, days, w.seed(), w.prodLoad(),
                w.devLoad(), w.devBurstMean(), smallPerDay, w.maxDurationSeconds(), w.volume()));
    }

    /** The scenario's spec for the run with {@code seed}. */
    public StaggerExperiment.Spec spec(long seed) {
        StaggerWork w = base.work();
        return base.withWork(new StaggerWork(w.referenceNodes(), w.days(), seed, w.prodLoad(), w.devLoad(),
                w.devBurstMean(), w.smallPerDay(), w.maxDurationSeconds(), w.volume()));
    }

    @Override
    public double[] run(SchedulingPolicy policy, int seedIndex, long seed) {
        StaggerExperiment.Spec spec = spec(seed);
        List<JobSpec> jobs = work.computeIfAbsent(seed, s -> spec.work().generate());
        StaggerExperiment.Run r = StaggerExperiment.runOurs(spec, jobs, StaggerSimulation.settingsFor(policy));
        return TuneMetric.valuesOf(new TuneMetric.Measured(r.metrics(), r));
    }

    @Override
    public void checkSeeds(int seeds) {
        // every seed draws its own work
    }

    @Override
    public String description() {
        StaggerWork w = base.work();
        return String.format(Locale.ROOT, "stagger scenario, ours: %d openb-shaped nodes, %d day(s) + 8 h; "
                + "production %.0f %% and development %.0f %% of the GPUs a day, %d small tasks a day; online services "
                + "reserve %.0f %% of each node; node shapes and work drawn with each seed", base.nodes(), w.days(),
                100 * w.prodLoad(), 100 * w.devLoad(), w.smallPerDay(), 100 * base.online().reservedShare());
    }

    @Override
    public String fingerprint() {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(("stagger " + base.nodes() + " " + base.work() + " " + base.online() + " "
                    + base.elastic()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
