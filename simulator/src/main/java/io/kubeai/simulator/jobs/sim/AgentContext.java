package io.kubeai.simulator.jobs.sim;

import io.kubeai.core.cluster.ClusterState;
import io.kubeai.core.cluster.Node;
import io.kubeai.core.resource.PodRequest;
import java.util.List;
import java.util.Optional;

/**
 * What a {@link ClusterAgent} sees of a simulation and the only way it acts on it. The cluster
 * is read-only; pods that belong to no job are placed with {@link #reserve} and taken away with
 * {@link #release}, and both the simulation's cluster and the scheduler's view of it follow.
 */
public interface AgentContext {

    /** Simulated time, in seconds. */
    long now();

    /** The cluster as it runs now. Read-only. */
    ClusterState cluster();

    /** The nodes, in index order. */
    List<Node> nodes();

    Optional<SimJob> job(String id);

    /**
     * Places a pod that belongs to no job on a node (GPUs are never reserved). Refused with an
     * {@link IllegalStateException} naming the node when it does not fit or the id is taken.
     */
    void reserve(String podId, PodRequest request, int nodeIndex);

    /** Takes away a pod placed with {@link #reserve}. */
    void release(String podId);

    /**
     * Evicts a running job (or a gang holding some of its pods): its pods leave, a running job
     * loses its progress, and it is pending again, queued from now. The scheduler is told.
     */
    void evict(SimJob job, String reason);

    /** Asks for a scheduling cycle now (or as soon as the cycle interval allows). */
    void requestCycle();
}
