package io.kubeai.core.testing;

import io.kubeai.core.resource.PodRequest;
import io.kubeai.core.workload.PodSet;
import io.kubeai.core.workload.Workload;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a {@link Workload}; see {@link Builders#workload(String)}. Defaults: queue
 * {@code "default"}, priority 0, created at second 0, no timeout, and every pod needed at once
 * ({@code minMember} = all pods). Pod sets are named {@code worker}, {@code worker-1}, … in the
 * order they are added unless named; validation is the workload's own.
 */
public final class WorkloadBuilder {
    private final String id;
    private String queue = "default";
    private int priority;
    private long createdAtSeconds;
    private long timeoutSeconds;
    private Integer minMember;
    private final List<PodSet> podSets = new ArrayList<>();

    WorkloadBuilder(String id) {
        this.id = id;
    }

    public WorkloadBuilder queue(String name) {
        this.queue = name;
        return this;
    }

    public WorkloadBuilder priority(int p) {
        this.priority = p;
        return this;
    }

    public WorkloadBuilder createdAt(long seconds) {
        this.createdAtSeconds = seconds;
        return this;
    }

    public WorkloadBuilder timeout(long seconds) {
        this.timeoutSeconds = seconds;
        return this;
    }

    /** Admitted when at least {@code n} pods are placed at once. */
    public WorkloadBuilder minMember(int n) {
        this.minMember = n;
        return this;
    }

    /** {@code count} identical pods. */
    public WorkloadBuilder pods(int count, PodRequest request) {
        String name = podSets.isEmpty() ? "worker" : "worker-" + podSets.size();
        return podSet(name, count, request);
    }

    public WorkloadBuilder pods(int count, PodBuilder request) {
        return pods(count, request.build());
    }

    /** One pod. */
    public WorkloadBuilder pod(PodBuilder request) {
        return pods(1, request.build());
    }

    public WorkloadBuilder podSet(String name, int count, PodRequest request) {
        podSets.add(new PodSet(name, count, request));
        return this;
    }

    public Workload build() {
        int pods = podSets.stream().mapToInt(PodSet::count).sum();
        return new Workload(id, queue, priority, createdAtSeconds, podSets, minMember == null ? pods : minMember,
                timeoutSeconds);
    }
}
