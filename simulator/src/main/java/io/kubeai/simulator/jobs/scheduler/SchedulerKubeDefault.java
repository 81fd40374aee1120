package io.kubeai.simulator.jobs.scheduler;

import io.kubeai.core.placement.NodeSelector;
import io.kubeai.simulator.jobs.sim.JobScheduler;
import io.kubeai.simulator.jobs.sim.SchedulerContext;
import io.kubeai.simulator.jobs.sim.SimJob;

/**
 * Baseline: kube-scheduler alone. No quota and no gang: every pod is scheduled on its own, in
 * priority-then-FIFO order, on the node the run's placement policy chooses, whenever it fits
 * ({@link PodQueue}); a pod that does not fit waits while pods behind it may go. A job starts
 * only when all its pods run, so gangs that got some of their pods hold that capacity while they
 * wait for the rest, and two gangs can hold each other up for ever: the simulation reports them
 * as deadlocked.
 *
 * <p>Left out: preemption by priority (kube-scheduler's PostFilter), backoff and the
 * unschedulable queue's timing (every cycle retries every pod), the filters and scores of other
 * plugins (affinity, taints, topology spread), and pods created over time by an operator (all
 * pods of a job are queued at its submission).
 */
public final class SchedulerKubeDefault implements JobScheduler {
    public static final String NAME = "kube-default";

    private final SchedulerContext ctx;
    private final NodeSelector selector;
    private final PodQueue pods = new PodQueue();

    public SchedulerKubeDefault(SchedulerContext ctx) {
        this.ctx = ctx;
        this.selector = ctx.newNodeSelector();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void jobArrived(SimJob job) {
        pods.add(job, job.spec().submitSeconds());
    }

    @Override
    public void jobCompleted(SimJob job) {
        // Nothing to forget: the pods have left the cluster.
    }

    @Override
    public void cycle() {
        pods.schedule(ctx, selector);
    }
}
