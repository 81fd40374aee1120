package io.kubeai.simulator.jobs.sim;

import io.kubeai.core.cluster.Node;
import io.kubeai.core.queue.QueueSpec;
import io.kubeai.simulator.jobs.JobSpec;
import io.kubeai.simulator.jobs.metrics.JobMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The same jobs, nodes and queues through several schedulers, one {@link JobSimulation} each, on a
 * pool of threads (one per available core by default). Results come back in the order the
 * schedulers were given, so they do not depend on the thread count; each run owns its cluster,
 * policy and random source, and the inputs are shared read-only.
 */
public final class JobComparison {

    /** What to run. {@code threads} ≤ 0 means one per available core. */
    public record Spec(List<JobSpec> jobs, List<Node> nodes, List<QueueSpec> queues,
            List<JobScheduler.Factory> schedulers, JobSimulationConfig config, int threads) {
        public Spec {
            jobs = List.copyOf(jobs);
            nodes = List.copyOf(nodes);
            queues = List.copyOf(queues);
            schedulers = List.copyOf(schedulers);
            if (schedulers.isEmpty()) {
                throw new IllegalArgumentException("a comparison needs at least one scheduler");
            }
        }

        int effectiveThreads() {
            int t = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
            return Math.max(1, Math.min(t, schedulers.size()));
        }
    }

    /** Every run's metrics, in the order of the spec's schedulers. */
    public record Result(List<JobMetrics> runs, int threads, long wallNanos) {
        public Result {
            runs = List.copyOf(runs);
        }

        public Optional<JobMetrics> of(String scheduler) {
            return runs.stream().filter(r -> r.scheduler().equals(scheduler)).findFirst();
        }
    }

    /** Told after each run; called from worker threads, one call at a time. */
    public interface Progress {
        void finished(JobMetrics run, int done, int total);

        /**
         * Told now and then while a run goes on (every {@link #STEPS_BETWEEN_REPORTS} events):
         * the scheduler, the simulated time, and how many of the jobs have been submitted.
         */
        default void running(String scheduler, long simulatedSeconds, int arrived, int jobs) {
        }

        Progress NONE = (run, done, total) -> { };
    }

    /** Events between two {@link Progress#running} calls. */
    public static final int STEPS_BETWEEN_REPORTS = 1 << 18;

    private JobComparison() {
    }

    public static Result run(Spec spec) {
        return run(spec, Progress.NONE);
    }

    public static Result run(Spec spec, Progress progress) {
        int threads = spec.effectiveThreads();
        long start = System.nanoTime();
        AtomicInteger done = new AtomicInteger();
        int total = spec.schedulers().size();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "job-simulation");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<JobMetrics>> futures = new ArrayList<>(total);
            for (JobScheduler.Factory f : spec.schedulers()) {
                futures.add(pool.submit(() -> {
                    JobSimulation sim = new JobSimulation(spec.jobs(), spec.nodes(), spec.queues(), f, spec.config());
                    long steps = 0;
                    while (sim.hasNext()) {
                        sim.step();
                        if (++steps % STEPS_BETWEEN_REPORTS == 0) {
                            synchronized (progress) {
                                progress.running(sim.schedulerName(), sim.now(), sim.arrived(), spec.jobs().size());
                            }
                        }
                    }
                    JobMetrics m = sim.run();
                    synchronized (progress) {
                        progress.finished(m, done.incrementAndGet(), total);
                    }
                    return m;
                }));
            }
            List<JobMetrics> runs = new ArrayList<>(total);
            for (Future<JobMetrics> f : futures) {
                runs.add(f.get());
            }
            return new Result(runs, threads, System.nanoTime() - start);
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
}
