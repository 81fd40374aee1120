package io.kubeai.core.cycle;

import io.kubeai.core.cluster.ClusterState;
import io.kubeai.core.queue.QuotaLedger;
import io.kubeai.core.resource.ResourceList;
import io.kubeai.core.workload.Admission;
import io.kubeai.core.workload.PlannedPod;
import io.kubeai.core.workload.Workload;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a cycle decides on: the cluster's nodes and placed pods, each queue's usage, the
 * running workloads, and the workloads that preempted in earlier cycles and still have
 * precedence (see {@link SchedulingCycle}). Admitting and evicting keep the first three
 * consistent. Not thread-safe; {@link #copy()} gives a snapshot to decide on, precedence included,
 * so a rehearsal on a copy leaves this state's as it was.
 */
public final class SchedulingState {
    private final ClusterState cluster;
    private final QuotaLedger quota;
    private final LinkedHashMap<String, Admission> running;
    /** Workloads that preempted, in the order they did, with the cycles of precedence they have left. */
    private final LinkedHashMap<String, Integer> precedence;

    public SchedulingState(ClusterState cluster, QuotaLedger quota) {
        this(cluster, quota, new LinkedHashMap<>(), new LinkedHashMap<>());
    }

    private SchedulingState(ClusterState cluster, QuotaLedger quota, LinkedHashMap<String, Admission> running,
            LinkedHashMap<String, Integer> precedence) {
        this.cluster = cluster;
        this.quota = quota;
        this.running = running;
        this.precedence = precedence;
    }

    public SchedulingState copy() {
        return new SchedulingState(cluster.copy(), quota.copy(), new LinkedHashMap<>(running),
                new LinkedHashMap<>(precedence));
    }

    /** The workloads with precedence, in the order they preempted: ids to cycles left. */
    LinkedHashMap<String, Integer> precedence() {
        return precedence;
    }

    /**
     * The workloads with precedence and the cycles each has left, in the order they preempted: a
     * copy, for a caller that builds a fresh state per cycle (the live controller) to carry over
     * with {@link #carryPrecedence}.
     */
    public LinkedHashMap<String, Integer> precedenceLeft() {
        return new LinkedHashMap<>(precedence);
    }

    /**
     * Replaces this state's precedence with {@code left} (from {@link #precedenceLeft()} of the
     * previous cycle's state). Ids no longer pending are dropped by the next cycle.
     *
     * @throws IllegalArgumentException if a count is not positive
     */
    public void carryPrecedence(Map<String, Integer> left) {
        for (Map.Entry<String, Integer> e : left.entrySet()) {
            if (e.getValue() == null || e.getValue() < 1) {
                throw new IllegalArgumentException("cycles of precedence left must be positive: " + e);
            }
        }
        precedence.clear();
        precedence.putAll(left);
    }

    /** The ids of the workloads that preempted and are decided first in the next cycles. */
    public List<String> preemptorsWithPrecedence() {
        return List.copyOf(precedence.keySet());
    }

    public ClusterState cluster() {
        return cluster;
    }

    public QuotaLedger quota() {
        return quota;
    }

    public Collection<Admission> running() {
        return Collections.unmodifiableCollection(running.values());
    }

    public Optional<Admission> admission(String workloadId) {
        return Optional.ofNullable(running.get(workloadId));
    }

    /**
     * Records an admission whose pods are already placed in {@link #cluster()} (as
     * {@link GangPlanner} leaves them) and charges its queue.
     */
    public Admission commit(Workload w, int queueIndex, List<PlannedPod> pods, long nowSeconds) {
        if (running.containsKey(w.id())) {
            throw new IllegalStateException("workload " + w.id() + " is already running");
        }
        ResourceList charged = ResourceList.EMPTY;
        for (PlannedPod p : pods) {
            charged = charged.plus(ResourceList.of(p.request()));
        }
        quota.add(queueIndex, charged);
        Admission a = new Admission(w, queueIndex, pods, charged, nowSeconds);
        running.put(w.id(), a);
        return a;
    }

    /** Places the pods of a plan and commits it (replaying a decision made on a snapshot). */
    public Admission admit(Workload w, int queueIndex, List<PlannedPod> pods, long nowSeconds) {
        for (PlannedPod p : pods) {
            cluster.place(p.podId(), p.request(), p.nodeIndex(), p.gpuDevices());
        }
        return commit(w, queueIndex, pods, nowSeconds);
    }

    /** Removes a running workload: its pods leave their nodes, its charge leaves its queue. */
    public Optional<Admission> evict(String workloadId) {
        Admission a = running.remove(workloadId);
        if (a == null) {
            return Optional.empty();
        }
        for (PlannedPod p : a.pods()) {
            cluster.remove(p.podId());
        }
        quota.remove(a.queueIndex(), a.charged());
        return Optional.of(a);
    }

    /** Puts back a workload {@link #evict} took out, on the same nodes and devices. */
    void restore(Admission a) {
        for (PlannedPod p : a.pods()) {
            cluster.place(p.podId(), p.request(), p.nodeIndex(), p.gpuDevices());
        }
        quota.add(a.queueIndex(), a.charged());
        running.put(a.workload().id(), a);
    }

    Map<String, Admission> runningMap() {
        return running;
    }
}
