package io.kubeai.simulator.fgd;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the FGD protocol for every (workload, policy, seed) of a grid on a pool of threads and
 * collects the runs in grid order, so the result does not depend on the thread count. Each run
 * owns its cluster, policy and memo; workloads are shared read-only.
 */
public final class FgdExperiment {

    /** What to run. {@code threads} ≤ 0 means one per available core. */
    public record Spec(List<FgdWorkload> workloads, List<String> policies, List<Long> seeds, double inflate,
            int threads) {
        public Spec {
            workloads = List.copyOf(workloads);
            policies = List.copyOf(policies);
            seeds = List.copyOf(seeds);
            if (workloads.isEmpty() || policies.isEmpty() || seeds.isEmpty()) {
                throw new IllegalArgumentException("an experiment needs at least one workload, policy and seed");
            }
        }

        public int runs() {
            return workloads.size() * policies.size() * seeds.size();
        }

        int effectiveThreads() {
            int t = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
            return Math.max(1, Math.min(t, runs()));
        }
    }

    /** Told after each run; called from worker threads, one call at a time. */
    public interface Progress {
        void finished(FgdRunResult run, int done, int total);

        Progress NONE = (run, done, total) -> { };
    }

    private FgdExperiment() {
    }

    public static FgdResults run(Spec spec, Progress progress) {
        List<Task> tasks = new ArrayList<>(spec.runs());
        for (FgdWorkload w : spec.workloads()) {
            for (String p : spec.policies()) {
                for (long s : spec.seeds()) {
                    tasks.add(new Task(w, p, s));
                }
            }
        }
        int threads = spec.effectiveThreads();
        long start = System.nanoTime();
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "fgd-run");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<FgdRunResult>> futures = new ArrayList<>(tasks.size());
            for (Task t : tasks) {
                futures.add(pool.submit(() -> {
                    FgdRunResult r = new FgdReplay(t.workload, t.policy, t.seed, spec.inflate()).run();
                    synchronized (progress) {
                        progress.finished(r, done.incrementAndGet(), tasks.size());
                    }
                    return r;
                }));
            }
            List<FgdRunResult> results = new ArrayList<>(tasks.size());
            for (Future<FgdRunResult> f : futures) {
                results.add(f.get());
            }
            return new FgdResults(results, spec.inflate(), threads, System.nanoTime() - start);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private record Task(FgdWorkload workload, String policy, long seed) {
    }
}
