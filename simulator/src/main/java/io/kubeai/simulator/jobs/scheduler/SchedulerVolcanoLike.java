package io.kubeai.simulator.jobs.scheduler;

import io.kubeai.core.cluster.ClusterState;
import io.kubeai.core.cycle.GangPlanner;
import io.kubeai.core.cycle.SchedulingState;
import io.kubeai.core.placement.NodeSelector;
import io.kubeai.core.queue.QueueTree;
import io.kubeai.core.queue.QuotaFit;
import io.kubeai.core.queue.QuotaLedger;
import io.kubeai.core.resource.PodRequest;
import io.kubeai.core.workload.Admission;
import io.kubeai.core.workload.PlannedPod;
import io.kubeai.core.workload.Workload;
import io.kubeai.simulator.jobs.sim.JobScheduler;
import io.kubeai.simulator.jobs.sim.SchedulerContext;
import io.kubeai.simulator.jobs.sim.SimJob;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Baseline: Volcano-like gang scheduling with proportional queues ({@code gang}, {@code drf},
 * {@code proportion}, {@code allocate} and {@code reclaim}, as configured by default).
 *
 * <ul>
 *   <li>Gang: a job's pods are placed all or nothing on the scheduler's tentative view of the
 *       cluster (core's {@link GangPlanner}, Volcano's statement commit/discard).
 *   <li>Deserved capacity: each queue deserves the cluster's capacity × its weight / the sum of
 *       its siblings' weights, down the queue tree (flat trees: capacity × weight / Σ weights).
 *       Its share is its usage over its deserved in the dominant resource (core's
 *       {@link QuotaLedger#dominantShare}, rescaled), as proportion's queue order has it.
 *   <li>Order: the queue with the lowest share goes next; within a queue, jobs by priority, then
 *       age, then id (drf's job order compares what a job holds, which is nothing for every
 *       pending all-or-nothing gang, so it never separates them). A queue's {@code max} caps it
 *       (its capability).
 *   <li>Overused queues wait: a queue at or above its deserved share is skipped while a queue
 *       below its share has jobs waiting, and may go beyond it only when none does (a stand-in
 *       for proportion's water-filling, which gives unclaimed share to queues that ask for more).
 *   <li>Reclaim: when a job of a queue below its share does not fit, running jobs of queues above
 *       their share are evicted (lowest priority first, then the newest, at most 16), but only
 *       while the victim's queue stays at or above its share, so two queues cannot take turns
 *       reclaiming from each other; the job is placed at once if they make it fit, and nobody is
 *       evicted otherwise. Victims re-queue.
 * </ul>
 *
 * <p>Left out: water-filling of deserved by demand, the {@code preempt} action (priority
 * preemption within a queue), task-level (partial) eviction, {@code minAvailable} below the
 * gang size, pipelining onto releasing resources, backfill, the binpack and nodeorder scorers
 * (pods go where the run's placement policy chooses), and the enqueue action's admission
 * control.
 */
public final class SchedulerVolcanoLike implements JobScheduler {
    public static final String NAME = "volcano-like";
    static final int MAX_VICTIMS = 16;

    private static final Comparator<SimJob> ORDER = Comparator.comparingInt((SimJob j) -> -j.priority())
            .thenComparingLong(SimJob::queuedAtSeconds)
            .thenComparing(SimJob::id);
    /** Victims: lowest priority first, then the most recently admitted, then by id. */
    private static final Comparator<Admission> VICTIMS = Comparator.comparingInt((Admission a) -> a.workload().priority())
            .thenComparing(Comparator.comparingLong(Admission::admittedAtSeconds).reversed())
            .thenComparing(a -> a.workload().id());

    private final SchedulerContext ctx;
    private final ClusterState view;
    private final SchedulingState state;
    private final QuotaLedger usage;
    private final QueueTree tree;
    private final NodeSelector selector;
    private final double[] deservedFraction;
    private final Map<Integer, TreeSet<SimJob>> pending = new HashMap<>();
    private final Map<PodRequest, NoFit> noFit = new HashMap<>();
    private final Set<Gang> failedReclaims = new HashSet<>();
    /** Each queue's share, recomputed only after the view changes. */
    private final double[] shares;
    private boolean sharesStale = true;

    private record NoFit(long version, int placeable) {
    }

    private record Gang(PodRequest shape, int pods) {
    }

    public SchedulerVolcanoLike(SchedulerContext ctx) {
        this.ctx = ctx;
        this.view = new ClusterState(ctx.nodes());
        this.tree = ctx.queues();
        this.usage = new QuotaLedger(tree, view.capacity());
        this.state = new SchedulingState(view, usage);
        this.selector = ctx.newNodeSelector();
        this.deservedFraction = deservedFractions(tree);
        this.shares = new double[tree.size()];
    }

    /** Each queue's part of the cluster: its weight among its siblings', times its parent's part. */
    static double[] deservedFractions(QueueTree tree) {
        double[] f = new double[tree.size()];
        for (int q = 0; q < tree.size(); q++) { // parents come before children
            int p = tree.parent(q);
            int[] siblings = p < 0 ? tree.roots() : tree.children(p);
            long sum = 0;
            for (int s : siblings) {
                sum += tree.spec(s).weight();
            }
            f[q] = (p < 0 ? 1.0 : f[p]) * tree.spec(q).weight() / sum;
        }
        return f;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Usage over deserved in the dominant resource: 1 is exactly the queue's deserved share. */
    double share(int queue) {
        if (sharesStale) {
            for (int q = 0; q < shares.length; q++) {
                shares[q] = usage.dominantShare(q) * tree.spec(q).weight() / deservedFraction[q];
            }
            sharesStale = false;
        }
        return shares[queue];
    }

    private void evictFromView(String jobId) {
        state.evict(jobId);
        sharesStale = true;
    }

    private void restoreToView(Admission a) {
        state.admit(a.workload(), a.queueIndex(), a.pods(), a.admittedAtSeconds());
        sharesStale = true;
    }

    @Override
    public void jobArrived(SimJob job) {
        pending.computeIfAbsent(job.queueIndex(), q -> new TreeSet<>(ORDER)).add(job);
    }

    @Override
    public void jobCompleted(SimJob job) {
        evictFromView(job.id());
    }

    @Override
    public void cycle() {
        noFit.clear();
        failedReclaims.clear();
        TreeMap<Integer, ArrayDeque<SimJob>> waiting = new TreeMap<>();
        pending.forEach((q, jobs) -> {
            if (!jobs.isEmpty()) {
                waiting.put(q, new ArrayDeque<>(jobs));
            }
        });
        while (true) {
            // A queue below its deserved share with jobs waiting holds back the queues above theirs.
            boolean belowWaiting = false;
            for (Map.Entry<Integer, TreeSet<SimJob>> e : pending.entrySet()) {
                if (!e.getValue().isEmpty() && share(e.getKey()) < 1) {
                    belowWaiting = true;
                    break;
                }
            }
            // The lowest share goes next, ties by queue order.
            int best = -1;
            double bestShare = Double.MAX_VALUE;
            for (Map.Entry<Integer, ArrayDeque<SimJob>> e : waiting.entrySet()) {
                if (e.getValue().isEmpty()) {
                    continue;
                }
                double s = share(e.getKey());
                if (belowWaiting && s >= 1) {
                    continue;
                }
                if (s < bestShare) {
                    best = e.getKey();
                    bestShare = s;
                }
            }
            if (best < 0) {
                return;
            }
            allocate(waiting.get(best).poll(), best);
        }
    }

    private void allocate(SimJob job, int leaf) {
        if (usage.check(leaf, job.totalResources()).kind() == QuotaFit.Kind.MAX) {
            return; // beyond the queue's capability
        }
        Workload w = SchedulerKubeAi.workload(job, 0);
        GangPlanner.Outcome o = plan(w, job);
        if (o instanceof GangPlanner.Planned p) {
            admit(job, w, leaf, p.pods());
        } else if (share(leaf) < 1) {
            reclaim(job, w, leaf);
        }
    }

    private GangPlanner.Outcome plan(Workload w, SimJob job) {
        long version = view.version();
        NoFit nf = noFit.get(job.podRequest());
        if (nf != null && nf.version == version && job.pods() > nf.placeable) {
            return new GangPlanner.NotPlaced(nf.placeable, job.pods(), "a gang of this shape did not fit");
        }
        GangPlanner.Outcome o = GangPlanner.plan(view, w, selector, ctx.random());
        if (o instanceof GangPlanner.NotPlaced np) {
            noFit.put(job.podRequest(), new NoFit(version, np.placeable()));
        }
        return o;
    }

    private void admit(SimJob job, Workload w, int leaf, List<PlannedPod> pods) {
        state.commit(w, leaf, pods, ctx.now());
        sharesStale = true;
        pending.get(leaf).remove(job);
        ctx.bindAll(job, pods);
    }

    private void reclaim(SimJob job, Workload w, int leaf) {
        Gang gang = new Gang(job.podRequest(), job.pods());
        if (failedReclaims.contains(gang)) {
            return;
        }
        List<Admission> candidates = new ArrayList<>();
        for (Admission a : state.running()) {
            if (a.queueIndex() != leaf && share(a.queueIndex()) > 1) {
                candidates.add(a);
            }
        }
        candidates.sort(VICTIMS);
        List<Admission> taken = new ArrayList<>();
        for (Admission a : candidates) {
            if (taken.size() >= MAX_VICTIMS) {
                break;
            }
            evictFromView(a.workload().id());
            // Only while the victim's queue stays at or above its deserved share.
            if (share(a.queueIndex()) < 1) {
                restoreToView(a);
                continue;
            }
            taken.add(a);
            GangPlanner.Outcome o = GangPlanner.plan(view, w, selector, ctx.random());
            if (o instanceof GangPlanner.Planned p) {
                for (Admission t : taken) {
                    SimJob victim = ctx.job(t.workload().id()).orElseThrow();
                    ctx.evict(victim, "reclaimed for " + job.id() + " of queue " + tree.name(leaf)
                            + ", below its deserved share, from queue " + tree.name(t.queueIndex()) + ", above its");
                    jobArrived(victim);
                }
                admit(job, w, leaf, p.pods());
                return;
            }
        }
        for (int i = taken.size() - 1; i >= 0; i--) {
            restoreToView(taken.get(i));
        }
        failedReclaims.add(gang);
    }
}
