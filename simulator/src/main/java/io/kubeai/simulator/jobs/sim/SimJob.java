package io.kubeai.simulator.jobs.sim;

import io.kubeai.core.resource.PodRequest;
import io.kubeai.core.resource.ResourceList;
import io.kubeai.simulator.jobs.JobSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One job's life in one simulation run: whether it has arrived, which of its pods are on nodes,
 * when it was admitted, started and ended, and what evictions cost it. Schedulers read it; only
 * the {@link JobSimulation} changes it (through {@link SchedulerContext}).
 */
public final class SimJob {

    /** Where a job is. A pending job may hold some of its pods (a partially placed gang). */
    public enum Status {
        NOT_ARRIVED,
        PENDING,
        RUNNING,
        DONE,
        FAILED
    }

    private final JobSpec spec;
    private final int queueIndex;
    private final ResourceList podResources;
    private final ResourceList totalResources;
    Status status = Status.NOT_ARRIVED;
    final ArrayList<String> podIds = new ArrayList<>();
    long queuedAtSeconds = -1;
    long firstAdmitSeconds = -1;
    long firstStartSeconds = -1;
    long startSeconds = -1;
    long endSeconds = -1;
    long lastPodAtSeconds = -1;
    long heldSinceSeconds = -1;
    int starts;
    int evictions;
    int generation;
    double wastedGpuSeconds;
    double heldIdleGpuSeconds;
    boolean deadlocked;
    long deadlockedAtSeconds = -1;
    String failure;

    SimJob(JobSpec spec, int queueIndex) {
        this.spec = spec;
        this.queueIndex = queueIndex;
        this.podResources = ResourceList.of(spec.podRequest());
        this.totalResources = podResources.times(spec.pods());
    }

    public JobSpec spec() {
        return spec;
    }

    public String id() {
        return spec.id();
    }

    public int priority() {
        return spec.priority();
    }

    public int pods() {
        return spec.pods();
    }

    public PodRequest podRequest() {
        return spec.podRequest();
    }

    /** The leaf queue's index in the run's {@link io.kubeai.core.queue.QueueTree}. */
    public int queueIndex() {
        return queueIndex;
    }

    /** What one pod holds, as a quota counts it. */
    public ResourceList podResources() {
        return podResources;
    }

    /** What all pods hold together. */
    public ResourceList totalResources() {
        return totalResources;
    }

    /** Milli-GPU of all pods together. */
    public long gpuMillis() {
        return spec.podRequest().totalGpuMillis() * spec.pods();
    }

    public Status status() {
        return status;
    }

    public boolean isPending() {
        return status == Status.PENDING;
    }

    /** Pods on nodes now. */
    public int placedPods() {
        return podIds.size();
    }

    /** Holding some of its pods but not all. */
    public boolean isPartial() {
        return status == Status.PENDING && !podIds.isEmpty();
    }

    /** Ids of its pods on nodes now, in the order they were bound. */
    public List<String> podIds() {
        return Collections.unmodifiableList(podIds);
    }

    /** When it last entered its queue: its submission, or its last eviction. -1 before it arrives. */
    public long queuedAtSeconds() {
        return queuedAtSeconds;
    }

    public long firstAdmitSeconds() {
        return firstAdmitSeconds;
    }

    public long firstStartSeconds() {
        return firstStartSeconds;
    }

    /** When the current attempt started (all pods running); -1 when not running. */
    public long startSeconds() {
        return startSeconds;
    }

    public long endSeconds() {
        return endSeconds;
    }

    /** When it last gained a pod; -1 if never. */
    public long lastPodAtSeconds() {
        return lastPodAtSeconds;
    }

    public int starts() {
        return starts;
    }

    public int evictions() {
        return evictions;
    }

    public double wastedGpuSeconds() {
        return wastedGpuSeconds;
    }

    public double heldIdleGpuSeconds() {
        return heldIdleGpuSeconds;
    }

    public boolean deadlocked() {
        return deadlocked;
    }

    public long deadlockedAtSeconds() {
        return deadlockedAtSeconds;
    }

    /** Why it failed, or null. */
    public String failure() {
        return failure;
    }

    @Override
    public String toString() {
        return id() + "{" + status + ", " + placedPods() + "/" + pods() + " pods}";
    }
}
