package io.kubeai.simulator.jobs.scheduler;

import io.kubeai.core.placement.NodeSelector;
import io.kubeai.core.queue.QuotaLedger;
import io.kubeai.simulator.jobs.sim.JobScheduler;
import io.kubeai.simulator.jobs.sim.SchedulerContext;
import io.kubeai.simulator.jobs.sim.SimJob;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeSet;

/**
 * Baseline: Kueue-like quota admission in front of kube-scheduler. A job is admitted whole
 * against its queue's quota, with the same queues, guarantees, limits and borrowing as ours
 * (core's {@link QuotaLedger}), in strict FIFO per queue (Kueue's {@code StrictFIFO}: priority,
 * then age; a head that does not fit blocks its queue); across queues the best head goes first
 * (priority, then age, then id). Admission is placement-unaware: once admitted, the job's pods are
 * created and scheduled pod by pod like {@link SchedulerKubeDefault} ({@link PodQueue}, their
 * timestamp the admission), so a job may end partially placed, holding its quota and nodes while it
 * waits for the rest.
 *
 * <p>Left out: preemption and reclaim (within a queue and across the cohort), fair sharing,
 * {@code BestEffortFIFO} queues, resource flavors, admission checks, and
 * {@code waitForPodsReady} (which would evict a job whose pods do not all start in time).
 */
public final class SchedulerKueueLike implements JobScheduler {
    public static final String NAME = "kueue-like";

    /** Within a queue, and across heads: priority first, then the oldest, then by id. */
    private static final Comparator<SimJob> ORDER = Comparator.comparingInt((SimJob j) -> -j.priority())
            .thenComparingLong(SimJob::queuedAtSeconds)
            .thenComparing(SimJob::id);

    private final SchedulerContext ctx;
    private final NodeSelector selector;
    private final QuotaLedger quota;
    private final Map<Integer, TreeSet<SimJob>> waiting = new HashMap<>();
    private final PodQueue pods = new PodQueue();

    public SchedulerKueueLike(SchedulerContext ctx) {
        this.ctx = ctx;
        this.selector = ctx.newNodeSelector();
        this.quota = new QuotaLedger(ctx.queues(), ctx.cluster().capacity());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void jobArrived(SimJob job) {
        waiting.computeIfAbsent(job.queueIndex(), q -> new TreeSet<>(ORDER)).add(job);
    }

    @Override
    public void jobCompleted(SimJob job) {
        quota.remove(job.queueIndex(), job.totalResources());
    }

    @Override
    public void cycle() {
        // 1. Quota: admit heads while they fit; a head that does not fit blocks its queue.
        PriorityQueue<SimJob> heads = new PriorityQueue<>(ORDER);
        for (TreeSet<SimJob> q : waiting.values()) {
            if (!q.isEmpty()) {
                heads.add(q.first());
            }
        }
        while (!heads.isEmpty()) {
            SimJob head = heads.poll();
            if (!quota.check(head.queueIndex(), head.totalResources()).fits()) {
                continue;
            }
            quota.add(head.queueIndex(), head.totalResources());
            TreeSet<SimJob> q = waiting.get(head.queueIndex());
            q.pollFirst();
            ctx.admitted(head);
            pods.add(head, ctx.now());
            if (!q.isEmpty()) {
                heads.add(q.first());
            }
        }
        // 2. kube-scheduler: pod by pod.
        pods.schedule(ctx, selector);
    }
}
