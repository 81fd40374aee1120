package io.kubeai.simulator.whatif;

import io.kubeai.core.cluster.ClusterState;
import io.kubeai.core.config.ConfigValidationException;
import io.kubeai.core.config.ValidationError;
import io.kubeai.core.cycle.CycleResult;
import io.kubeai.core.cycle.Decision;
import io.kubeai.core.cycle.SchedulingCycle;
import io.kubeai.core.cycle.SchedulingState;
import io.kubeai.core.queue.QueueTree;
import io.kubeai.core.queue.QuotaLedger;
import io.kubeai.core.resource.PodRequest;
import io.kubeai.core.workload.Admission;
import io.kubeai.core.workload.PlannedPod;
import io.kubeai.core.workload.PodSet;
import io.kubeai.core.workload.Workload;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * What would happen to a cluster's pending work from now on, under one policy: a discrete-event
 * replay that starts from a {@link SchedulingState} with its running workloads where they are
 * and runs core's {@link SchedulingCycle} as the live controller does, on a virtual clock of
 * whole seconds, until a horizon.
 *
 * <p>The replay carries out each decision as the controller and the job simulator's kubeai
 * scheduler do: {@code Admit} starts the workload, which ends its expected duration later;
 * {@code Preempt} takes its victims off the cluster at once (their pods are evicted) and puts
 * them back in their queues, aged from the eviction and needing their whole duration again,
 * while the preemptor is tried again in a later cycle; {@code Expire} drops the workload;
 * {@code Wait} keeps it queued, and the last reason is kept. A running workload of the start
 * ends after its remaining duration. Pods in the state's cluster that belong to no running
 * workload (other schedulers' pods, daemons) hold their nodes throughout.
 *
 * <p>Cycles run as the controller's would, on events: one at the start, one at each completion
 * or eviction (no sooner than {@code cycleIntervalSeconds} after the last), and one when a
 * waiting workload's timeout falls due. A cycle with nothing changed since the last decides the
 * same, so none is run in between. Every event at or before the horizon is replayed.
 *
 * <p>Deterministic: one random source seeded with {@code seed}; ties between events at one
 * second go completions first, then by workload id. Cost: a cycle per event, and O(log events)
 * per event besides. Does not model: staggering windows and queue windows (the live controller
 * does not apply them either), bindings that kube-scheduler refuses, pods created later, and
 * victims whose owners do not recreate them (all come back).
 */
public final class WhatIfReplay {

    /** A running workload of the start: how much longer it runs, and how long it would take again after an eviction. */
    public record Running(String workloadId, long remainingSeconds, long durationSeconds) {
        public Running {
            if (remainingSeconds < 0 || durationSeconds <= 0) {
                throw new IllegalArgumentException("running workload " + workloadId
                        + ": remainingSeconds must not be negative and durationSeconds must be positive");
            }
        }
    }

    /** A pending workload, and how long it runs once admitted. */
    public record Pending(Workload workload, long durationSeconds) {
        public Pending {
            if (durationSeconds <= 0) {
                throw new IllegalArgumentException("pending workload " + workload.id() + ": durationSeconds must be positive");
            }
        }
    }

    /**
     * @param horizonSeconds how far to look ahead from the start
     * @param cycleIntervalSeconds the least time between two cycles (the controller's interval)
     * @param seed the random source of placement tie-breaks
     */
    public record Settings(long horizonSeconds, long cycleIntervalSeconds, long seed) {
        public static final Settings DEFAULT = new Settings(24 * 3600, 5, 1);

        public Settings {
            if (horizonSeconds <= 0) {
                throw new IllegalArgumentException("the horizon must be positive, was " + horizonSeconds + " s");
            }
            if (cycleIntervalSeconds < 1) {
                // Preemptors are tried again a cycle later: at interval 0 two could take turns forever.
                throw new IllegalArgumentException("the cycle interval must be at least 1 s, was " + cycleIntervalSeconds);
            }
        }

        public Settings withHorizon(long seconds) {
            return new Settings(seconds, cycleIntervalSeconds, seed);
        }
    }

    /** Where a pending workload is at the horizon. */
    public enum Status {
        /** Admitted at least once before the horizon (it may have been preempted since). */
        ADMITTED,
        /** Never admitted; still queued at the horizon. */
        WAITING,
        /** Gave up: its timeout ran out before it was admitted. */
        EXPIRED
    }

    /**
     * One pending workload's fate. Times are seconds after the start; -1 where it did not happen.
     *
     * @param admittedAfterSeconds when it was first admitted
     * @param endsAfterSeconds when its run ends, if that is before the horizon
     * @param evictions how often it was preempted after being admitted
     * @param reason why it waits at the horizon (its last cycle's words), or why it expired
     */
    public record Outcome(String workloadId, String queue, Status status, long admittedAfterSeconds, long endsAfterSeconds,
            int evictions, String reason) {
    }

    /** A workload taken off the cluster to make room: when, for whom, and why it could be taken. */
    public record Eviction(String workloadId, String queue, long afterSeconds, String preemptor, String why,
            boolean runningAtStart) {
    }

    /**
     * The figures an operator compares between policies.
     *
     * @param waitP50Seconds the median wait from the start until admitted, over all pending
     *     workloads; null when more than half are not admitted by the horizon
     * @param waitP95Seconds the 95th percentile (nearest rank), likewise
     * @param gpuMillisAtEnd milli-GPU allocated at the horizon
     * @param meanGpuAllocation allocated over capacity, averaged over the whole window
     * @param runningPreempted running workloads of the start preempted during the window
     */
    public record Summary(int pending, int admitted, int waiting, int expired, int runningPreempted, Long waitP50Seconds,
            Long waitP95Seconds, long gpuMillisAtEnd, long gpuMillisTotal, double meanGpuAllocation, long cycles) {

        /** Allocated over capacity at the horizon; 0 on a cluster without GPUs. */
        public double gpuAllocationAtEnd() {
            return gpuMillisTotal == 0 ? 0 : (double) gpuMillisAtEnd / gpuMillisTotal;
        }
    }

    /** The replay's answer: one outcome per pending workload, in the order given, and every eviction. */
    public record Result(long startSeconds, long horizonSeconds, List<Outcome> outcomes, List<Eviction> evictions,
            Summary summary) {
        public Result {
            outcomes = List.copyOf(outcomes);
            evictions = List.copyOf(evictions);
        }

        public Optional<Outcome> outcome(String workloadId) {
            return outcomes.stream().filter(o -> o.workloadId().equals(workloadId)).findFirst();
        }
    }

    private WhatIfReplay() {
    }

    /**
     * The state with its queues replaced by {@code tree}: the same cluster (copied), and every
     * running workload charged to the queue of the same name. Throws, naming them, when a
     * running workload's queue is not a leaf of the new tree.
     */
    public static SchedulingState withQueues(SchedulingState state, QueueTree tree) {
        ClusterState cluster = state.cluster().copy();
        SchedulingState out = new SchedulingState(cluster, new QuotaLedger(tree, cluster.capacity()));
        Map<String, List<String>> orphans = new java.util.TreeMap<>();
        for (Admission a : state.running()) {
            Optional<Integer> leaf = tree.indexOf(a.workload().queue()).filter(tree::isLeaf);
            if (leaf.isEmpty()) {
                orphans.computeIfAbsent(a.workload().queue(), k -> new ArrayList<>()).add(a.workload().id());
            } else {
                out.commit(a.workload(), leaf.get(), a.pods(), a.admittedAtSeconds());
            }
        }
        if (!orphans.isEmpty()) {
            List<ValidationError> errors = new ArrayList<>();
            orphans.forEach((q, ids) -> errors.add(new ValidationError("queues[" + q + "]", (tree.indexOf(q).isEmpty()
                    ? "is gone" : "has child queues") + ", but running workloads are charged to it: " + ids)));
            throw new ConfigValidationException("the queues", errors);
        }
        return out;
    }

    /**
     * Replays from {@code start} (not changed: the replay works on a copy) at {@code nowSeconds}.
     * Every running workload of the start needs one {@link Running} entry.
     */
    public static Result run(SchedulingState start, List<Running> running, List<Pending> pending, SchedulingCycle cycle,
            long nowSeconds, Settings settings) {
        return new Run(start.copy(), cycle, nowSeconds, settings).replay(running, pending);
    }

    /** One workload's life in the replay. */
    private static final class Track {
        final String id;
        final String queue;
        final long durationSeconds;
        final boolean runningAtStart;
        Workload workload;
        long firstAdmitted = -1;
        long endsAt = -1;
        long completedAt = -1;
        int generation;
        int evictions;
        boolean expired;
        String reason = "";

        Track(String id, String queue, long durationSeconds, boolean runningAtStart) {
            this.id = id;
            this.queue = queue;
            this.durationSeconds = durationSeconds;
            this.runningAtStart = runningAtStart;
        }
    }

    private record Completion(long time, String id, int generation) {
        static final Comparator<Completion> ORDER = Comparator.comparingLong(Completion::time)
                .thenComparing(Completion::id);
    }

    private static final class Run {
        private static final long NONE = Long.MAX_VALUE;
        final SchedulingState state;
        final SchedulingCycle cycle;
        final long start;
        final long end;
        final long interval;
        final SplittableRandom random;
        final Map<String, Track> tracks = new HashMap<>();
        final LinkedHashMap<String, Workload> queued = new LinkedHashMap<>();
        final PriorityQueue<Completion> completions = new PriorityQueue<>(Completion.ORDER);
        final PriorityQueue<Long> expiries = new PriorityQueue<>();
        final List<Eviction> evictions = new ArrayList<>();
        long now;
        long nextCycle;
        long lastCycle = Long.MIN_VALUE;
        long cycles;
        double gpuIntegral;

        Run(SchedulingState state, SchedulingCycle cycle, long start, Settings s) {
            this.state = state;
            this.cycle = cycle;
            this.start = start;
            this.end = Math.addExact(start, s.horizonSeconds());
            this.interval = s.cycleIntervalSeconds();
            this.random = new SplittableRandom(s.seed());
            this.now = start;
            this.nextCycle = start;
        }

        Result replay(List<Running> running, List<Pending> pending) {
            Map<String, Running> byId = new HashMap<>();
            for (Running r : running) {
                if (byId.put(r.workloadId(), r) != null) {
                    throw new IllegalArgumentException("running workload " + r.workloadId() + " is given twice");
                }
            }
            for (Admission a : state.running()) {
                Running r = byId.remove(a.workload().id());
                if (r == null) {
                    throw new IllegalArgumentException("running workload " + a.workload().id()
                            + " has no remaining duration");
                }
                Track t = new Track(a.workload().id(), a.workload().queue(), r.durationSeconds(), true);
                t.workload = requeued(a, start);
                t.endsAt = start + r.remainingSeconds();
                tracks.put(t.id, t);
                completions.add(new Completion(t.endsAt, t.id, t.generation));
            }
            if (!byId.isEmpty()) {
                throw new IllegalArgumentException("no running workload named " + byId.keySet().stream().sorted().toList());
            }
            for (Pending p : pending) {
                Workload w = p.workload();
                if (tracks.containsKey(w.id())) {
                    throw new IllegalArgumentException("workload " + w.id() + " is given twice");
                }
                Track t = new Track(w.id(), w.queue(), p.durationSeconds(), false);
                t.workload = w;
                tracks.put(w.id(), t);
                queue(t, w);
            }
            loop();
            advance(end);
            return result(pending);
        }

        private void loop() {
            while (true) {
                long tc = nextCompletion();
                long tx = expiries.isEmpty() ? NONE : expiries.peek();
                long t = Math.min(tc, Math.min(nextCycle, tx));
                if (t == NONE || t > end) {
                    return;
                }
                advance(t);
                if (tc == t) {
                    complete(completions.poll());
                } else if (tx == t && t < nextCycle) {
                    expiries.poll();
                    requestCycle(t);
                } else {
                    expiries.removeIf(x -> x <= t);
                    runCycle();
                }
            }
        }

        private long nextCompletion() {
            while (!completions.isEmpty() && stale(completions.peek())) {
                completions.poll();
            }
            return completions.isEmpty() ? NONE : completions.peek().time();
        }

        private boolean stale(Completion c) {
            Track t = tracks.get(c.id());
            return t.generation != c.generation() || t.endsAt != c.time();
        }

        private void advance(long t) {
            gpuIntegral += (double) state.cluster().allocatedGpuMillis() * (t - now);
            now = t;
        }

        private void requestCycle(long t) {
            long at = lastCycle == Long.MIN_VALUE ? t : Math.max(t, lastCycle + interval);
            nextCycle = Math.min(nextCycle, at);
        }

        private void queue(Track t, Workload w) {
            queued.put(t.id, w);
            if (w.timeoutSeconds() > 0) {
                long due = w.createdAtSeconds() + w.timeoutSeconds();
                if (due > now) {
                    expiries.add(due);
                }
            }
        }

        private void complete(Completion c) {
            Track t = tracks.get(c.id());
            state.evict(t.id);
            t.completedAt = now;
            t.endsAt = -1;
            t.generation++;
            requestCycle(now);
        }

        private void runCycle() {
            nextCycle = NONE;
            lastCycle = now;
            cycles++;
            if (queued.isEmpty()) {
                return;
            }
            CycleResult r = cycle.run(state, queued.values(), now, random);
            for (Decision d : r.decisions()) {
                Track t = tracks.get(d.workload().id());
                if (d instanceof Decision.Admit) {
                    // The cycle has committed it to the state.
                    queued.remove(t.id);
                    if (t.firstAdmitted < 0) {
                        t.firstAdmitted = now;
                    }
                    t.endsAt = now + t.durationSeconds;
                    t.reason = "";
                    completions.add(new Completion(t.endsAt, t.id, t.generation));
                } else if (d instanceof Decision.Preempt p) {
                    t.reason = p.reason();
                    for (Decision.Victim v : p.victims()) {
                        evict(v, t.id);
                    }
                } else if (d instanceof Decision.Expire e) {
                    queued.remove(t.id);
                    t.expired = true;
                    t.reason = e.message();
                } else if (d instanceof Decision.Wait w) {
                    t.reason = w.message();
                }
            }
        }

        private void evict(Decision.Victim v, String preemptor) {
            Optional<Admission> gone = state.evict(v.workloadId());
            if (gone.isEmpty()) {
                return;
            }
            Track t = tracks.get(v.workloadId());
            t.generation++;
            t.endsAt = -1;
            t.evictions++;
            evictions.add(new Eviction(t.id, t.queue, now - start, preemptor, v.why(), t.runningAtStart));
            Workload w = aged(t.workload, now);
            t.workload = w;
            queue(t, w);
            requestCycle(now);
        }

        private Result result(List<Pending> pending) {
            List<Outcome> outcomes = new ArrayList<>();
            List<Long> waits = new ArrayList<>();
            int admitted = 0;
            int expired = 0;
            for (Pending p : pending) {
                Track t = tracks.get(p.workload().id());
                Status status = t.firstAdmitted >= 0 ? Status.ADMITTED : t.expired ? Status.EXPIRED : Status.WAITING;
                if (status == Status.ADMITTED) {
                    admitted++;
                    waits.add(t.firstAdmitted - start);
                } else {
                    waits.add(NONE);
                }
                if (status == Status.EXPIRED) {
                    expired++;
                }
                long ends = t.completedAt >= 0 ? t.completedAt - start : -1;
                boolean waitingAgain = status == Status.ADMITTED && queued.containsKey(t.id);
                outcomes.add(new Outcome(t.id, t.queue, status, t.firstAdmitted < 0 ? -1 : t.firstAdmitted - start, ends,
                        t.evictions, status == Status.ADMITTED && !waitingAgain ? "" : t.reason));
            }
            waits.sort(null);
            long runningPreempted = evictions.stream().filter(Eviction::runningAtStart).map(Eviction::workloadId)
                    .distinct().count();
            long total = state.cluster().totalGpuMillis();
            double span = (double) (end - start) * total;
            Summary s = new Summary(pending.size(), admitted, pending.size() - admitted - expired, expired,
                    (int) runningPreempted, percentile(waits, 50), percentile(waits, 95),
                    state.cluster().allocatedGpuMillis(), total, span > 0 ? gpuIntegral / span : 0, cycles);
            return new Result(start, end - start, outcomes, evictions, s);
        }

        private static Long percentile(List<Long> sorted, int p) {
            if (sorted.isEmpty()) {
                return null;
            }
            int rank = (int) Math.ceil(p / 100.0 * sorted.size());
            long v = sorted.get(Math.max(0, rank - 1));
            return v == NONE ? null : v;
        }
    }

    /** A pending workload put back in its queue at {@code now}: aged from then, as a new arrival. */
    static Workload aged(Workload w, long now) {
        return new Workload(w.id(), w.queue(), w.priority(), now, w.podSets(), w.minMember(), w.timeoutSeconds(),
                w.timing());
    }

    /** A running workload of the start put back in its queue at {@code now}: its pods as they ran, all needed. */
    static Workload requeued(Admission a, long now) {
        Map<PodRequest, Integer> counts = new LinkedHashMap<>();
        for (PlannedPod p : a.pods()) {
            counts.merge(p.request(), 1, Integer::sum);
        }
        List<PodSet> sets = new ArrayList<>();
        int k = 0;
        for (Map.Entry<PodRequest, Integer> e : counts.entrySet()) {
            sets.add(new PodSet("s" + k++, e.getValue(), e.getKey()));
        }
        if (sets.isEmpty()) {
            return a.workload();
        }
        Workload w = a.workload();
        return new Workload(w.id(), w.queue(), w.priority(), now, sets, a.pods().size(), 0, w.timing());
    }
}
