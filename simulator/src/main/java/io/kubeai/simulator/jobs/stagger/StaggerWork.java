package io.kubeai.simulator.jobs.stagger;

import io.kubeai.core.cluster.Node;
import io.kubeai.simulator.jobs.JobSpec;
import io.kubeai.simulator.jobs.online.DiurnalCurve;
import io.kubeai.simulator.jobs.online.SmallTasks;
import io.kubeai.simulator.jobs.trace.ClusterShapes;
import io.kubeai.simulator.jobs.trace.GeneratorSpec;
import io.kubeai.simulator.jobs.trace.JobTraceGenerator;
import io.kubeai.simulator.jobs.trace.JobTraces;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The work of the staggering scenario, calibrated on the bundled traces:
 *
 * <ul>
 *   <li><b>production</b>: a set of daily jobs, repeated every day at the same time ({@code periodic}),
 *       fired by crons spread uniformly over 08:00–20:00, each due by 08:00 the next morning
 *       ({@code deadline}); about {@code prodLoad} of the reference cluster's GPU-seconds a day;
 *   <li><b>development</b>: GPU jobs in bursts (a team submitting a sweep: 1 + a geometric number
 *       of jobs, mean {@code devBurstMean}), the bursts a Poisson process following openb's
 *       best-effort pods by hour of creation ({@link DiurnalCurve#openbBestEffort()}, a tenth of
 *       its peak at night); about {@code devLoad} of the GPU-seconds a day;
 *   <li>{@link SmallTasks} in the development queue.
 * </ul>
 *
 * Pod shapes, gang sizes and run times come from the job-trace generator (openb pods, Philly run
 * times clipped to {@code maxDurationSeconds}); loads are over the GPUs of
 * {@code referenceNodes} nodes of the openb shapes, so that the same work can be run on more
 * nodes. {@code volume} multiplies every load and the small tasks (growth). Deterministic.
 */
public record StaggerWork(int referenceNodes, int days, long seed, double prodLoad, double devLoad, double devBurstMean,
        int smallPerDay, long maxDurationSeconds, double volume) {
    public static final String PROD = "prod";
    public static final String DEV = "dev";
    public static final String PROD_PREFIX = "prod-";
    public static final String DEV_PREFIX = "dev-";
    static final long DAY = DiurnalCurve.DAY_SECONDS;
    static final long HOUR = 3600;

    public StaggerWork {
        if (referenceNodes < 1 || days < 1) {
            throw new IllegalArgumentException("referenceNodes and days must be at least 1");
        }
        if (prodLoad < 0 || devLoad < 0 || volume <= 0 || devBurstMean < 0) {
            throw new IllegalArgumentException("loads and devBurstMean must not be negative and volume must be above 0");
        }
    }

    public StaggerWork withVolume(double v) {
        return new StaggerWork(referenceNodes, days, seed, prodLoad, devLoad, devBurstMean, smallPerDay,
                maxDurationSeconds, v);
    }

    /** The jobs, sorted by submission. */
    public List<JobSpec> generate() {
        List<Node> ref = ClusterShapes.nodes(referenceNodes, seed);
        int gpus = ClusterShapes.gpus(ref);
        GeneratorSpec g = GeneratorSpec.defaults().withSeed(seed).withJobs(6000).withClusterGpus(gpus)
                .withTargetLoad(1.0).withMaxDurationSeconds(maxDurationSeconds).withProdShare(0);
        List<JobSpec> pool = JobTraceGenerator.generate(g).stream().filter(j -> j.gpuSeconds() > 0).toList();
        SplittableRandom r = new SplittableRandom(seed * 31 + 5);
        int next = 0;
        List<JobSpec> out = new ArrayList<>();

        // Production: one day's templates, repeated.
        double prodTarget = prodLoad * volume * gpus * DAY;
        List<JobSpec> templates = new ArrayList<>();
        double sum = 0;
        while (sum < prodTarget) {
            JobSpec p = pool.get(next++ % pool.size());
            long tod = 8 * HOUR + r.nextLong(12 * HOUR);
            templates.add(new JobSpec(String.format("%s%04d", PROD_PREFIX, templates.size() + 1), tod,
                    p.durationSeconds(), PROD, JobSpec.TIER_PROD, 100, p.pods(), p.podRequest()));
            sum += p.gpuSeconds();
        }
        for (int d = 0; d < days; d++) {
            for (JobSpec t : templates) {
                long submit = d * DAY + t.submitSeconds();
                out.add(new JobSpec(t.id() + "-d" + d, submit, t.durationSeconds(), PROD, JobSpec.TIER_PROD, 100,
                        t.pods(), t.podRequest(), true, JobSpec.NO_TIME, (d + 1) * DAY + 8 * HOUR));
            }
        }

        // Development: bursts following the day.
        DiurnalCurve curve = DiurnalCurve.openbBestEffort();
        double floor = 0.1;
        double meanGpuSeconds = 0;
        for (JobSpec p : pool) {
            meanGpuSeconds += p.gpuSeconds();
        }
        meanGpuSeconds /= pool.size();
        double jobsPerDay = devLoad * volume * gpus * DAY / meanGpuSeconds;
        double burstsPerDay = jobsPerDay / (1 + devBurstMean);
        double peakRate = burstsPerDay / (DAY * (floor + (1 - floor) * curve.mean()));
        double t = 0;
        int dev = 0;
        while (true) {
            t += -StrictMath.log(1.0 - r.nextDouble()) / peakRate;
            if (t >= days * DAY) {
                break;
            }
            if (r.nextDouble() >= floor + (1 - floor) * curve.at((long) t)) {
                continue;
            }
            int burst = 1;
            double stop = 1 / (1 + devBurstMean);
            while (r.nextDouble() >= stop) {
                burst++;
            }
            for (int b = 0; b < burst; b++) {
                JobSpec p = pool.get(next++ % pool.size());
                out.add(new JobSpec(String.format("%s%06d", DEV_PREFIX, ++dev), (long) t + b, p.durationSeconds(), DEV,
                        JobSpec.TIER_DEV, 0, p.pods(), p.podRequest()));
            }
        }

        out.addAll(new SmallTasks((int) Math.round(smallPerDay * volume), days, seed + 1, curve, 0.3, 30, 3600,
                List.of(DEV), 0).generate());
        out.sort(JobTraces.SUBMIT_ORDER);
        return List.copyOf(out);
    }

    /** Whether the job counts as production, development GPU work or a small task. */
    public static String kind(String id) {
        return id.startsWith(PROD_PREFIX) ? PROD : id.startsWith(DEV_PREFIX) ? DEV : "small";
    }
}
