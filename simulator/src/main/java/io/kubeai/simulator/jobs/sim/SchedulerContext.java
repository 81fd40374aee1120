package io.kubeai.simulator.jobs.sim;

import io.kubeai.core.cluster.ClusterState;
import io.kubeai.core.cluster.Node;
import io.kubeai.core.placement.NodeChoice;
import io.kubeai.core.placement.NodeSelector;
import io.kubeai.core.queue.QueueTree;
import io.kubeai.core.workload.PlannedPod;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * What a {@link JobScheduler} sees of a simulation and the only way it acts on it. The cluster is
 * the truth of what runs where: read it, but change it only through {@link #bind},
 * {@link #bindAll}, {@link #evict} and {@link #fail}, which keep the jobs, the metrics and the
 * cluster consistent and refuse anything that would over-commit a node.
 */
public interface SchedulerContext {

    /** Simulated time, in seconds. */
    long now();

    JobSimulationConfig config();

    /** The cluster as it runs now. Read-only for schedulers. */
    ClusterState cluster();

    /** The nodes the cluster was built from, in index order (for a scheduler's own planning copy). */
    List<Node> nodes();

    QueueTree queues();

    /** The run's seeded random source; every random tie-break must draw from it. */
    RandomGenerator random();

    /** A new selector with the run's placement policy. */
    NodeSelector newNodeSelector();

    Optional<SimJob> job(String id);

    /** Binds the job's next pod to the chosen node and devices; the job starts when all its pods run. */
    void bind(SimJob job, NodeChoice.Chosen choice);

    /** Binds all of a pending job's pods at once, where a plan put them; the job starts now. */
    void bindAll(SimJob job, List<PlannedPod> pods);

    /** The job passed quota admission (its pods may follow later). Only records the time. */
    void admitted(SimJob job);

    /** Takes all the job's pods off their nodes; a running job loses its progress. It re-queues now. */
    void evict(SimJob job, String reason);

    /** The job gives up (a timeout): its pods leave and it never runs. */
    void fail(SimJob job, String reason);

    /**
     * Asks for a cycle at {@code seconds} (or as soon after as the cycle interval allows) even if
     * nothing arrives or completes by then: for work that waits on the clock (a time window, a
     * not-before time). Keeps the run going, so use it with a horizon.
     */
    void requestCycleAt(long seconds);
}
