package io.kubeai.quota;

import io.kubeai.core.cluster.ClusterState;
import io.kubeai.core.cycle.CycleConfig;
import io.kubeai.core.cycle.CycleResult;
import io.kubeai.core.cycle.Decision;
import io.kubeai.core.cycle.GangPlanner;
import io.kubeai.core.cycle.SchedulingCycle;
import io.kubeai.core.cycle.SchedulingState;
import io.kubeai.core.placement.NodeSelector;
import io.kubeai.core.placement.PlacementBestFit;
import io.kubeai.core.queue.QueueTree;
import io.kubeai.core.queue.QuotaLedger;
import io.kubeai.core.resource.ResourceList;
import io.kubeai.core.workload.Admission;
import io.kubeai.core.workload.Workload;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Why a pod or PodGroup is where it is, in plain words: its decision in the next cycle, its place
 * in its queue, its queue's quota against what it asks, how much of it fits on the nodes now,
 * and what would have to leave for it to run. Reads a controller snapshot; changes nothing.
 */
public final class Explainer {

    /** The answer, ready to print or serialize. */
    public record Explanation(String workload, String queue, String state, String decision, String reason,
            String queuePosition, Map<String, String> quota, String quotaLimit, String placement,
            List<String> wouldPreempt) {
    }

    private Explainer() {
    }

    /**
     * Explains the workload of {@code target}: {@code namespace/pod} or {@code namespace/gang}.
     * Empty when no gated or admitted workload has that name.
     */
    public static Optional<Explanation> explain(AdmissionController controller, String target, long now) {
        Optional<AdmissionController.Snapshot> snap = controller.snapshot(now);
        if (snap.isEmpty()) {
            return Optional.of(new Explanation(target, "", "unknown", "none", "the queues are invalid, so the controller "
                    + "admits nothing; fix them (kubeai queues shows the tree)", "", Map.of(), "", "", List.of()));
        }
        AdmissionController.Snapshot s = snap.get();
        Gang gang = s.gangs.stream().filter(g -> g.id().equals(target)
                || g.members().stream().anyMatch(m -> m.key().equals(target))).findFirst().orElse(null);
        if (gang == null) {
            return Optional.empty();
        }
        QueueTree tree = s.tree;
        Optional<Admission> running = s.state.admission(gang.id());
        if (running.isPresent() || s.toLift.contains(gang)) {
            String nodes = running.map(a -> a.pods().stream().map(p -> p.nodeName()).distinct().sorted().toList().toString())
                    .orElse("");
            return Optional.of(new Explanation(gang.id(), gang.queue(), "admitted", "none",
                    "admitted" + (nodes.isEmpty() ? "" : ", planned on " + nodes), "", quota(s, gang), "", "", List.of()));
        }
        if (s.waitingForMembers.contains(gang)) {
            int min = gang.minMember() == null ? gang.members().size() : gang.minMember();
            return Optional.of(new Explanation(gang.id(), gang.queue(), "pending", "none", gang.members().size() + " of "
                    + min + " pods exist; the gang waits for the rest to be created", "", quota(s, gang), "", "", List.of()));
        }
        Workload w = s.pending.stream().filter(x -> x.id().equals(gang.id())).findFirst().orElse(null);
        if (w == null) {
            return Optional.of(new Explanation(gang.id(), gang.queue(), "not considered", "none",
                    "not gated by kubeai.io/admission, or it failed earlier; see its PodGroup's status", "",
                    quota(s, gang), "", "", List.of()));
        }
        // Its place in its queue, as the cycle orders a queue.
        CycleConfig cfg = CycleConfig.DEFAULT;
        List<Workload> sameQueue = s.pending.stream().filter(x -> x.queue().equals(w.queue()))
                .sorted(Comparator.<Workload>comparingLong(x -> -cfg.effectivePriority(x.priority(), now - x.createdAtSeconds()))
                        .thenComparingLong(Workload::createdAtSeconds).thenComparing(Workload::id))
                .toList();
        String position = (sameQueue.indexOf(w) + 1) + " of " + sameQueue.size() + " pending in queue " + w.queue();
        // How much of it fits the nodes now.
        ClusterState probe = s.state.cluster().copy();
        GangPlanner.Outcome o = GangPlanner.plan(probe, w, new NodeSelector(new PlacementBestFit()), new SplittableRandom(0));
        String placement = o instanceof GangPlanner.Planned p ? (p.pods().size() == 1 ? "its pod fits"
                : "all " + p.pods().size() + " pods fit") + " on the nodes now"
                : "only " + ((GangPlanner.NotPlaced) o).placeable() + " of the " + w.minMember()
                        + " pods it needs at once fit on the nodes now; the next: " + ((GangPlanner.NotPlaced) o).reason();
        String largest = largestFree(probe, w);
        if (!(o instanceof GangPlanner.Planned) && !largest.isEmpty()) {
            placement += "; " + largest;
        }
        Map<String, String> quota = quota(s, gang);
        // The first limit on its queue's path it would go past, if any.
        String limit = s.tree.indexOf(w.queue()).filter(s.tree::isLeaf)
                .map(q -> s.state.quota().check(q, w.totalRequest()).reason()).orElse("");
        // Its decision in the next cycle (on a copy).
        CycleResult r = controller.decide(copyOf(s), now);
        Decision d = r.decisions().stream().filter(x -> x.workload().id().equals(w.id())).findFirst().orElse(null);
        String decision = d == null ? "none" : d.getClass().getSimpleName().toLowerCase();
        String reason = d instanceof Decision.Wait wt ? wt.message() : d instanceof Decision.Preempt pr ? pr.reason()
                : d instanceof Decision.Expire ex ? ex.message() : d instanceof Decision.Admit ? "admitted next cycle" : "";
        // What would have to leave if it had the highest priority.
        List<String> wouldPreempt = new ArrayList<>();
        if (!(d instanceof Decision.Admit)) {
            AdmissionController.Snapshot hypothetical = copyOf(s);
            Workload top = w.withPriority(Integer.MAX_VALUE);
            SchedulingCycle cycle = new SchedulingCycle(new CycleConfig(0, 0, 0, true, 1000, 1),
                    new NodeSelector(new PlacementBestFit()));
            CycleResult hr = cycle.run(hypothetical.state, List.of(top), now, new SplittableRandom(0));
            hr.preemptions().forEach(p -> p.victims().forEach(v -> wouldPreempt.add(v.workloadId() + " (queue " + v.queue()
                    + ", priority " + v.priority() + ")")));
            if (wouldPreempt.isEmpty() && hr.admitted().isEmpty()) {
                wouldPreempt.add("nothing that may be preempted would make room (borrowed capacity and lower priority"
                        + " only; no queue is taken below its min)");
            }
        }
        return Optional.of(new Explanation(w.id(), w.queue(), "pending", decision, reason, position, quota, limit,
                placement, wouldPreempt));
    }

    private static Map<String, String> quota(AdmissionController.Snapshot s, Gang g) {
        Map<String, String> out = new LinkedHashMap<>();
        Optional<Integer> q = s.tree.indexOf(g.queue());
        if (q.isEmpty()) {
            out.put("queue", "queue " + g.queue() + " does not exist; queues are " + s.tree.names());
            return out;
        }
        QuotaLedger l = s.state.quota();
        ResourceList asks = ResourceList.EMPTY;
        for (Gang.Member m : g.members()) {
            asks = asks.plus(ResourceList.of(m.request()));
        }
        ResourceList used = l.usage(q.get());
        ResourceList min = s.tree.effectiveMin(q.get());
        for (int i = 0; i < asks.size(); i++) {
            String r = asks.name(i);
            long max = s.tree.spec(q.get()).max().limit(r);
            out.put(r, "asks " + ResourceList.format(r, asks.value(i)) + "; queue uses " + ResourceList.format(r, used.get(r))
                    + " of min " + ResourceList.format(r, min.get(r)) + ", max "
                    + (max == Long.MAX_VALUE ? "unbounded" : ResourceList.format(r, max)) + ", borrowing "
                    + ResourceList.format(r, l.borrowed(q.get()).get(r)));
        }
        return out;
    }

    /** The most of the resource its largest pod asks most of (GPUs, else CPU) that one node has free, and where. */
    private static String largestFree(ClusterState cluster, Workload w) {
        boolean gpus = w.totalRequest().get(ResourceList.GPU) > 0;
        io.kubeai.core.cluster.NodeState best = null;
        for (io.kubeai.core.cluster.NodeState n : cluster.nodes()) {
            long free = gpus ? n.gpuFreeMillisTotal() : n.cpuFreeMillis();
            if (best == null || free > (gpus ? best.gpuFreeMillisTotal() : best.cpuFreeMillis())) {
                best = n;
            }
        }
        if (best == null) {
            return "";
        }
        String r = gpus ? ResourceList.GPU : ResourceList.CPU;
        return "the most free on one node is " + ResourceList.format(r, gpus ? best.gpuFreeMillisTotal()
                : best.cpuFreeMillis()) + " " + r + " (" + best.name() + ")";
    }

    /** A fresh snapshot's state, copied so the caller's stays as it was. */
    private static AdmissionController.Snapshot copyOf(AdmissionController.Snapshot s) {
        SchedulingState copy = s.state.copy();
        AdmissionController.Snapshot c = new AdmissionController.Snapshot(s.gangs, s.tree, copy);
        c.pending.addAll(s.pending);
        c.pendingGangs.putAll(s.pendingGangs);
        c.closed.putAll(s.closed);
        return c;
    }
}
