package io.kubeai.simulator.jobs.stagger;

import io.kubeai.simulator.jobs.JobSpec;
import io.kubeai.simulator.jobs.online.BatchWork;
import io.kubeai.simulator.jobs.stagger.StaggerExperiment.Policy;
import io.kubeai.simulator.jobs.stagger.StaggerExperiment.Run;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/**
 * The growth question: with {@code growth} times the work on the same kind of cluster, how many
 * nodes does each policy need to keep production deadline misses under {@code maxMissRate} and
 * the development GPU jobs' p95 queueing delay at or under what that policy had before the
 * growth (on {@code base.nodes()} nodes)? Node counts {@code base.nodes() × (1 + step × k)},
 * rounded up, are tried in ascending order, {@code threads} runs at a time across both
 * policies, until each policy has its smallest passing count or {@code maxFactor} is passed.
 * The work is the same for every count (sized on the base cluster; seeded), so only the nodes
 * change; a larger cluster repeats the base cluster's nodes in order
 * ({@link StaggerExperiment#nodes}), so every node added adds capacity. Deterministic for a spec.
 */
public final class GrowthSearch {
    private GrowthSearch() {
    }

    /**
     * @param sharedBar when true, both policies must reach the lower of their two pre-growth
     *     development p95s rather than each its own
     */
    public record Spec(StaggerExperiment.Spec base, double growth, double maxMissRate, double step, double maxFactor,
            int threads, boolean sharedBar) {
        public Spec {
            if (!(growth > 0) || !(step > 0) || !(maxFactor >= 1) || !(maxMissRate >= 0)) {
                throw new IllegalArgumentException("growth and step must be above 0, maxFactor at least 1 and maxMissRate"
                        + " not negative");
            }
        }

        public static Spec defaults() {
            return new Spec(StaggerExperiment.Spec.defaults(), 2.0, 0.01, 0.1, 3.0, BatchWork.cores(), false);
        }
    }

    /** One run of the search. */
    public record Point(Policy policy, int nodes, int gpus, double missRate, double devP95, double completedPerDay,
            boolean passes) {
    }

    /**
     * @param neededNodes the smallest passing count, or -1 when none up to {@code maxFactor} passed
     */
    public record PolicyResult(Policy policy, Point before, int neededNodes, List<Point> tried) {
        public PolicyResult {
            tried = List.copyOf(tried);
        }
    }

    public record Result(Spec spec, PolicyResult none, PolicyResult ours, long wallNanos) {
    }

    public static Result run(Spec spec) {
        long t0 = System.nanoTime();
        StaggerExperiment.Spec base = spec.base().withThreads(1);
        List<JobSpec> before = base.work().generate();
        List<JobSpec> after = base.work().withVolume(base.work().volume() * spec.growth()).generate();
        StaggerExperiment.Spec grown = base.withWork(base.work().withVolume(base.work().volume() * spec.growth()));

        // 1. Each policy before the growth, on the base cluster.
        List<Run> pre = BatchWork.parallel(List.<Callable<Run>>of(
                () -> StaggerExperiment.runOne(base, before, Policy.NONE),
                () -> StaggerExperiment.runOne(base, before, Policy.OURS)), spec.threads());
        Map<Policy, Point> beforePoints = new EnumMap<>(Policy.class);
        for (Run r : pre) {
            beforePoints.put(r.policy(), new Point(r.policy(), r.nodes(), gpus(base), r.prodMissRate(), r.devDelay().p95(),
                    r.completedPerDay(), r.prodMissRate() < spec.maxMissRate()));
        }

        // 2. Node counts to try, ascending.
        TreeSet<Integer> counts = new TreeSet<>();
        for (int k = 0; 1 + spec.step() * k <= spec.maxFactor() + 1e-9; k++) {
            counts.add((int) Math.ceil(base.nodes() * (1 + spec.step() * k) - 1e-9));
        }
        List<Integer> order = new ArrayList<>(counts);

        // 3. Search: both policies in step, a batch of runs at a time.
        Map<Policy, List<Point>> tried = new EnumMap<>(Policy.class);
        Map<Policy, Integer> found = new EnumMap<>(Policy.class);
        Map<Policy, Integer> next = new EnumMap<>(Policy.class);
        for (Policy p : Policy.values()) {
            tried.put(p, new ArrayList<>());
            next.put(p, 0);
        }
        while (true) {
            List<Callable<Point>> batch = new ArrayList<>();
            for (int slot = 0; batch.size() < Math.max(1, spec.threads()); slot++) {
                boolean added = false;
                for (Policy p : Policy.values()) {
                    if (found.containsKey(p) || next.get(p) >= order.size() || batch.size() >= Math.max(1, spec.threads())) {
                        continue;
                    }
                    int n = order.get(next.get(p));
                    next.put(p, next.get(p) + 1);
                    double limit = bar(spec, beforePoints, p);
                    batch.add(() -> {
                        Run r = StaggerExperiment.runOne(grown.withNodes(n), after, p);
                        return new Point(p, n, gpus(grown.withNodes(n)), r.prodMissRate(), r.devDelay().p95(),
                                r.completedPerDay(),
                                r.prodMissRate() < spec.maxMissRate() && r.devDelay().p95() <= limit);
                    });
                    added = true;
                }
                if (!added) {
                    break;
                }
            }
            if (batch.isEmpty()) {
                break;
            }
            for (Point pt : BatchWork.parallel(batch, spec.threads())) {
                tried.get(pt.policy()).add(pt);
            }
            for (Policy p : Policy.values()) {
                if (!found.containsKey(p)) {
                    // The smallest passing count, once every smaller count has been tried (they are, in order).
                    tried.get(p).stream().filter(Point::passes).mapToInt(Point::nodes).min()
                            .ifPresent(n -> found.put(p, n));
                }
            }
        }
        return new Result(spec,
                new PolicyResult(Policy.NONE, beforePoints.get(Policy.NONE), found.getOrDefault(Policy.NONE, -1),
                        tried.get(Policy.NONE)),
                new PolicyResult(Policy.OURS, beforePoints.get(Policy.OURS), found.getOrDefault(Policy.OURS, -1),
                        tried.get(Policy.OURS)),
                System.nanoTime() - t0);
    }

    /** The development p95 a policy must reach after the growth. */
    static double bar(Spec spec, Map<Policy, Point> before, Policy p) {
        return spec.sharedBar() ? Math.min(before.get(Policy.NONE).devP95(), before.get(Policy.OURS).devP95())
                : before.get(p).devP95();
    }

    private static int gpus(StaggerExperiment.Spec s) {
        return io.kubeai.simulator.jobs.trace.ClusterShapes.gpus(StaggerExperiment.nodes(s));
    }

    public static String table(Result r) {
        Spec s = r.spec();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Growth ×%.1f of all work on %d nodes (seed %d, %d days): nodes needed for "
                + "production deadline misses < %.1f %% and development p95 queueing ≤ %s before the growth%n",
                s.growth(), s.base().nodes(), s.base().work().seed(), s.base().work().days(), s.maxMissRate() * 100,
                s.sharedBar() ? "the lower of the two policies' levels" : "its level"));
        sb.append(String.format(Locale.ROOT, "%-16s %22s %22s %14s %10s%n", "policy", "before: misses, dev p95",
                "after on same nodes", "nodes needed", "more"));
        for (PolicyResult p : List.of(r.none(), r.ours())) {
            Point same = p.tried().stream().filter(x -> x.nodes() == s.base().nodes()).findFirst().orElse(null);
            String needed = p.neededNodes() < 0 ? "> " + (int) Math.ceil(s.base().nodes() * s.maxFactor())
                    : Integer.toString(p.neededNodes());
            String more = p.neededNodes() < 0 ? "–" : String.format(Locale.ROOT, "%+.0f %%",
                    100.0 * (p.neededNodes() - s.base().nodes()) / s.base().nodes());
            sb.append(String.format(Locale.ROOT, "%-16s %22s %22s %14s %10s%n", p.policy().label, describe(p.before()),
                    same == null ? "–" : describe(same), needed, more));
        }
        sb.append("tried (nodes/GPUs: misses, dev p95 s, pass):\n");
        for (PolicyResult p : List.of(r.none(), r.ours())) {
            sb.append("  ").append(p.policy().label).append(':');
            for (Point x : p.tried()) {
                sb.append(String.format(Locale.ROOT, " %d/%d: %.1f %%, %.0f, %s;", x.nodes(), x.gpus(), 100 * x.missRate(),
                        x.devP95(),
                        x.passes() ? "yes" : "no"));
            }
            sb.append('\n');
        }
        sb.append(String.format(Locale.ROOT, "(wall %.1f s)%n", r.wallNanos() / 1e9));
        return sb.toString();
    }

    private static String describe(Point p) {
        return String.format(Locale.ROOT, "%.1f %%, %.0f s", 100 * p.missRate(), p.devP95());
    }
}
