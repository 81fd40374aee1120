package io.kubeai.simulator.jobs.scheduler;

import io.kubeai.core.cluster.ClusterState;
import io.kubeai.core.cycle.CycleResult;
import io.kubeai.core.cycle.Decision;
import io.kubeai.core.cycle.SchedulingCycle;
import io.kubeai.core.cycle.SchedulingState;
import io.kubeai.core.queue.QuotaLedger;
import io.kubeai.core.workload.PodSet;
import io.kubeai.core.workload.Workload;
import io.kubeai.simulator.jobs.sim.JobScheduler;
import io.kubeai.simulator.jobs.sim.SchedulerContext;
import io.kubeai.simulator.jobs.sim.SimJob;
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
 * {@code timeoutSeconds}.
 */
public final class SchedulerKubeAi implements JobScheduler {
    public static final String NAME = "kubeai";

    private final SchedulerContext ctx;
    private final SchedulingState state;
    private final SchedulingCycle cycle;
    private final LinkedHashMap<String, Workload> pending = new LinkedHashMap<>();
    private final EnumMap<Decision.WaitReason, Long> waits = new EnumMap<>(Decision.WaitReason.class);

    public SchedulerKubeAi(SchedulerContext ctx) {
        this.ctx = ctx;
        ClusterState view = new ClusterState(ctx.nodes());
        this.state = new SchedulingState(view, new QuotaLedger(ctx.queues(), view.capacity()));
        this.cycle = new SchedulingCycle(ctx.config().kubeAiCycle(), ctx.newNodeSelector());
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The workload a queued job is scheduled as. */
    static Workload workload(SimJob job, long timeoutSeconds) {
        return new Workload(job.id(), job.spec().queue(), job.priority(), job.queuedAtSeconds(),
                List.of(new PodSet("worker", job.pods(), job.podRequest())), job.pods(), timeoutSeconds);
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
    public void cycle() {
        if (pending.isEmpty()) {
            return;
        }
        CycleResult result = cycle.run(state, pending.values(), ctx.now(), ctx.random());
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

    /** How many times a pending job was told to wait, by reason, over the run. */
    public Map<Decision.WaitReason, Long> waitReasons() {
        return new EnumMap<>(waits);
    }

    private SimJob job(String id) {
        return ctx.job(id).orElseThrow(() -> new IllegalStateException("the cycle decided on unknown job " + id));
    }
}
