package io.kubeai.simulator.tune;

import io.kubeai.core.config.SchedulingPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a tuning search: every configuration chosen by the {@link Search}, with every seed of the
 * space, through a {@link TuneRunner}: the kubeai scheduler of the job simulator
 * ({@link TuneWorkload}, each run's settings from its policy through {@link PolicySimulation#configFor})
 * or the staggering scenario ({@link StaggerWorkload}, through {@link StaggerSimulation#settingsFor}). Runs go to a fixed pool of threads; results
 * are stored by configuration and seed, so they do not depend on the number of threads or on
 * which run finishes first, and a refine round starts only when the previous one is complete.
 *
 * <p>A run can be one shard of a larger one: configurations are dealt round-robin by number
 * ({@code number % shards == shard}), which needs a search whose configurations are all known up
 * front (grid or random). Cost: configurations × seeds simulations; memory: the workload plus
 * one simulation per thread (only each run's metric values are kept).
 */
public final class Tuner {

    /** Told after each simulation; called from worker threads, one call at a time. */
    public interface Progress {
        void finished(Candidate candidate, long seed, int done, int total);

        Progress NONE = (c, seed, done, total) -> { };
    }

    /**
     * Which part of the configurations to run.
     *
     * @param index this shard, 0-based
     * @param count how many shards the configurations are split into
     */
    public record Shard(int index, int count) {
        public static final Shard WHOLE = new Shard(0, 1);

        public Shard {
            if (count < 1 || index < 0 || index >= count) {
                throw new IllegalArgumentException("shard " + index + " of " + count + " does not exist; "
                        + "shards are numbered 0.." + (count - 1));
            }
        }

        boolean owns(Candidate c) {
            return c.index() % count == index;
        }
    }

    private final TuneSpace space;
    private final Map<String, Object> basePolicy;
    private final TuneRunner workload;
    private final int threads;

    /** {@code threads} ≤ 0 means one per available core. */
    public Tuner(TuneSpace space, Map<String, Object> basePolicy, TuneRunner workload, int threads) {
        this.space = space;
        this.basePolicy = basePolicy;
        this.workload = workload;
        this.threads = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        workload.checkSeeds(space.seeds().size());
        SchedulingPolicy.fromTree(basePolicy);
    }

    public int threads() {
        return threads;
    }

    public TuneResult run(Shard shard, Progress progress) {
        Search search = new Search(space, basePolicy);
        if (shard.count() > 1 && !space.search().method().fixedUpFront()) {
            throw new IllegalArgumentException("search method " + space.search().method().yaml() + " chooses each "
                    + "round from the results of the last, so it cannot be split into shards; use grid or random");
        }
        List<Candidate> first = new ArrayList<>();
        first.add(Candidate.current());
        first.addAll(search.initial());
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "tune");
            t.setDaemon(true);
            return t;
        });
        try {
            if (space.search().method().fixedUpFront()) {
                List<Candidate> mine = first.stream().filter(shard::owns).toList();
                List<Evaluation> done = evaluate(pool, mine, progress, new AtomicInteger(),
                        mine.size() * space.seeds().size());
                return new TuneResult(space, basePolicy, workload.description(), workload.fingerprint(), first.size(),
                        shard.index(), shard.count(), done);
            }
            int total = (1 + space.search().budget()) * space.seeds().size();
            AtomicInteger counter = new AtomicInteger();
            List<Evaluation> all = new ArrayList<>(evaluate(pool, first, progress, counter, total));
            while (search.remainingBudget() > 0) {
                TuneResult sofar = new TuneResult(space, basePolicy, workload.description(), workload.fingerprint(),
                        all.size(), 0, 1, all);
                List<Candidate> round = search.refine(sofar.frontier());
                if (round.isEmpty()) {
                    break;
                }
                all.addAll(evaluate(pool, round, progress, counter, total));
            }
            return new TuneResult(space, basePolicy, workload.description(), workload.fingerprint(), all.size(), 0, 1,
                    all);
        } finally {
            pool.shutdownNow();
        }
    }

    private List<Evaluation> evaluate(ExecutorService pool, List<Candidate> candidates, Progress progress,
            AtomicInteger done, int total) {
        int seeds = space.seeds().size();
        List<List<Future<double[]>>> futures = new ArrayList<>(candidates.size());
        for (Candidate c : candidates) {
            SchedulingPolicy policy = c.policy(space, basePolicy);
            List<Future<double[]>> row = new ArrayList<>(seeds);
            for (int s = 0; s < seeds; s++) {
                int seedIndex = s;
                long seed = space.seeds().get(s);
                row.add(pool.submit(() -> {
                    double[] values = workload.run(policy, seedIndex, seed);
                    synchronized (progress) {
                        progress.finished(c, seed, done.incrementAndGet(), total);
                    }
                    return values;
                }));
            }
            futures.add(row);
        }
        List<Evaluation> out = new ArrayList<>(candidates.size());
        try {
            for (int i = 0; i < candidates.size(); i++) {
                double[][] runs = new double[seeds][];
                for (int s = 0; s < seeds; s++) {
                    runs[s] = futures.get(i).get(s).get();
                }
                out.add(new Evaluation(candidates.get(i), runs));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
        return out;
    }
}
