package io.kubeai.core.cycle;

import io.kubeai.core.placement.NodeSelector;
import io.kubeai.core.queue.QueueTree;
import io.kubeai.core.queue.QueueingStrategy;
import io.kubeai.core.queue.QuotaFit;
import io.kubeai.core.queue.QuotaLedger;
import io.kubeai.core.resource.PodRequest;
import io.kubeai.core.resource.ResourceList;
import io.kubeai.core.workload.Admission;
import io.kubeai.core.workload.PlannedPod;
import io.kubeai.core.workload.PodSet;
import io.kubeai.core.workload.Workload;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * One scheduling cycle, the same live and in simulation. In numbered phases:
 *
 * <ol>
 *   <li>heads of queues: pending workloads grouped by queue; unknown queues and expired
 *       workloads are decided at once; each queue is ordered by (aged) priority, then age;
 *   <li>order across queues: the best head first: a head that fits within its queue's guarantee
 *       before one that would borrow (as Kueue orders its heads), then by priority, then queue
 *       priority, then the queue's weighted dominant share (lowest first), then age;
 *   <li>quota: hierarchical min/max, borrowing and lending ({@link QuotaLedger});
 *   <li>plan: the whole gang on the cluster, tentatively ({@link GangPlanner});
 *   <li>commit ({@code Admit}), or choose victims ({@code Preempt}), or {@code Wait} with a
 *       reason. A strict-FIFO queue stops at a head that waits; other queues never do.
 * </ol>
 *
 * <p>Preemptor precedence: a workload that preempted is remembered in the {@link SchedulingState}
 * and, for {@link CycleConfig#preemptorPrecedenceCycles()} later cycles on that state, decided
 * before every queue's heads (in the order they preempted) until it is admitted or no longer
 * pending, so that the room its victims free goes to it. Without this, work ordered before it in
 * the next cycle (a borrower just reclaimed and re-queued, or its own queue's heads) takes the room
 * and it evicts again, in a loop of evictions. A state built afresh for each cycle forgets.
 *
 * <p>The cycle decides on the {@link SchedulingState} it is given and commits its admissions
 * into it, so later decisions in the cycle see them; victims are only named, not removed. Pass a
 * {@link SchedulingState#copy() copy} to decide without changing the live state.
 *
 * <p>Cost: O(pending log queues) to order, O(depth × resources) per quota check, and a gang
 * placement per candidate that passes quota; a gang shape that did not fit is not retried for a
 * larger gang until the cluster changes. A preemption attempt reads only the running workloads
 * of the queues that could give some up (O(those workloads) plus a gang placement per victim
 * tried), and one that found no victims is not repeated for the same queue, priority and gang
 * until the cycle admits or preempts again.
 */
public final class SchedulingCycle {
    private final CycleConfig config;
    private final NodeSelector selector;
    private final io.kubeai.core.window.Stagger stagger;

    public SchedulingCycle(CycleConfig config, NodeSelector selector) {
        this(config, selector, io.kubeai.core.window.Stagger.NONE);
    }

    /** With staggering: workloads wait for their windows unless their deadlines need them. */
    public SchedulingCycle(CycleConfig config, NodeSelector selector, io.kubeai.core.window.Stagger stagger) {
        this.config = config;
        this.selector = selector;
        this.stagger = stagger;
    }

    public CycleConfig config() {
        return config;
    }

    public CycleResult run(SchedulingState state, Collection<Workload> pending, long nowSeconds, RandomGenerator random) {
        return run(state, pending, nowSeconds, random, Map.of());
    }

    /**
     * A cycle in which the queues in {@code closedQueues} (name to the sentence saying why and
     * until when, see {@code QueueWindows}) admit nothing.
     */
    public CycleResult run(SchedulingState state, Collection<Workload> pending, long nowSeconds, RandomGenerator random,
            Map<String, String> closedQueues) {
        return new Run(state, nowSeconds, random, closedQueues).run(pending);
    }

    private final class Run {
        final SchedulingState state;
        final QuotaLedger quota;
        final QueueTree tree;
        final long now;
        final RandomGenerator random;
        final List<Decision> decisions = new ArrayList<>();
        final Set<String> victims = new HashSet<>();
        final Set<String> admitted = new HashSet<>();
        final Map<PodRequest, NoFit> noFit = new HashMap<>();
        final Map<String, String> closed;
        final Map<PreemptionKey, Integer> noVictims = new HashMap<>();
        /**
         * The workloads running when the cycle began (the only ones it may take: it never takes
         * what it admits), by queue, with what each holds as a quota vector; built at the first
         * preemption attempt. Evicting and restoring during an attempt keeps the same objects.
         */
        List<List<Admission>> runningByQueue;
        List<List<long[]>> heldByQueue;
        /** Per queue, the least any of those workloads holds of each resource. */
        long[][] leastHeld;
        int preemptions;
        /**
         * Each preemptor of this cycle: until the cycle ends, its victims' charges leave their
         * queues and its own need is charged to its queue in their place, so that work ordered
         * after it can neither take the capacity being freed for it (else the next in line takes
         * the room, the preemptor evicts again, and the two loop) nor count the victims twice.
         */
        final List<Hold> holds = new ArrayList<>();

        Run(SchedulingState state, long now, RandomGenerator random, Map<String, String> closed) {
            this.closed = closed;
            this.state = state;
            this.quota = state.quota();
            this.tree = quota.tree();
            this.now = now;
            this.random = random;
        }

        CycleResult run(Collection<Workload> pending) {
            // 1. Heads of queues.
            Map<Integer, List<Workload>> byQueue = new HashMap<>();
            for (Workload w : pending) {
                if (state.admission(w.id()).isPresent()) {
                    continue;
                }
                Integer q = tree.indexOf(w.queue()).orElse(null);
                if (q == null) {
                    decisions.add(new Decision.Wait(w, Decision.WaitReason.UNKNOWN_QUEUE,
                            "queue " + w.queue() + " does not exist; queues are " + tree.names()));
                } else if (!tree.isLeaf(q)) {
                    decisions.add(new Decision.Wait(w, Decision.WaitReason.UNKNOWN_QUEUE, "queue " + w.queue()
                            + " has child queues; submit to one of " + leafNames(q)));
                } else if (w.timeoutSeconds() > 0 && now - w.createdAtSeconds() >= w.timeoutSeconds()) {
                    decisions.add(new Decision.Expire(w, "waited " + (now - w.createdAtSeconds())
                            + " s, beyond its timeout of " + w.timeoutSeconds() + " s"));
                } else if (closed.containsKey(w.queue())) {
                    decisions.add(new Decision.Wait(w, Decision.WaitReason.QUEUE_CLOSED, closed.get(w.queue())));
                } else if (stagger.deferral(w.timing(), java.time.Instant.ofEpochSecond(now)).isPresent()) {
                    decisions.add(new Decision.Wait(w, Decision.WaitReason.DEFERRED,
                            stagger.deferral(w.timing(), java.time.Instant.ofEpochSecond(now)).get().reason()));
                } else {
                    byQueue.computeIfAbsent(q, k -> new ArrayList<>()).add(w);
                }
            }
            // Within a queue: aged priority first, then the oldest, then by id.
            Comparator<Workload> inQueue = Comparator.<Workload>comparingLong(w -> -effectivePriority(w))
                    .thenComparingLong(Workload::createdAtSeconds)
                    .thenComparing(Workload::id);
            // 2. Order across queues; workloads that preempted in earlier runs first, in the order they did.
            Map<String, Workload> pendingById = new HashMap<>();
            for (List<Workload> list : byQueue.values()) {
                for (Workload w : list) {
                    pendingById.put(w.id(), w);
                }
            }
            Set<String> decidedFirst = new HashSet<>();
            Map<String, Integer> precedence = state.precedence();
            for (Map.Entry<String, Integer> e : List.copyOf(precedence.entrySet())) {
                Workload w = pendingById.get(e.getKey());
                if (w == null) {
                    precedence.remove(e.getKey());
                    continue;
                }
                decidedFirst.add(w.id());
                Decision d = decide(w, tree.indexOf(w.queue()).orElseThrow());
                decisions.add(d);
                if (d instanceof Decision.Admit || e.getValue() <= 1) {
                    precedence.remove(w.id());
                } else if (!(d instanceof Decision.Preempt)) {
                    precedence.put(w.id(), e.getValue() - 1);
                }
            }
            PriorityQueue<Cursor> heads = new PriorityQueue<>(Cursor.ORDER);
            for (Map.Entry<Integer, List<Workload>> e : byQueue.entrySet()) {
                List<Workload> list = e.getValue();
                if (!decidedFirst.isEmpty()) {
                    list.removeIf(w -> decidedFirst.contains(w.id()));
                }
                if (!list.isEmpty()) {
                    list.sort(inQueue);
                    heads.add(cursor(e.getKey(), list, 0));
                }
            }
            while (!heads.isEmpty()) {
                Cursor c = heads.poll();
                Workload w = c.list.get(c.position);
                Decision d = decide(w, c.queue);
                decisions.add(d);
                int next = c.position + 1;
                boolean strict = tree.spec(c.queue).queueing() == QueueingStrategy.STRICT_FIFO;
                if (strict && !(d instanceof Decision.Admit)) {
                    // A strict queue does not let work pass a head that waits.
                    for (int i = next; i < c.list.size(); i++) {
                        decisions.add(new Decision.Wait(c.list.get(i), Decision.WaitReason.BLOCKED_BEHIND_HEAD,
                                "behind " + w.id() + " in strict-FIFO queue " + tree.name(c.queue) + ", which waits: "
                                        + summary(d)));
                    }
                    continue;
                }
                if (next < c.list.size()) {
                    heads.add(cursor(c.queue, c.list, next));
                }
            }
            for (int i = holds.size() - 1; i >= 0; i--) {
                holds.get(i).release(quota);
                holds.get(i).reservations().forEach(state.cluster()::remove);
            }
            return new CycleResult(decisions);
        }

        Cursor cursor(int queue, List<Workload> list, int position) {
            Workload w = list.get(position);
            return new Cursor(queue, list, position, !quota.withinGuarantee(queue, quota.vector(w.totalRequest())),
                    effectivePriority(w), tree.spec(queue).priority(), quota.dominantShare(queue), w.createdAtSeconds(),
                    w.id());
        }

        long effectivePriority(Workload w) {
            return config.effectivePriority(w.priority(), now - w.createdAtSeconds());
        }

        // 3.–5. One workload.
        Decision decide(Workload w, int leaf) {
            long[] req = quota.vector(w.totalRequest());
            QuotaFit fit = quota.check(leaf, req);
            if (!fit.fits()) {
                Decision p = tryPreempt(w, leaf, req, fit);
                if (p != null) {
                    return p;
                }
                // Say why as things stood before this cycle's preemptors claimed capacity.
                QuotaFit before = withHolds(false, () -> quota.check(leaf, req));
                if (before.fits()) {
                    return new Decision.Wait(w, waitReason(fit), heldFor());
                }
                boolean never = before.never();
                String blocked = before.reclaimable() && !never
                        ? "; none can be reclaimed now without taking another queue below its min, so it waits"
                                + " for borrowed capacity to free up"
                        : "";
                return new Decision.Wait(w, waitReason(before), (never ? "can never be admitted: " : "")
                        + before.reason() + blocked);
            }
            if (!holds.isEmpty()) {
                // Admitted now, it runs beside the victims until they are gone (and beside the
                // preemptors after): it must fit both ways.
                QuotaFit beside = withHolds(false, () -> quota.check(leaf, req));
                if (!beside.fits()) {
                    return new Decision.Wait(w, waitReason(beside), heldFor());
                }
            }
            GangPlanner.Outcome o = plan(w);
            if (o instanceof GangPlanner.Planned planned) {
                state.commit(w, leaf, planned.pods(), now);
                admitted.add(w.id());
                return new Decision.Admit(w, planned.pods());
            }
            GangPlanner.NotPlaced np = (GangPlanner.NotPlaced) o;
            Decision p = tryPreempt(w, leaf, req, fit);
            if (p != null) {
                return p;
            }
            return new Decision.Wait(w, Decision.WaitReason.NO_PLACEMENT, "fits quota, but only " + np.placeable()
                    + " of the " + np.needed() + " pods it needs at once fit on the nodes now; the next: " + np.reason());
        }

        GangPlanner.Outcome plan(Workload w) {
            PodRequest shape = w.podSets().size() == 1 ? w.podSets().get(0).request() : null;
            long version = state.cluster().version();
            if (shape != null) {
                NoFit nf = noFit.get(shape);
                if (nf != null && nf.version == version && w.minMember() > nf.placeable) {
                    return new GangPlanner.NotPlaced(nf.placeable, w.minMember(), nf.reason);
                }
            }
            GangPlanner.Outcome o = GangPlanner.plan(state.cluster(), w, selector, random);
            if (shape != null && o instanceof GangPlanner.NotPlaced np) {
                // The planner took back what it placed: the cluster is as it was, at a new version.
                noFit.put(shape, new NoFit(state.cluster().version(), np.placeable(), np.reason()));
            }
            return o;
        }

        /**
         * Chooses the fewest, lowest-priority victims that let {@code w} fit quota and nodes, or
         * returns null (and evicts nobody) when no set of eligible victims would.
         */
        Decision tryPreempt(Workload w, int leaf, long[] req, QuotaFit fit) {
            if (!config.preemption() || preemptions >= config.maxPreemptionsPerCycle() || config.maxVictims() == 0) {
                return null;
            }
            // An attempt depends only on these and on the state: one that found no victims is not
            // repeated until the cycle admits or preempts again (a failed attempt restores everything).
            PreemptionKey key = new PreemptionKey(leaf, w.priority(), fit.kind(), w.podSets(), w.minMember());
            Integer failedAt = noVictims.get(key);
            if (failedAt != null && failedAt == epoch()) {
                return null;
            }
            // A queue's own max or borrowing limit is freed only by work under that queue.
            boolean limited = fit.kind() == QuotaFit.Kind.MAX || fit.kind() == QuotaFit.Kind.BORROWING_LIMIT;
            int limitedAt = limited ? tree.indexOf(fit.queue()).orElse(leaf) : -1;
            boolean reclaim = quota.withinGuarantee(leaf, req);
            // The other queues that borrow what the preemptor needs, once per attempt rather than per workload.
            boolean[] borrowing = new boolean[tree.size()];
            for (int q = 0; q < borrowing.length; q++) {
                borrowing[q] = q != leaf && (limitedAt < 0 || isUnder(q, limitedAt)) && quota.borrowsAny(q, req);
            }
            // Borrowed before owned, then lowest priority, then the most recently admitted, then the smallest.
            // A heap: an attempt usually takes only the first few.
            PriorityQueue<Admission> candidates = new PriorityQueue<>(
                    Comparator.<Admission>comparingInt(a -> a.queueIndex() == leaf ? 1 : 0)
                            .thenComparingInt(a -> a.workload().priority())
                            .thenComparing(Comparator.comparingLong(Admission::admittedAtSeconds).reversed())
                            .thenComparingLong(a -> a.charged().get(io.kubeai.core.resource.ResourceList.GPU))
                            .thenComparingLong(a -> a.charged().get(io.kubeai.core.resource.ResourceList.CPU))
                            .thenComparing(a -> a.workload().id()));
            indexRunning();
            for (int q = 0; q < runningByQueue.size(); q++) {
                boolean own = q == leaf;
                List<Admission> list = runningByQueue.get(q);
                if (list.isEmpty() || (!own && (!borrowing[q] || cannotGiveUp(q)))) {
                    continue;
                }
                List<long[]> held = heldByQueue.get(q);
                for (int i = 0; i < list.size(); i++) {
                    Admission a = list.get(i);
                    int vp = a.workload().priority();
                    boolean eligible = own
                            // Within a queue, strictly higher priority goes first.
                            ? vp < w.priority()
                            // Across queues, only borrowed capacity: reclaimed for a guarantee, or by priority;
                            // one that would take its queue below its min now always would (usage only drops).
                            : (reclaim || vp < w.priority()) && quota.staysAtOrAboveMin(q, held.get(i));
                    if (eligible && !victims.contains(a.workload().id())) {
                        candidates.add(a);
                    }
                }
            }
            if (candidates.isEmpty()) {
                noVictims.put(key, epoch());
                return null;
            }
            List<Admission> taken = new ArrayList<>();
            boolean feasible = false;
            while (!candidates.isEmpty()) {
                Admission a = candidates.poll();
                if (taken.size() >= config.maxVictims()) {
                    break;
                }
                if (a.queueIndex() != leaf) {
                    // Never push another queue below its min, and only while it still borrows.
                    if (!quota.borrowsAny(a.queueIndex(), req) || !keepsMins(a, leaf)) {
                        continue;
                    }
                }
                state.evict(a.workload().id());
                taken.add(a);
                if (fitsNow(w, leaf, req)) {
                    feasible = true;
                    break;
                }
            }
            if (!feasible) {
                restoreAll(taken);
                noVictims.put(key, epoch());
                return null;
            }
            // Keep running any victim the preemptor does not actually need gone.
            List<Admission> needed = new ArrayList<>(taken);
            for (int i = taken.size() - 1; i >= 0; i--) {
                Admission a = taken.get(i);
                state.restore(a);
                if (fitsNow(w, leaf, req)) {
                    needed.remove(a);
                } else {
                    state.evict(a.workload().id());
                }
            }
            // The nodes the preemptor will go to, found while its victims are out.
            int[] reservedNodes = new int[0];
            GangPlanner.Outcome where = GangPlanner.plan(state.cluster(), w, selector, random);
            if (where instanceof GangPlanner.Planned planned) {
                reservedNodes = planned.pods().stream().mapToInt(PlannedPod::nodeIndex).distinct().sorted().toArray();
                GangPlanner.discard(state.cluster(), planned.pods());
            }
            restoreAll(needed);
            preemptions++;
            List<Decision.Victim> out = new ArrayList<>();
            for (Admission a : needed) {
                victims.add(a.workload().id());
                String why = a.queueIndex() == leaf
                        ? "priority " + a.workload().priority() + " below " + w.priority() + " in queue " + tree.name(leaf)
                        : "queue " + tree.name(a.queueIndex()) + " borrows capacity "
                                + (reclaim ? "queue " + tree.name(leaf) + " is guaranteed" : "and runs at lower priority");
                out.add(new Decision.Victim(a.workload().id(), tree.name(a.queueIndex()), a.workload().priority(), why));
            }
            String reason = (fit.fits() ? "no node set fits it now" : fit.reason()) + "; " + out.size()
                    + (out.size() == 1 ? " workload leaves" : " workloads leave") + " to make room";
            ResourceList need = w.totalRequest();
            Hold hold = new Hold(w.id(), leaf, need, List.copyOf(needed), reserve(w.id(), reservedNodes));
            hold.take(quota);
            holds.add(hold);
            if (config.preemptorPrecedenceCycles() > 0) {
                state.precedence().remove(w.id());
                state.precedence().put(w.id(), config.preemptorPrecedenceCycles());
            }
            return new Decision.Preempt(w, out, reason);
        }

        /**
         * Fills what is free on the preemptor's nodes until the cycle ends, so that work decided
         * after it cannot take the room its plan counts on beside its victims' (the quota hold
         * alone does not keep nodes); the victims stay placed, so their room is kept too. Returns
         * the ids of the filler pods.
         */
        List<String> reserve(String preemptor, int[] nodeIndexes) {
            List<String> ids = new ArrayList<>();
            for (int i : nodeIndexes) {
                io.kubeai.core.cluster.NodeState n = state.cluster().node(i);
                String base = "reserved-for/" + preemptor + "/" + n.name();
                // A node the API server reported over its capacity has less than nothing free.
                long cpu = Math.max(0, n.cpuFreeMillis());
                long memory = Math.max(0, n.memoryFreeBytes());
                if (cpu > 0 || memory > 0) {
                    state.cluster().place(base, PodRequest.cpuOnly(cpu, memory), i, 0);
                    ids.add(base);
                }
                for (int d = 0; d < n.gpuCount(); d++) {
                    int free = n.gpuFreeMillis(d);
                    if (free > 0) {
                        String id = base + "/gpu-" + d;
                        state.cluster().place(id, PodRequest.cpuOnly(0, 0).withGpus(1, free), i, 1 << d);
                        ids.add(id);
                    }
                }
            }
            return ids;
        }

        /**
         * Whether taking {@code a} keeps each queue on its path, up to the first one it shares
         * with {@code leaf}, at or above its min in every resource {@code a} holds. The victims
         * named earlier in this cycle are already out of the ledger (see {@link Hold}), and their
         * preemptors do not count. A shared ancestor keeps the capacity, so it is not counted.
         */
        boolean keepsMins(Admission a, int leaf) {
            long[] held = quota.vector(a.charged());
            int[] shared = tree.path(leaf);
            for (int q : tree.path(a.queueIndex())) {
                for (int s : shared) {
                    if (s == q) {
                        return true;
                    }
                }
                if (!quota.staysAtOrAboveMin(q, held, claimedUnder(q))) {
                    return false;
                }
            }
            return true;
        }

        /**
         * What this cycle's preemptors under {@code q} are charged for: not yet running, so not
         * counted towards {@code q}'s min when its victims leave.
         */
        long[] claimedUnder(int q) {
            long[] out = new long[quota.resources().length];
            for (Hold h : holds) {
                if (isUnder(h.leaf(), q)) {
                    long[] r = quota.vector(h.request());
                    for (int d = 0; d < out.length; d++) {
                        out[d] += r[d];
                    }
                }
            }
            return out;
        }

        /** Whether {@code queue} is {@code ancestor} or below it. */
        boolean isUnder(int queue, int ancestor) {
            for (int q : tree.path(queue)) {
                if (q == ancestor) {
                    return true;
                }
            }
            return false;
        }

        void indexRunning() {
            if (runningByQueue != null) {
                return;
            }
            runningByQueue = new ArrayList<>(tree.size());
            heldByQueue = new ArrayList<>(tree.size());
            leastHeld = new long[tree.size()][];
            for (int q = 0; q < tree.size(); q++) {
                runningByQueue.add(new ArrayList<>());
                heldByQueue.add(new ArrayList<>());
            }
            for (Admission a : state.running()) {
                if (admitted.contains(a.workload().id())) {
                    continue;
                }
                int q = a.queueIndex();
                long[] held = quota.vector(a.charged());
                runningByQueue.get(q).add(a);
                heldByQueue.get(q).add(held);
                if (leastHeld[q] == null) {
                    leastHeld[q] = held.clone();
                } else {
                    for (int d = 0; d < held.length; d++) {
                        leastHeld[q][d] = Math.min(leastHeld[q][d], held[d]);
                    }
                }
            }
        }

        /**
         * Whether taking any running workload of another queue would take that queue below its
         * min: in a resource every one of them holds, the queue borrows nothing (its usage is at
         * most its min). Usage only drops during an attempt, so this holds for all of it.
         */
        boolean cannotGiveUp(int q) {
            long[] borrowed = quota.vector(quota.borrowed(q));
            for (int d = 0; d < borrowed.length; d++) {
                if (leastHeld[q][d] > 0 && borrowed[d] == 0) {
                    return true;
                }
            }
            return false;
        }

        /** Grows with every lasting change the cycle makes to the state: an admission or a victim named. */
        int epoch() {
            return admitted.size() + victims.size();
        }

        /** The sentence for work that waits only because this cycle's preemptors claimed the room. */
        String heldFor() {
            List<String> ids = holds.stream().map(Hold::workloadId).toList();
            return "the capacity it would use is claimed by " + String.join(", ", ids)
                    + (ids.size() == 1 ? ", which is" : ", which are") + " preempting to make room; it is tried again"
                    + " next cycle";
        }

        /** {@code check} with this cycle's holds taken ({@code held}) or released. */
        QuotaFit withHolds(boolean held, java.util.function.Supplier<QuotaFit> check) {
            if (held || holds.isEmpty()) {
                return check.get();
            }
            for (int i = holds.size() - 1; i >= 0; i--) {
                holds.get(i).release(quota);
            }
            try {
                return check.get();
            } finally {
                for (Hold h : holds) {
                    h.take(quota);
                }
            }
        }

        boolean fitsNow(Workload w, int leaf, long[] req) {
            if (!quota.check(leaf, req).fits()) {
                return false;
            }
            GangPlanner.Outcome o = GangPlanner.plan(state.cluster(), w, selector, random);
            if (o instanceof GangPlanner.Planned p) {
                GangPlanner.discard(state.cluster(), p.pods());
                return true;
            }
            return false;
        }

        void restoreAll(List<Admission> list) {
            for (int i = list.size() - 1; i >= 0; i--) {
                state.restore(list.get(i));
            }
        }

        List<String> leafNames(int q) {
            return tree.leavesUnder(q).stream().map(tree::name).toList();
        }
    }

    private static Decision.WaitReason waitReason(QuotaFit fit) {
        return switch (fit.kind()) {
            case MAX -> Decision.WaitReason.QUOTA_MAX;
            case BORROWING_LIMIT -> Decision.WaitReason.QUOTA_BORROWING_LIMIT;
            case CAPACITY, FITS -> Decision.WaitReason.QUOTA_CAPACITY;
        };
    }

    private static String summary(Decision d) {
        if (d instanceof Decision.Wait w) {
            return w.message();
        }
        if (d instanceof Decision.Preempt p) {
            return "it waits for " + p.victims().size() + " preempted workload(s) to leave";
        }
        if (d instanceof Decision.Expire e) {
            return e.message();
        }
        return "admitted";
    }

    private record NoFit(long version, int placeable, String reason) {
    }

    /** What a preemption attempt depends on besides the state. */
    private record Hold(String workloadId, int leaf, ResourceList request, List<Admission> victims,
            List<String> reservations) {
        void take(QuotaLedger quota) {
            for (Admission v : victims) {
                quota.remove(v.queueIndex(), v.charged());
            }
            quota.add(leaf, request);
        }

        void release(QuotaLedger quota) {
            quota.remove(leaf, request);
            for (Admission v : victims) {
                quota.add(v.queueIndex(), v.charged());
            }
        }
    }

    private record PreemptionKey(int leaf, int priority, QuotaFit.Kind fit, List<PodSet> podSets,
            int minMember) {
    }

    /** A queue's position in the cycle, with the keys it is ordered by. */
    private record Cursor(int queue, List<Workload> list, int position, boolean borrows, long priority,
            int queuePriority, double share, long createdAt, String id) {
        // Work a queue is guaranteed goes before work that would borrow, whatever their priorities:
        // else a borrower reclaimed for a guarantee is re-admitted into the room just freed, ahead
        // of the preemptor it made room for, and the two take turns evicting each other.
        static final Comparator<Cursor> ORDER = Comparator.<Cursor, Boolean>comparing(Cursor::borrows)
                .thenComparingLong(c -> -c.priority)
                .thenComparingInt(c -> -c.queuePriority)
                .thenComparingDouble(Cursor::share)
                .thenComparingLong(Cursor::createdAt)
                .thenComparing(Cursor::id);
    }
}
