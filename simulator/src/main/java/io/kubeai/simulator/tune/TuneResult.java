package io.kubeai.simulator.tune;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The configurations a tuning run (or one shard of it) evaluated, with what it needs to be
 * judged and merged: the space, the current policy document, the workload's description and
 * fingerprint, and how many configurations the whole run has. From these it derives the Pareto
 * frontier, the recommendation and its comparison with the current configuration, so a merged
 * set of shards yields the same report as one machine.
 *
 * @param space what was explored and wanted
 * @param basePolicy the current policy document (configuration 0)
 * @param workload where the jobs come from, for reports
 * @param fingerprint {@link TuneWorkload#fingerprint()}
 * @param configurations how many configurations the whole run evaluates, current included
 * @param shard which shard this is ({@code 0} of {@code 1} for a whole run)
 * @param shards how many shards the run was split into
 * @param evaluations in order of configuration number
 */
public record TuneResult(TuneSpace space, Map<String, Object> basePolicy, String workload, String fingerprint,
        int configurations, int shard, int shards, List<Evaluation> evaluations) {

    @SuppressWarnings("unchecked")
    public TuneResult {
        Objects.requireNonNull(space, "space");
        basePolicy = (Map<String, Object>) PolicyTrees.normalize(basePolicy);
        evaluations = evaluations.stream().sorted(Comparator.comparingInt(e -> e.candidate().index())).toList();
        if (shards < 1 || shard < 0 || shard >= shards) {
            throw new IllegalArgumentException("shard " + shard + " of " + shards + " does not exist");
        }
    }

    public boolean complete() {
        return shards == 1 && evaluations.size() == configurations;
    }

    public Evaluation current() {
        return evaluations.stream().filter(e -> e.candidate().isCurrent()).findFirst()
                .orElseThrow(() -> new IllegalStateException("the current configuration was not evaluated"));
    }

    /** Whether every constraint holds on the median over seeds. */
    public boolean feasible(Evaluation e) {
        for (Constraint c : space.constraints()) {
            if (!c.holds(e.median(c.metric()))) {
                return false;
            }
        }
        return true;
    }

    public List<Evaluation> feasible() {
        return evaluations.stream().filter(this::feasible).toList();
    }

    /** Whether {@code a} is at least as good as {@code b} on every objective's median and better on one. */
    public boolean dominates(Evaluation a, Evaluation b) {
        boolean better = false;
        for (TuneMetric m : space.objectives()) {
            double x = a.median(m);
            double y = b.median(m);
            if (m.better(y, x)) {
                return false;
            }
            if (m.better(x, y)) {
                better = true;
            }
        }
        return better;
    }

    /**
     * The configurations no other beats on every objective, among those meeting the constraints
     * (among all when none does), by configuration number. O(n² × objectives).
     */
    public List<Evaluation> frontier() {
        List<Evaluation> pool = feasible().isEmpty() ? evaluations : feasible();
        List<Evaluation> out = new ArrayList<>();
        for (Evaluation a : pool) {
            boolean dominated = false;
            for (Evaluation b : pool) {
                if (b != a && dominates(b, a)) {
                    dominated = true;
                    break;
                }
            }
            if (!dominated) {
                out.add(a);
            }
        }
        return out;
    }

    /**
     * The compromise among the feasible frontier: each objective's median scaled to 0 (the best any
     * feasible configuration reached) .. 1 (the worst), and the configuration nearest to all-zero
     * (Euclidean); ties go to the lower number, so to the current configuration first. Empty when
     * no configuration meets the constraints.
     */
    public Optional<Evaluation> recommended() {
        List<Evaluation> feasible = feasible();
        if (feasible.isEmpty()) {
            return Optional.empty();
        }
        int k = space.objectives().size();
        double[] best = new double[k];
        double[] worst = new double[k];
        for (int i = 0; i < k; i++) {
            TuneMetric m = space.objectives().get(i);
            best[i] = Double.NaN;
            worst[i] = Double.NaN;
            for (Evaluation e : feasible) {
                double v = e.median(m);
                if (Double.isNaN(v)) {
                    continue;
                }
                best[i] = Double.isNaN(best[i]) || m.better(v, best[i]) ? v : best[i];
                worst[i] = Double.isNaN(worst[i]) || m.better(worst[i], v) ? v : worst[i];
            }
        }
        Evaluation chosen = null;
        double chosenDistance = Double.MAX_VALUE;
        for (Evaluation e : frontier()) {
            double d = 0;
            for (int i = 0; i < k; i++) {
                d += Math.pow(scaled(e.median(space.objectives().get(i)), best[i], worst[i]), 2);
            }
            if (d < chosenDistance - 1e-12) {
                chosen = e;
                chosenDistance = d;
            }
        }
        return Optional.ofNullable(chosen);
    }

    /** 0 at best, 1 at worst; NaN counts as worst, and an objective all configurations tie on counts 0. */
    static double scaled(double v, double best, double worst) {
        if (Double.isNaN(v)) {
            return 1;
        }
        if (Double.isNaN(best) || best == worst) {
            return 0;
        }
        return (v - best) / (worst - best);
    }

    /**
     * The metrics a report compares, objectives first, then those constrained, then the rest; the
     * staggering scenario's own metrics only when some run measured them.
     */
    public List<TuneMetric> reportedMetrics() {
        LinkedHashSet<TuneMetric> out = new LinkedHashSet<>(space.objectives());
        for (Constraint c : space.constraints()) {
            out.add(c.metric());
        }
        for (TuneMetric m : TuneMetric.ALL) {
            if (!m.staggerOnly() || evaluations.stream().anyMatch(e -> !Double.isNaN(e.max(m)))) {
                out.add(m);
            }
        }
        return List.copyOf(out);
    }

    /** How the recommended configuration compares with the current one on each metric, seed by seed. */
    public List<Comparison> comparison() {
        Evaluation rec = recommended().orElseThrow(() -> new IllegalStateException("nothing is recommended"));
        Evaluation cur = current();
        List<Comparison> out = new ArrayList<>();
        for (TuneMetric m : reportedMetrics()) {
            out.add(Comparison.of(m, cur, rec));
        }
        return out;
    }

    /**
     * One metric, current against recommended, paired by seed (the same seed replays the same
     * jobs with the same tie-breaks, so the difference of a pair is the configuration's doing).
     *
     * @param medianChange median over seeds of (recommended − current)
     * @param better seeds where the recommendation did better
     * @param worse seeds where it did worse
     * @param seeds seeds with a value on both sides
     */
    public record Comparison(TuneMetric metric, double currentMedian, double currentMin, double currentMax,
            double recommendedMedian, double recommendedMin, double recommendedMax, double medianChange, int better,
            int worse, int seeds) {

        static Comparison of(TuneMetric m, Evaluation cur, Evaluation rec) {
            double[] a = cur.values(m);
            double[] b = rec.values(m);
            List<Double> diffs = new ArrayList<>();
            int better = 0;
            int worse = 0;
            for (int s = 0; s < Math.min(a.length, b.length); s++) {
                if (Double.isNaN(a[s]) || Double.isNaN(b[s])) {
                    continue;
                }
                diffs.add(b[s] - a[s]);
                if (m.better(b[s], a[s])) {
                    better++;
                } else if (m.better(a[s], b[s])) {
                    worse++;
                }
            }
            double[] d = diffs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double median = d.length == 0 ? Double.NaN
                    : d.length % 2 == 1 ? d[d.length / 2] : (d[d.length / 2 - 1] + d[d.length / 2]) / 2;
            return new Comparison(m, cur.median(m), cur.min(m), cur.max(m), rec.median(m), rec.min(m), rec.max(m),
                    median, better, worse, d.length);
        }

        /**
         * {@code better on every seed}, {@code worse on every seed}, {@code no change}, {@code never
         * worse} or {@code never better} when some seeds tie, or {@code within noise} when the seeds
         * disagree. With one seed nothing can be told from noise.
         */
        public String verdict() {
            if (seeds == 0) {
                return "n/a";
            }
            if (better == 0 && worse == 0) {
                return "no change";
            }
            if (seeds < 2) {
                return "one seed: cannot tell";
            }
            if (better == seeds) {
                return "better on every seed";
            }
            if (worse == seeds) {
                return "worse on every seed";
            }
            if (worse == 0) {
                return "never worse (" + better + " better, " + (seeds - better) + " equal of " + seeds + ")";
            }
            if (better == 0) {
                return "never better (" + worse + " worse, " + (seeds - worse) + " equal of " + seeds + ")";
            }
            return "within noise (" + better + " better, " + worse + " worse of " + seeds + ")";
        }
    }
}
