package io.kubeai.simulator.jobs.online;

import io.kubeai.simulator.jobs.JobSpec;
import io.kubeai.simulator.jobs.trace.GeneratorSpec;
import io.kubeai.simulator.jobs.trace.JobTraceGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Helpers the online-service experiments share: the batch trace over a span of days, and parallel runs. */
public final class BatchWork {
    private BatchWork() {
    }

    /**
     * The generator's jobs ({@code spec}'s pod shapes, Philly run times, Helios teams, Poisson
     * arrivals at the spec's load) submitted within the first {@code days} days: generated with
     * enough jobs to cover the span, then cut at it (a cut Poisson process keeps its rate).
     */
    public static List<JobSpec> overDays(GeneratorSpec spec, int days) {
        long horizon = days * DiurnalCurve.DAY_SECONDS;
        GeneratorSpec s = spec;
        for (int attempt = 0; attempt < 6; attempt++) {
            List<JobSpec> jobs = JobTraceGenerator.generate(s);
            long last = jobs.get(jobs.size() - 1).submitSeconds();
            if (last >= horizon) {
                return jobs.stream().filter(j -> j.submitSeconds() < horizon).toList();
            }
            int more = (int) Math.ceil(s.jobs() * 1.2 * horizon / Math.max(1.0, last));
            s = s.withJobs(Math.max(more, s.jobs() + 1));
        }
        throw new IllegalStateException("could not generate jobs covering " + days + " days from " + spec);
    }

    /** Runs the tasks on up to {@code threads} threads and returns their results in order. */
    public static <T> List<T> parallel(List<Callable<T>> tasks, int threads) {
        int n = Math.max(1, Math.min(threads, tasks.size()));
        ExecutorService pool = Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, "simulation");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> c : tasks) {
                futures.add(pool.submit(c));
            }
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Available processors. */
    public static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }
}
