package io.kubeai.simulator.jobs.scheduler;

import io.kubeai.core.cluster.ClusterState;
import io.kubeai.core.cycle.CycleResult;
import io.kubeai.core.cycle.Decision;
import io.kubeai.core.cycle.SchedulingCycle;
import io.kubeai.core.cycle.SchedulingState;
import io.kubeai.core.queue.QueueSpec;
import io.kubeai.core.queue.QueueTree;
import io.kubeai.core.queue.QuotaLedger;
import io.kubeai.core.resource.PodRequest;
import io.kubeai.core.window.ClosingBudget;
import io.kubeai.core.window.ClosingEvictions;
import io.kubeai.core.window.QueueWindows;
import io.kubeai.core.workload.Admission;
import io.kubeai.core.workload.PodSet;
import io.kubeai.core.workload.Timing;
import io.kubeai.core.workload.Workload;
import io.kubeai.simulator.jobs.JobSpec;
import io.kubeai.simulator.jobs.sim.JobScheduler;
import io.kubeai.simulator.jobs.sim.SchedulerContext;
import io.kubeai.simulator.jobs.sim.SimJob;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ours: core's {@link SchedulingCycle}, driven as the live controller drives it. The scheduler
 * keeps its own {@link SchedulingState} (its view of the cluster, each queue's usage and the
 * running workloads, as the controller's informer cache would), runs the cycle on it with every
 * pending job, and carries out the decisions: {@code Admit} binds all the gang's pods where the
 * plan put them; {@code Preempt} evicts the victims, which re-queue (the preemptor is admitted in
 * a later cycle, once they are gone); {@code Expire} fails the job; {@code Wait} leaves it queued,
 * and its reason is counted. A job re-queued after eviction is a new workload aged from the
 * eviction (Kueue's default requeuing timestamp). Every gang is all-or-nothing
 * ({@code minMember} = its pods); the job timeout of the run's config becomes each workload's
 * {@code timeoutSeconds}; a job's tier, periodicity, not-before time and deadline become its
 * {@link Timing}, with its duration as the expected one.
 *
 * <p>With {@link Staggering}: before each cycle the queues are as their windows make them at
 * that instant (the quota is rebuilt when a window opens or closes a scale), closed queues admit
 * nothing, running work of a closed queue is evicted a few at a time
 * ({@link ClosingEvictions}, at most the budget per interval), and the cycle defers per the
 * {@code Stagger}. Pods reserved by cluster agents (online services, capacity held back) are
 * placed in the view as they are in the cluster.
 */
public final class SchedulerKubeAi implements JobScheduler {
    public static final String NAME = "kubeai";

    private final SchedulerContext ctx;
    private final ClusterState view;
    private SchedulingState state;
    private final SchedulingCycle cycle;
    private final Staggering staggering;
    private final List<QueueSpec> configured;
    private List<QueueSpec> effective;
    /** Window-closing evictions of the last interval: the controller's budget, on the simulated clock. */
    private final ClosingBudget closingBudget;
    private long closingEvictions;
    private final LinkedHashMap<String, Workload> pending = new LinkedHashMap<>();
    private final EnumMap<Decision.WaitReason, Long> waits = new EnumMap<>(Decision.WaitReason.class);

    public SchedulerKubeAi(SchedulerContext ctx) {
        this(ctx, Staggering.NONE);
    }

    public SchedulerKubeAi(SchedulerContext ctx, Staggering staggering) {
        if (!staggering.isNone() && ctx.config().horizonSeconds() <= 0) {
            throw new IllegalArgumentException("staggering keeps deferred work waiting on the clock: the simulation"
                    + " needs a horizon (horizonSeconds > 0)");
        }
        this.ctx = ctx;
        this.view = new ClusterState(ctx.nodes());
        this.state = new SchedulingState(view, new QuotaLedger(ctx.queues(), view.capacity()));
        this.staggering = staggering;
        this.closingBudget = new ClosingBudget(java.time.Duration.ofSeconds(staggering.intervalSeconds()),
                staggering.closingEvictionsPerInterval());
        this.cycle = new SchedulingCycle(ctx.config().kubeAiCycle(), ctx.newNodeSelector(), staggering.stagger());
        List<QueueSpec> specs = new ArrayList<>();
        for (int q = 0; q < ctx.queues().size(); q++) {
            specs.add(ctx.queues().spec(q));
        }
        this.configured = List.copyOf(specs);
        this.effective = configured;
    }

    /** A factory of this scheduler with {@code staggering}. */
    public static Factory factory(Staggering staggering) {
        return Factory.of(NAME, c -> new SchedulerKubeAi(c, staggering));
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The workload a queued job is scheduled as. */
    static Workload workload(SimJob job, long timeoutSeconds) {
        JobSpec s = job.spec();
        Timing timing = new Timing(s.tier(), s.periodic(),
                s.hasNotBefore() ? Instant.ofEpochSecond(s.notBeforeSeconds()) : null,
                s.hasDeadline() ? Instant.ofEpochSecond(s.deadlineSeconds()) : null, s.durationSeconds());
        return new Workload(job.id(), s.queue(), job.priority(), job.queuedAtSeconds(),
                List.of(new PodSet("worker", job.pods(), job.podRequest())), job.pods(), timeoutSeconds, timing);
    }

    @Override
    public void jobArrived(SimJob job) {
        pending.put(job.id(), workload(job, ctx.config().jobTimeoutSeconds()));
    }

    @Override
    public void jobCompleted(SimJob job) {
        state.evict(job.id());
    }

    @Override
    public void podReserved(String podId, PodRequest request, int nodeIndex) {
        view.place(podId, request, nodeIndex, 0);
    }

    @Override
    public void podReleased(String podId) {
        view.remove(podId);
    }

    @Override
    public void jobEvicted(SimJob job, String reason) {
        state.evict(job.id());
        pending.put(job.id(), workload(job, ctx.config().jobTimeoutSeconds()));
    }

    @Override
    public void cycle() {
        Map<String, String> closed = Map.of();
        if (!staggering.isNone()) {
            closed = applyWindows();
            if (!pending.isEmpty() || !closed.isEmpty() || (!staggering.windows().isEmpty() && !state.running().isEmpty())) {
                // Deferred work and closed queues change with the clock, not only with events; and
                // a window may close on work that runs.
                ctx.requestCycleAt(ctx.now() + staggering.intervalSeconds());
            }
        }
        if (pending.isEmpty()) {
            return;
        }
        CycleResult result = cycle.run(state, pending.values(), ctx.now(), ctx.random(), closed);
        for (Decision d : result.decisions()) {
            SimJob job = job(d.workload().id());
            if (d instanceof Decision.Admit a) {
                pending.remove(job.id());
                ctx.bindAll(job, a.pods());
            } else if (d instanceof Decision.Preempt p) {
                for (Decision.Victim v : p.victims()) {
                    if (state.evict(v.workloadId()).isPresent()) {
                        SimJob victim = job(v.workloadId());
                        ctx.evict(victim, "preempted for " + job.id() + ": " + v.why());
                        pending.put(victim.id(), workload(victim, ctx.config().jobTimeoutSeconds()));
                    }
                }
            } else if (d instanceof Decision.Expire e) {
                pending.remove(job.id());
                ctx.fail(job, e.message());
            } else if (d instanceof Decision.Wait w) {
                waits.merge(w.why(), 1L, Long::sum);
            }
        }
    }

    /**
     * The queues as their windows make them now: the quota follows a changed scale, and what runs
     * in a closed queue leaves within the budget. Returns the closed queues.
     */
    private Map<String, String> applyWindows() {
        QueueWindows.AtInstant at = QueueWindows.at(configured, staggering.windows(), Instant.ofEpochSecond(ctx.now()));
        if (!at.specs().equals(effective)) {
            // A window opened or closed a scale: the same queues, the same usage, new min and max.
            effective = at.specs();
            SchedulingState next = new SchedulingState(view, new QuotaLedger(QueueTree.of(effective), view.capacity()));
            for (Admission a : state.running()) {
                next.commit(a.workload(), a.queueIndex(), a.pods(), a.admittedAtSeconds());
            }
            state = next;
        }
        if (!at.closed().isEmpty() && staggering.closingEvictionsPerInterval() > 0) {
            Instant now = Instant.ofEpochSecond(ctx.now());
            closingBudget.advance(now);
            QueueTree tree = state.quota().tree();
            List<Admission> leaving = ClosingEvictions.choose(state.running(), at.closed(), tree::name,
                    closingBudget.max(), closingBudget.used());
            for (Admission a : List.copyOf(leaving)) {
                SimJob job = job(a.workload().id());
                state.evict(job.id());
                ctx.evict(job, at.closed().get(tree.name(a.queueIndex())));
                pending.put(job.id(), workload(job, ctx.config().jobTimeoutSeconds()));
                closingBudget.evicted(now);
                closingEvictions++;
            }
        }
        return at.closed();
    }

    /** How many times a pending job was told to wait, by reason, over the run. */
    public Map<Decision.WaitReason, Long> waitReasons() {
        return new EnumMap<>(waits);
    }

    /** Running workloads evicted because their queue's window closed. */
    public long closingEvictions() {
        return closingEvictions;
    }

    private SimJob job(String id) {
        return ctx.job(id).orElseThrow(() -> new IllegalStateException("the cycle decided on unknown job " + id));
    }
}
