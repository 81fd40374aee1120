package io.kubeai.simulator.jobs.scheduler;

import io.kubeai.core.placement.NodeChoice;
import io.kubeai.core.placement.NodeSelector;
import io.kubeai.core.resource.PodRequest;
import io.kubeai.simulator.jobs.sim.SchedulerContext;
import io.kubeai.simulator.jobs.sim.SimJob;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * kube-scheduler's active queue as the per-pod baselines use it: one entry per unbound pod,
 * ordered by priority (highest first), then the pod's timestamp, then its index within its job,
 * then the job's id. Pods created in the same second carry equal timestamps and kube-scheduler
 * breaks such ties arbitrarily; ordering them by index interleaves the pods of jobs created
 * together (as concurrent controllers creating their pods would), deterministically.
 *
 * <p>A pass tries each pod in order and binds it where the placement policy chooses; a pod that
 * does not fit waits and the pods behind it may go. Binding only takes capacity, so once a pod
 * shape does not fit, no later pod of that shape is tried in the same pass, and the pass stops
 * when every shape still queued has failed: O(pods tried × nodes) with the selector's cache.
 */
final class PodQueue {
    private record Entry(int priority, long timestamp, int podIndex, String jobId, SimJob job) {
    }

    private static final Comparator<Entry> ORDER = Comparator.comparingInt((Entry e) -> -e.priority)
            .thenComparingLong(Entry::timestamp)
            .thenComparingInt(Entry::podIndex)
            .thenComparing(Entry::jobId);

    private final TreeSet<Entry> entries = new TreeSet<>(ORDER);
    private final Map<PodRequest, Integer> shapes = new HashMap<>();

    /** Queues every unbound pod of {@code job}, created at {@code timestampSeconds}. */
    void add(SimJob job, long timestampSeconds) {
        for (int i = job.placedPods(); i < job.pods(); i++) {
            entries.add(new Entry(job.priority(), timestampSeconds, i, job.id(), job));
            shapes.merge(job.podRequest(), 1, Integer::sum);
        }
    }

    int size() {
        return entries.size();
    }

    /** One pass; returns the pods bound. */
    int schedule(SchedulerContext ctx, NodeSelector selector) {
        Set<PodRequest> failed = new HashSet<>();
        int bound = 0;
        for (Iterator<Entry> it = entries.iterator(); it.hasNext() && failed.size() < shapes.size(); ) {
            Entry e = it.next();
            PodRequest shape = e.job.podRequest();
            if (failed.contains(shape)) {
                continue;
            }
            NodeChoice choice = selector.select(ctx.cluster(), shape, ctx.random());
            if (choice instanceof NodeChoice.Chosen chosen) {
                ctx.bind(e.job, chosen);
                it.remove();
                if (shapes.merge(shape, -1, Integer::sum) == 0) {
                    shapes.remove(shape);
                }
                bound++;
            } else {
                failed.add(shape);
            }
        }
        return bound;
    }
}
