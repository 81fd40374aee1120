package io.kubeai.simulator.jobs.sim;

import io.kubeai.core.resource.PodRequest;
import java.util.Objects;
import java.util.function.Function;

/**
 * A scheduler under test in a {@link JobSimulation}. It learns of arrivals and completions, and
 * in each scheduling cycle binds pods, evicts or fails jobs through its {@link SchedulerContext};
 * it never changes the cluster in any other way. One instance serves one run and is not
 * thread-safe.
 */
public interface JobScheduler {

    /** The name results are reported under ({@code kubeai}, {@code kube-default}, …). */
    String name();

    /** The job entered the queue at {@link SchedulerContext#now()}. */
    void jobArrived(SimJob job);

    /** The job ran to completion; its pods have left the cluster. */
    void jobCompleted(SimJob job);

    /** One scheduling cycle at {@link SchedulerContext#now()}. */
    void cycle();

    /**
     * A {@link ClusterAgent} placed a pod that no job owns (an online service, capacity held
     * back): a scheduler that keeps its own view of the cluster places it there too. The
     * simulation's cluster already holds it.
     */
    default void podReserved(String podId, PodRequest request, int nodeIndex) {
    }

    /** A {@link ClusterAgent} took away a pod it had reserved. */
    default void podReleased(String podId) {
    }

    /**
     * A {@link ClusterAgent} evicted the job (elastic capacity taken back, a queue window
     * closing): its pods have left the cluster and it is pending again, queued from now. A
     * scheduler must forget where it ran and queue it again.
     */
    default void jobEvicted(SimJob job, String reason) {
        throw new UnsupportedOperationException("scheduler " + name() + " cannot run beside cluster agents that evict"
                + " jobs (" + reason + ")");
    }

    /** Makes a fresh scheduler for each run. */
    interface Factory {
        String name();

        JobScheduler create(SchedulerContext context);

        static Factory of(String name, Function<SchedulerContext, JobScheduler> create) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(create, "create");
            return new Factory() {
                @Override
                public String name() {
                    return name;
                }

                @Override
                public JobScheduler create(SchedulerContext context) {
                    return create.apply(context);
                }

                @Override
                public String toString() {
                    return name;
                }
            };
        }
    }
}
