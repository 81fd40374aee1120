package io.kubeai.simulator.jobs.trace;

import io.kubeai.core.cluster.ClusterState;
import io.kubeai.core.cluster.Node;
import io.kubeai.core.cluster.NodeState;
import io.kubeai.core.queue.QueueSpec;
import io.kubeai.core.resource.PodRequest;
import io.kubeai.core.resource.ResourceList;
import io.kubeai.simulator.jobs.JobSpec;
import io.kubeai.simulator.trace.OpenbTrace;
import io.kubeai.simulator.trace.TracePod;
import io.kubeai.simulator.trace.TraceSource;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Generates job traces calibrated on real clusters, for the job simulator. Each job draws,
 * independently and with replacement:
 *
 * <ul>
 *   <li><b>pod shape</b> (CPU, memory, GPUs per pod, GPU share, GPU models): a pod of an openb
 *       pod list ({@link GeneratorSpec#podList()}), so GPU sharing, multi-GPU pods and the
 *       CPU/memory per GPU keep their joint distribution; pods that fit no node of the openb GPU
 *       cluster are left out;
 *   <li><b>duration</b>: a Microsoft Philly run time (rounded to seconds, at least 1), clipped to
 *       {@link GeneratorSpec#maxDurationSeconds()} when that is set;
 *   <li><b>queue</b>: a team, with probability proportional to its Helios VC's GPUs ({@link #teams});
 *   <li><b>tier</b>: prod with probability {@link GeneratorSpec#prodShare()}, else dev, with the
 *       spec's priority for that tier;
 *   <li><b>gang size</b>: from {@link GeneratorSpec#gangSizeWeights()} when the pod takes whole
 *       GPUs, otherwise 1 (CPU-only and GPU-sharing pods run alone); halved while the job would
 *       take more than {@link GeneratorSpec#maxJobGpuShare()} of the cluster's GPUs.
 * </ul>
 *
 * Arrivals are a Poisson process starting at 0 whose rate is set from the jobs actually drawn:
 * {@code rate = targetLoad × clusterGpus × jobs / Σ GPU-seconds}, so that the offered load over
 * the arrival horizon is the target (see {@link #offeredLoad}). Jobs are numbered in arrival order
 * ({@code job-000001}, …) and come sorted by {@link JobTraces#SUBMIT_ORDER}.
 *
 * <p>Deterministic: the same spec gives equal jobs (random numbers from {@link SplittableRandom}
 * seeded by the spec, logarithms from {@link StrictMath}). Memory: nothing per job but the
 * records; the attributes are drawn twice from the same seed, once to size the arrival rate and
 * once to build the records, rather than kept.
 */
public final class JobTraceGenerator {

    /** A team: its queue, the Helios VC it is modelled on, that VC's GPUs and its share of the teams' GPUs. */
    public record Team(String queue, String heliosVc, int heliosGpus, double share) {
    }

    private static final Map<String, PodRequest[]> SHAPES = new ConcurrentHashMap<>();

    private JobTraceGenerator() {
    }

    /**
     * The teams: the {@code spec.queues()} VCs of {@code spec.heliosDay()} with the most GPUs (ties
     * in column order), largest first, named {@code team-01}, {@code team-02}, ….
     */
    public static List<Team> teams(GeneratorSpec spec) {
        CalibrationTraces.HeliosDay day = CalibrationTraces.heliosDays().stream()
                .filter(d -> d.date().equals(spec.heliosDay())).findFirst()
                .orElseThrow(() -> {
                    List<CalibrationTraces.HeliosDay> all = CalibrationTraces.heliosDays();
                    return new IllegalArgumentException("no Helios day " + spec.heliosDay() + "; the table covers "
                            + all.get(0).date() + " to " + all.get(all.size() - 1).date());
                });
        List<Map.Entry<String, Integer>> vcs = new ArrayList<>();
        for (Map.Entry<String, Integer> e : day.vcGpus().entrySet()) {
            if (e.getValue() > 0) {
                vcs.add(e);
            }
        }
        if (spec.queues() > vcs.size()) {
            throw new IllegalArgumentException("asked for " + spec.queues() + " queues, but on " + day.date()
                    + " only " + vcs.size() + " Helios VCs hold GPUs; pick fewer queues or another day");
        }
        vcs.sort(Comparator.comparingInt((Map.Entry<String, Integer> e) -> e.getValue()).reversed()); // stable
        List<Map.Entry<String, Integer>> chosen = vcs.subList(0, spec.queues());
        long sum = chosen.stream().mapToLong(Map.Entry::getValue).sum();
        int width = Math.max(2, Integer.toString(chosen.size()).length());
        List<Team> teams = new ArrayList<>();
        for (int i = 0; i < chosen.size(); i++) {
            String digits = Integer.toString(i + 1);
            teams.add(new Team("team-" + "0".repeat(width - digits.length()) + digits, chosen.get(i).getKey(),
                    chosen.get(i).getValue(), chosen.get(i).getValue() / (double) sum));
        }
        return List.copyOf(teams);
    }

    /**
     * One top-level queue per team: {@code min} is the team's share of every resource of the
     * cluster (largest remainders round, so the mins add up to the capacity exactly), weight its
     * VC's GPUs divided by the VCs' greatest common divisor, no max, borrowing and lending
     * unlimited.
     */
    public static List<QueueSpec> queuesFor(GeneratorSpec spec, ResourceList clusterCapacity) {
        List<Team> teams = teams(spec);
        long[] weights = teams.stream().mapToLong(Team::heliosGpus).toArray();
        long gcd = 0;
        for (long w : weights) {
            gcd = gcd(gcd, w);
        }
        List<Map<String, Long>> mins = new ArrayList<>();
        for (int t = 0; t < teams.size(); t++) {
            mins.add(new HashMap<>());
        }
        for (int r = 0; r < clusterCapacity.size(); r++) {
            long[] parts = apportion(clusterCapacity.value(r), weights);
            for (int t = 0; t < teams.size(); t++) {
                mins.get(t).put(clusterCapacity.name(r), parts[t]);
            }
        }
        List<QueueSpec> queues = new ArrayList<>();
        for (int t = 0; t < teams.size(); t++) {
            queues.add(QueueSpec.named(teams.get(t).queue()).min(ResourceList.of(mins.get(t)))
                    .weight((int) (weights[t] / gcd)).build());
        }
        return List.copyOf(queues);
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /** {@code total} split in proportion to {@code weights}, rounded by largest remainders (ties: first). */
    static long[] apportion(long total, long[] weights) {
        BigInteger sum = BigInteger.ZERO;
        for (long w : weights) {
            sum = sum.add(BigInteger.valueOf(w));
        }
        long[] parts = new long[weights.length];
        long[] rest = new long[weights.length];
        long given = 0;
        for (int i = 0; i < weights.length; i++) {
            BigInteger[] qr = BigInteger.valueOf(total).multiply(BigInteger.valueOf(weights[i])).divideAndRemainder(sum);
            parts[i] = qr[0].longValueExact();
            rest[i] = qr[1].longValueExact();
            given += parts[i];
        }
        Integer[] order = new Integer[weights.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.<Integer>comparingLong(i -> -rest[i]).thenComparingInt(i -> i));
        for (int k = 0; given < total; k++) { // fewer than weights.length steps
            parts[order[k]]++;
            given++;
        }
        return parts;
    }

    /**
     * The pod shapes jobs are drawn from: the requests of the pod list, in file order, without
     * the pods that fit no node of the openb GPU cluster. Shared, do not modify.
     */
    static PodRequest[] podShapes(String podList) {
        return SHAPES.computeIfAbsent(podList, name -> {
            List<TracePod> pods = OpenbTrace.readPods(TraceSource.bundled(OpenbTrace.BUNDLED_DIR + name + ".csv"));
            ClusterState shapes = new ClusterState(ClusterShapes.shapes(ClusterShapes.NodeSource.OPENB_GPU).stream()
                    .map(s -> Node.of(s.gpuModel() + "/" + s.gpuCount() + "/" + s.cpuMillis()
                            + "/" + s.memoryBytes(), s.cpuMillis(), s.memoryBytes(), s.gpuCount(), s.gpuModel()))
                    .toList());
            Map<PodRequest, PodRequest> interned = new HashMap<>();
            List<PodRequest> out = new ArrayList<>();
            for (TracePod p : pods) {
                boolean fits = false;
                for (NodeState n : shapes.nodes()) {
                    if (n.fits(p.request())) {
                        fits = true;
                        break;
                    }
                }
                if (fits) {
                    out.add(interned.computeIfAbsent(p.request(), r -> r));
                }
            }
            return out.toArray(new PodRequest[0]);
        });
    }

    /** The pod shapes of a pod list that the generator draws from (see {@link #podShapes}). */
    public static List<PodRequest> podShapesOf(String podList) {
        return List.of(podShapes(podList));
    }

    /** Generates {@code spec.jobs()} jobs. */
    public static List<JobSpec> generate(GeneratorSpec spec) {
        Model m = new Model(spec);
        int n = spec.jobs();

        // Pass 1: the GPU work of the jobs, to set the arrival rate.
        Draw d = new Draw();
        SplittableRandom attrs = new SplittableRandom(spec.seed()).split();
        double gpuSeconds = 0;
        for (int i = 0; i < n; i++) {
            m.draw(attrs, d);
            gpuSeconds += (double) d.pods * m.shapes[d.shape].totalGpuMillis() / 1000.0 * d.duration;
        }
        if (gpuSeconds <= 0) {
            throw new IllegalArgumentException("the jobs drawn from " + spec.podList()
                    + " request no GPU, so no arrival rate reaches a GPU load");
        }
        double rate = spec.targetLoad() * spec.clusterGpus() * n / gpuSeconds;

        // Pass 2: the same draws again, with arrival times.
        SplittableRandom root = new SplittableRandom(spec.seed());
        attrs = root.split();
        SplittableRandom arrivals = root.split();
        int width = Math.max(6, Integer.toString(n).length());
        char[] id = new char[4 + width];
        "job-".getChars(0, 4, id, 0);
        List<JobSpec> jobs = new ArrayList<>(n);
        double t = 0;
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                t += -StrictMath.log(1.0 - arrivals.nextDouble()) / rate;
            }
            m.draw(attrs, d);
            int v = i + 1;
            for (int k = id.length - 1; k >= 4; k--) {
                id[k] = (char) ('0' + v % 10);
                v /= 10;
            }
            boolean prod = d.prod;
            jobs.add(new JobSpec(new String(id), (long) t, d.duration, m.queues[d.queue],
                    prod ? JobSpec.TIER_PROD : JobSpec.TIER_DEV, prod ? spec.prodPriority() : spec.devPriority(),
                    d.pods, m.shapes[d.shape]));
        }
        return Collections.unmodifiableList(jobs);
    }

    /**
     * The load a trace offers a cluster of {@code clusterGpus}: the arrival rate
     * {@code (jobs − 1) / (last submit − first submit)} times the mean GPU-seconds per job, over
     * the cluster's GPUs. NaN with fewer than two jobs or all jobs submitted at once.
     */
    public static double offeredLoad(List<JobSpec> jobs, int clusterGpus) {
        if (jobs.size() < 2) {
            return Double.NaN;
        }
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        double work = 0;
        for (JobSpec j : jobs) {
            first = Math.min(first, j.submitSeconds());
            last = Math.max(last, j.submitSeconds());
            work += j.gpuSeconds();
        }
        if (last == first) {
            return Double.NaN;
        }
        double rate = (jobs.size() - 1) / (double) (last - first);
        return rate * (work / jobs.size()) / clusterGpus;
    }

    /** One job's draws, reused. */
    private static final class Draw {
        int shape;
        long duration;
        int queue;
        boolean prod;
        int pods;
    }

    /** Everything a spec needs drawn from, prepared once per call. */
    private static final class Model {
        final PodRequest[] shapes;
        final boolean[] gangs;
        final long[] durations;
        final String[] queues;
        final double[] queueCumulative;
        final int[] gangSizes;
        final double[] gangCumulative;
        final double prodShare;
        final long maxJobGpuMillis;

        Model(GeneratorSpec spec) {
            shapes = podShapes(spec.podList());
            if (shapes.length == 0) {
                throw new IllegalArgumentException("no pod of " + spec.podList() + " fits a node of the openb cluster");
            }
            gangs = new boolean[shapes.length];
            for (int s = 0; s < shapes.length; s++) {
                gangs[s] = shapes[s].wantsGpu() && !shapes[s].sharesGpu();
            }
            durations = CalibrationTraces.phillyDurations();
            if (spec.maxDurationSeconds() > 0) {
                for (int i = 0; i < durations.length; i++) {
                    durations[i] = Math.min(durations[i], spec.maxDurationSeconds());
                }
            }
            List<Team> teams = teams(spec);
            queues = teams.stream().map(Team::queue).toArray(String[]::new);
            queueCumulative = cumulative(teams.stream().mapToDouble(Team::heliosGpus).toArray());
            List<Map.Entry<Integer, Double>> sizes = spec.gangSizeWeights().entrySet().stream()
                    .filter(e -> e.getValue() > 0).toList();
            gangSizes = sizes.stream().mapToInt(Map.Entry::getKey).toArray();
            gangCumulative = cumulative(sizes.stream().mapToDouble(Map.Entry::getValue).toArray());
            prodShare = spec.prodShare();
            maxJobGpuMillis = Math.max(1L, (long) Math.floor(spec.maxJobGpuShare() * spec.clusterGpus())) * 1000L;
        }

        /** Always five random numbers per job, whatever is drawn, so the streams stay aligned. */
        void draw(SplittableRandom r, Draw d) {
            d.shape = r.nextInt(shapes.length);
            d.duration = durations[r.nextInt(durations.length)];
            d.queue = pick(queueCumulative, r.nextDouble());
            d.prod = r.nextDouble() < prodShare;
            double g = r.nextDouble();
            int pods = 1;
            if (gangs[d.shape]) {
                pods = gangSizes[pick(gangCumulative, g)];
                long perPod = shapes[d.shape].totalGpuMillis();
                while (pods > 1 && pods * perPod > maxJobGpuMillis) {
                    pods /= 2;
                }
            }
            d.pods = pods;
        }

        private static double[] cumulative(double[] weights) {
            double sum = 0;
            for (double w : weights) {
                sum += w;
            }
            double[] c = new double[weights.length];
            double acc = 0;
            for (int i = 0; i < weights.length; i++) {
                acc += weights[i];
                c[i] = acc / sum;
            }
            c[c.length - 1] = 1.0;
            return c;
        }

        private static int pick(double[] cumulative, double u) {
            for (int i = 0; i < cumulative.length; i++) {
                if (u < cumulative[i]) {
                    return i;
                }
            }
            return cumulative.length - 1;
        }
    }
}
