package io.kubeai.simulator.jobs.sim;

import io.kubeai.core.cluster.ClusterState;
import io.kubeai.core.cluster.Node;
import io.kubeai.core.cluster.Placement;
import io.kubeai.core.fragmentation.FragmentationMeasure;
import io.kubeai.core.fragmentation.TypicalPods;
import io.kubeai.core.placement.NodeChoice;
import io.kubeai.core.placement.NodeSelector;
import io.kubeai.core.placement.PlacementBestFit;
import io.kubeai.core.placement.PlacementPolicies;
import io.kubeai.core.placement.TieBreak;
import io.kubeai.core.queue.QueueSpec;
import io.kubeai.core.queue.QueueTree;
import io.kubeai.core.queue.QuotaLedger;
import io.kubeai.core.resource.PodRequest;
import io.kubeai.core.resource.ResourceList;
import io.kubeai.core.workload.PlannedPod;
import io.kubeai.simulator.jobs.JobSpec;
import io.kubeai.simulator.jobs.metrics.JobMetrics;
import io.kubeai.simulator.jobs.metrics.JobRecord;
import io.kubeai.simulator.jobs.metrics.TimeSeries;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * A discrete-event simulation of jobs on a cluster under one {@link JobScheduler}, on a virtual
 * clock of whole seconds. Steppable one event at a time ({@link #hasNext()}, {@link #step()}),
 * or {@link #run()} to the end.
 *
 * <p>Events, and their order at one timestamp: completions (a job completes
 * {@code durationSeconds} after all its pods run), then arrivals (in submission order, then by
 * id), then the scheduling cycle, then the metrics sample. Cycles run as the live controller's
 * would: every arrival, completion, eviction or failure requests one at
 * {@code max(its time, last cycle + cycleIntervalSeconds)}, and everything until then is
 * coalesced into it; with job timeouts, a cycle is also requested when the next waiting job would
 * expire. An evicted job loses its progress, re-queues at once (its queue time is the eviction)
 * and restarts from scratch when it runs again.
 *
 * <p>{@link ClusterAgent}s, when given, act at the start and then at their interval, after the
 * completions and arrivals of their instant and before its cycle (agents in the order given),
 * for as long as some job is still to arrive, pending or running; a run with agents needs a
 * horizon, since an agent may keep a job waiting for ever.
 *
 * <p>The run ends when nothing more can happen (no arrival or completion is due and no cycle is
 * requested) or at the horizon. Gangs still holding some but not all of their pods at a natural
 * end are deadlocked; during the run, a gang that gained no pod for {@code deadlockTimeoutSeconds}
 * is checked at each sample: it is deadlocked when, even after every running job left, the gangs
 * holding pods could not all get the rest of theirs, taking turns (the banker's safety check,
 * placing with BestFit).
 *
 * <p>Deterministic: every tie is broken by time, kind and id, and every random choice draws from
 * one generator seeded with {@code config.seed()}. Cost per event is O(log jobs) plus the
 * scheduler's cycle; a sample is O(nodes + queues). Not thread-safe.
 */
public final class JobSimulation {
    private static final long NONE = Long.MAX_VALUE;
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    /** What an event is; also their order at one timestamp. */
    public enum Kind {
        COMPLETION,
        ARRIVAL,
        /** A {@link ClusterAgent} acts. */
        AGENT,
        CYCLE,
        SAMPLE
    }

    /** What one step did: its event, and for a cycle what the scheduler changed. */
    public record Step(long timeSeconds, Kind kind, String jobId, int podsBound, int jobsStarted, int jobsEvicted,
            int jobsFailed) {
    }

    private final JobSimulationConfig config;
    private final List<Node> nodes;
    private final ClusterState cluster;
    private final QueueTree tree;
    private final QuotaLedger accounting;
    private final TypicalPods typicalPods;
    private final FragmentationMeasure fragmentation;
    private final SplittableRandom random;
    private final SimJob[] arrivals;
    private final Map<String, SimJob> byId;
    private final JobScheduler scheduler;
    private final ClusterAgent[] agents;
    private final long[] nextAgentAt;
    private final AgentContext agentContext = new Agents();
    private final PriorityQueue<Completion> completions = new PriorityQueue<>(Completion.ORDER);
    private final PriorityQueue<Expiry> expiries = new PriorityQueue<>(Expiry.ORDER);
    private final LinkedHashSet<SimJob> partial = new LinkedHashSet<>();
    private final long startSeconds;
    private final long clusterGpuMillis;
    private final long[] queueHeldGpu;
    private final double[] queueGpuIntegral;
    private final int[] queuePending;
    private final Series series;
    private int nextArrival;
    private long seq;
    private long now;
    private long integratedTo;
    private double allocationIntegral;
    private double arrivalWindowIntegral = -1;
    private long arrivalWindowEnd;
    private long nextCycleAt = NONE;
    private long lastCycleAt = Long.MIN_VALUE;
    private long nextSampleAt;
    private long lastSampleAt = Long.MIN_VALUE;
    private int pendingJobs;
    private int runningJobs;
    private long partialHeldGpu;
    private long cycles;
    private long evictions;
    private long wallNanos;
    private long schedulerNanos;
    private long schedulerCpuNanos;
    private long longestCycleCpuNanos;
    private int pendingAtLongestCycle;
    private int mostPending;
    private boolean finished;
    private long endSeconds;
    private int stepPods;
    private int stepStarted;
    private int stepEvicted;
    private int stepFailed;

    public JobSimulation(List<JobSpec> jobs, List<Node> nodes, List<QueueSpec> queues, JobScheduler.Factory scheduler,
            JobSimulationConfig config) {
        this(jobs, nodes, queues, scheduler, config, List.of());
    }

    /** With cluster agents, which act in the order given; {@code config} must then set a horizon. */
    public JobSimulation(List<JobSpec> jobs, List<Node> nodes, List<QueueSpec> queues, JobScheduler.Factory scheduler,
            JobSimulationConfig config, List<ClusterAgent> agents) {
        if (!agents.isEmpty() && config.horizonSeconds() <= 0) {
            throw new IllegalArgumentException("a simulation with cluster agents needs a horizon (horizonSeconds > 0):"
                    + " an agent may keep a job waiting for ever");
        }
        this.agents = agents.toArray(new ClusterAgent[0]);
        for (ClusterAgent a : this.agents) {
            if (a.intervalSeconds() < 1) {
                throw new IllegalArgumentException("agent " + a + ": intervalSeconds must be at least 1, was "
                        + a.intervalSeconds());
            }
        }
        this.config = config;
        this.nodes = List.copyOf(nodes);
        this.cluster = new ClusterState(this.nodes);
        this.tree = QueueTree.of(queues);
        this.accounting = new QuotaLedger(tree, cluster.capacity());
        this.clusterGpuMillis = cluster.totalGpuMillis();
        this.random = new SplittableRandom(config.seed());
        this.arrivals = arrivalOrder(jobs, tree);
        this.byId = new HashMap<>(arrivals.length * 2);
        for (SimJob j : arrivals) {
            byId.put(j.id(), j);
        }
        List<PodRequest> pods = new ArrayList<>();
        for (SimJob j : arrivals) {
            for (int i = 0; i < j.pods(); i++) {
                pods.add(j.podRequest());
            }
        }
        this.typicalPods = TypicalPods.fromWorkload(pods);
        this.fragmentation = new FragmentationMeasure(typicalPods);
        this.startSeconds = arrivals.length == 0 ? 0 : arrivals[0].spec().submitSeconds();
        this.nextSampleAt = startSeconds - startSeconds % config.sampleIntervalSeconds();
        this.now = nextSampleAt;
        this.integratedTo = startSeconds;
        this.queueHeldGpu = new long[tree.size()];
        this.queueGpuIntegral = new double[tree.size()];
        this.queuePending = new int[tree.size()];
        this.series = new Series(tree.size());
        this.nextAgentAt = new long[this.agents.length];
        Arrays.fill(nextAgentAt, now);
        this.scheduler = scheduler.create(new Context());
    }

    /** Jobs in submission order (then by id); every job's queue must be a leaf of the tree. */
    private static SimJob[] arrivalOrder(List<JobSpec> jobs, QueueTree tree) {
        List<String> errors = new ArrayList<>();
        Map<String, Boolean> seen = new HashMap<>();
        List<SimJob> out = new ArrayList<>(jobs.size());
        for (JobSpec j : jobs) {
            if (seen.put(j.id(), Boolean.TRUE) != null) {
                errors.add("job " + j.id() + " appears twice");
                continue;
            }
            Optional<Integer> q = tree.indexOf(j.queue());
            if (q.isEmpty()) {
                errors.add("job " + j.id() + ": queue " + j.queue() + " does not exist; queues are " + tree.names());
            } else if (!tree.isLeaf(q.get())) {
                errors.add("job " + j.id() + ": queue " + j.queue() + " has child queues; submit to a leaf");
            } else {
                out.add(new SimJob(j, q.get()));
            }
        }
        if (!errors.isEmpty()) {
            int shown = Math.min(errors.size(), 10);
            throw new IllegalArgumentException(errors.size() + " invalid job(s): " + String.join("; ",
                    errors.subList(0, shown)) + (errors.size() > shown ? "; …" : ""));
        }
        out.sort(Comparator.comparingLong((SimJob j) -> j.spec().submitSeconds()).thenComparing(SimJob::id));
        return out.toArray(new SimJob[0]);
    }

    public String schedulerName() {
        return scheduler.name();
    }

    /** The scheduler under test (for what it counts itself, such as kubeai's wait reasons). */
    public JobScheduler scheduler() {
        return scheduler;
    }

    public JobSimulationConfig config() {
        return config;
    }

    /** Jobs submitted so far. */
    public int arrived() {
        return nextArrival;
    }

    /** Simulated time of the last event. */
    public long now() {
        return now;
    }

    /** The cluster as it runs now (read-only). */
    public ClusterState cluster() {
        return cluster;
    }

    public QueueTree queues() {
        return tree;
    }

    /** Every job, in submission order. */
    public List<SimJob> jobs() {
        return Collections.unmodifiableList(Arrays.asList(arrivals));
    }

    public Optional<SimJob> job(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The typical pods of the jobs, which fragmentation (and the FGD policy) measure against. */
    public TypicalPods typicalPods() {
        return typicalPods;
    }

    public boolean isFinished() {
        return finished;
    }

    public boolean hasNext() {
        return !finished && nextEventTime() != NONE;
    }

    /** Runs every remaining event and returns the metrics. */
    public JobMetrics run() {
        while (hasNext()) {
            step();
        }
        finishIfDone();
        return metrics();
    }

    /** Processes the next event. */
    public Step step() {
        if (!hasNext()) {
            throw new NoSuchElementException("the simulation has ended at " + now + " s");
        }
        long started = System.nanoTime();
        stepPods = 0;
        stepStarted = 0;
        stepEvicted = 0;
        stepFailed = 0;
        long tc = nextCompletionTime();
        long ta = nextArrival < arrivals.length ? arrivals[nextArrival].spec().submitSeconds() : NONE;
        int agent = nextAgent();
        long tg = agent < 0 ? NONE : nextAgentAt[agent];
        long tn = Math.min(Math.min(tc, tg), Math.min(ta, nextCycleAt));
        Step step;
        if (nextSampleAt < tn) {
            step = sample(nextSampleAt);
        } else if (tc == tn) {
            step = complete(completions.poll());
        } else if (ta == tn) {
            step = arrive(arrivals[nextArrival++]);
        } else if (tg == tn) {
            step = act(agent);
        } else {
            step = cycle(nextCycleAt);
        }
        wallNanos += System.nanoTime() - started;
        finishIfDone();
        return step;
    }

    /** The agent due first (the first given among equals), or -1 when none is due: no job is left to act for. */
    private int nextAgent() {
        if (agents.length == 0 || arrivals.length - nextArrival + pendingJobs + runningJobs == 0) {
            return -1;
        }
        int best = 0;
        for (int i = 1; i < agents.length; i++) {
            if (nextAgentAt[i] < nextAgentAt[best]) {
                best = i;
            }
        }
        return best;
    }

    private long nextAgentTime() {
        int a = nextAgent();
        return a < 0 ? NONE : nextAgentAt[a];
    }

    private long nextEventTime() {
        long t = Math.min(Math.min(nextCompletionTime(), nextAgentTime()), nextCycleAt);
        if (nextArrival < arrivals.length) {
            t = Math.min(t, arrivals[nextArrival].spec().submitSeconds());
        }
        if (t == NONE || (config.horizonSeconds() > 0 && t > config.horizonSeconds())) {
            return NONE;
        }
        return Math.min(t, nextSampleAt);
    }

    private long nextCompletionTime() {
        while (!completions.isEmpty() && completions.peek().isStale()) {
            completions.poll();
        }
        return completions.isEmpty() ? NONE : completions.peek().time;
    }

    private Step arrive(SimJob job) {
        advance(job.spec().submitSeconds());
        if (nextArrival == arrivals.length) {
            arrivalWindowIntegral = allocationIntegral;
            arrivalWindowEnd = now;
        }
        job.status = SimJob.Status.PENDING;
        queued(job);
        scheduler.jobArrived(job);
        requestCycle(now);
        return new Step(now, Kind.ARRIVAL, job.id(), 0, 0, 0, 0);
    }

    private Step complete(Completion c) {
        advance(c.time);
        SimJob job = c.job;
        removePods(job);
        job.status = SimJob.Status.DONE;
        job.endSeconds = now;
        runningJobs--;
        scheduler.jobCompleted(job);
        requestCycle(now);
        return new Step(now, Kind.COMPLETION, job.id(), 0, 0, 0, 0);
    }

    private Step cycle(long t) {
        advance(t);
        nextCycleAt = NONE;
        lastCycleAt = now;
        cycles++;
        int pendingNow = pendingJobs;
        long started = System.nanoTime();
        long cpuStarted = CPU.getCurrentThreadCpuTime();
        scheduler.cycle();
        long cpu = CPU.getCurrentThreadCpuTime() - cpuStarted;
        schedulerNanos += System.nanoTime() - started;
        schedulerCpuNanos += cpu;
        if (cpu > longestCycleCpuNanos) {
            longestCycleCpuNanos = cpu;
            pendingAtLongestCycle = pendingNow;
        }
        mostPending = Math.max(mostPending, pendingNow);
        requestExpiryCycle();
        return new Step(now, Kind.CYCLE, null, stepPods, stepStarted, stepEvicted, stepFailed);
    }

    private Step act(int agent) {
        advance(nextAgentAt[agent]);
        nextAgentAt[agent] = now + agents[agent].intervalSeconds();
        agents[agent].act(agentContext);
        return new Step(now, Kind.AGENT, null, 0, 0, stepEvicted, 0);
    }

    private Step sample(long t) {
        advance(t);
        record();
        nextSampleAt = t + config.sampleIntervalSeconds();
        checkDeadlocks(false);
        return new Step(now, Kind.SAMPLE, null, 0, 0, 0, 0);
    }

    private void finishIfDone() {
        if (finished || hasNext()) {
            return;
        }
        boolean cut = config.horizonSeconds() > 0 && nextEventTimeIgnoringHorizon() != NONE;
        if (cut) {
            advance(Math.max(now, config.horizonSeconds()));
            checkDeadlocks(true);
        } else {
            // Nothing more can happen: a gang still partly placed never gets the rest.
            for (SimJob j : sortedPartial()) {
                markDeadlocked(j);
            }
        }
        endSeconds = now;
        if (lastSampleAt != now) {
            record();
        }
        finished = true;
    }

    private long nextEventTimeIgnoringHorizon() {
        long t = Math.min(Math.min(nextCompletionTime(), nextAgentTime()), nextCycleAt);
        return nextArrival < arrivals.length ? Math.min(t, arrivals[nextArrival].spec().submitSeconds()) : t;
    }

    /** Moves the clock, integrating what is held over the time that passed. */
    private void advance(long t) {
        if (t < now) {
            throw new IllegalStateException("time went back from " + now + " to " + t);
        }
        long dt = t - integratedTo;
        if (dt > 0) {
            allocationIntegral += (double) cluster.allocatedGpuMillis() * dt;
            for (int q = 0; q < queueHeldGpu.length; q++) {
                queueGpuIntegral[q] += (double) queueHeldGpu[q] * dt;
            }
            integratedTo = t;
        }
        now = t;
    }

    private void requestCycle(long t) {
        long at = lastCycleAt == Long.MIN_VALUE ? t : Math.max(t, lastCycleAt + config.cycleIntervalSeconds());
        nextCycleAt = Math.min(nextCycleAt, at);
    }

    /** With timeouts, a cycle when the next waiting job would expire, so that it does. */
    private void requestExpiryCycle() {
        while (!expiries.isEmpty() && (expiries.peek().isStale() || expiries.peek().time <= now)) {
            expiries.poll();
        }
        if (!expiries.isEmpty()) {
            requestCycle(expiries.peek().time);
        }
    }

    private void queued(SimJob job) {
        job.queuedAtSeconds = now;
        pendingJobs++;
        addOnPath(queuePending, job.queueIndex(), 1);
        if (config.jobTimeoutSeconds() > 0) {
            expiries.add(new Expiry(now + config.jobTimeoutSeconds(), seq++, job, now));
        }
    }

    private void unqueued(SimJob job) {
        pendingJobs--;
        addOnPath(queuePending, job.queueIndex(), -1);
    }

    private void addOnPath(int[] perQueue, int leaf, int delta) {
        for (int q = leaf; q >= 0; q = tree.parent(q)) {
            perQueue[q] += delta;
        }
    }

    private void addOnPath(long[] perQueue, int leaf, long delta) {
        for (int q = leaf; q >= 0; q = tree.parent(q)) {
            perQueue[q] += delta;
        }
    }

    // Partial gangs: what they hold while they cannot run is accounted as it changes.

    private void beforeChange(SimJob j) {
        if (j.isPartial()) {
            j.heldIdleGpuSeconds += heldGpuMillis(j) * (now - j.heldSinceSeconds) / 1000.0;
            partialHeldGpu -= heldGpuMillis(j);
            partial.remove(j);
        }
    }

    private void afterChange(SimJob j) {
        if (j.isPartial()) {
            j.heldSinceSeconds = now;
            partialHeldGpu += heldGpuMillis(j);
            partial.add(j);
        }
    }

    private static long heldGpuMillis(SimJob j) {
        return j.placedPods() * j.podRequest().totalGpuMillis();
    }

    private void addPod(SimJob job, String podId) {
        job.podIds.add(podId);
        accounting.add(job.queueIndex(), job.podResources());
        addOnPath(queueHeldGpu, job.queueIndex(), job.podRequest().totalGpuMillis());
        if (job.firstAdmitSeconds < 0) {
            job.firstAdmitSeconds = now;
        }
        job.lastPodAtSeconds = now;
        stepPods++;
    }

    private void removePods(SimJob job) {
        for (String podId : job.podIds) {
            if (cluster.remove(podId).isEmpty()) {
                throw new IllegalStateException("pod " + podId + " of job " + job.id() + " is not on any node");
            }
            accounting.remove(job.queueIndex(), job.podResources());
            addOnPath(queueHeldGpu, job.queueIndex(), -job.podRequest().totalGpuMillis());
        }
        job.podIds.clear();
    }

    private void evictJob(SimJob job) {
        if (job.status != SimJob.Status.RUNNING && !job.isPartial()) {
            throw new IllegalStateException("job " + job.id() + " holds no pods to evict (" + job.status + ")");
        }
        beforeChange(job);
        if (job.status == SimJob.Status.RUNNING) {
            job.wastedGpuSeconds += job.gpuMillis() * (now - job.startSeconds) / 1000.0;
            runningJobs--;
            queued(job);
        } else {
            unqueued(job);
            queued(job);
        }
        removePods(job);
        job.status = SimJob.Status.PENDING;
        job.startSeconds = -1;
        job.evictions++;
        evictions++;
        stepEvicted++;
        afterChange(job);
        requestCycle(now);
    }

    private void startIfComplete(SimJob job) {
        if (job.placedPods() < job.pods()) {
            return;
        }
        job.status = SimJob.Status.RUNNING;
        job.starts++;
        job.generation++;
        job.startSeconds = now;
        if (job.firstStartSeconds < 0) {
            job.firstStartSeconds = now;
        }
        unqueued(job);
        runningJobs++;
        stepStarted++;
        completions.add(new Completion(now + job.spec().durationSeconds(), seq++, job, job.generation));
    }

    private static void requirePending(SimJob job) {
        if (job.status != SimJob.Status.PENDING) {
            throw new IllegalStateException("job " + job.id() + " is " + job.status + ", not pending");
        }
    }

    // Deadlock detection.

    private List<SimJob> sortedPartial() {
        List<SimJob> list = new ArrayList<>(partial);
        list.sort(Comparator.comparing(SimJob::id));
        return list;
    }

    private void checkDeadlocks(boolean all) {
        boolean candidate = false;
        for (SimJob j : partial) {
            if (!j.deadlocked && (all || now - j.lastPodAtSeconds >= config.deadlockTimeoutSeconds())) {
                candidate = true;
                break;
            }
        }
        if (!candidate) {
            return;
        }
        for (SimJob j : stuckGangs(sortedPartial())) {
            if (all || now - j.lastPodAtSeconds >= config.deadlockTimeoutSeconds()) {
                markDeadlocked(j);
            }
        }
    }

    private void markDeadlocked(SimJob j) {
        if (!j.deadlocked) {
            j.deadlocked = true;
            j.deadlockedAtSeconds = now;
        }
    }

    /**
     * The banker's safety check: on the cluster with only the partial gangs' pods, repeatedly let
     * a gang whose missing pods all fit finish and release everything; whoever is left can never
     * run, whatever the running jobs do. Uses its own placement and random source, so checking
     * does not change the run.
     */
    private List<SimJob> stuckGangs(List<SimJob> gangs) {
        ClusterState c = new ClusterState(nodes);
        for (SimJob j : gangs) {
            for (String podId : j.podIds) {
                Placement p = cluster.placement(podId).orElseThrow();
                c.place(podId, p.request(), p.nodeIndex(), p.gpuDevices());
            }
        }
        int[] rank = new int[nodes.size()];
        Arrays.setAll(rank, i -> i);
        NodeSelector selector = new NodeSelector(new PlacementBestFit(), TieBreak.byRank(rank));
        SplittableRandom fixed = new SplittableRandom(0);
        List<SimJob> left = new ArrayList<>(gangs);
        boolean progress = true;
        while (progress && !left.isEmpty()) {
            progress = false;
            for (Iterator<SimJob> it = left.iterator(); it.hasNext(); ) {
                SimJob j = it.next();
                List<String> tentative = new ArrayList<>();
                boolean fits = true;
                for (int k = j.placedPods(); k < j.pods(); k++) {
                    NodeChoice choice = selector.select(c, j.podRequest(), fixed);
                    if (!(choice instanceof NodeChoice.Chosen ch)) {
                        fits = false;
                        break;
                    }
                    String id = "deadlock-check/" + j.id() + "/" + k;
                    c.place(id, j.podRequest(), ch.nodeIndex(), ch.gpuDevices());
                    tentative.add(id);
                }
                tentative.forEach(c::remove);
                if (fits) {
                    j.podIds.forEach(c::remove);
                    it.remove();
                    progress = true;
                }
            }
        }
        return left;
    }

    // Sampling and metrics.

    private void record() {
        double frag = 0;
        for (int i = 0; i < cluster.nodeCount(); i++) {
            if (cluster.node(i).gpuCount() > 0) {
                frag += fragmentation.fragmentedMillis(cluster.node(i));
            }
        }
        long[] borrowed = new long[tree.size()];
        for (int q = 0; q < tree.size(); q++) {
            borrowed[q] = accounting.borrowed(q).get(ResourceList.GPU);
        }
        series.add(now, fraction(cluster.allocatedGpuMillis()), clusterGpuMillis == 0 ? 0 : frag / clusterGpuMillis,
                pendingJobs, runningJobs, partial.size(), partialHeldGpu, queuePending, queueHeldGpu, borrowed);
        lastSampleAt = now;
    }

    private double fraction(long gpuMillis) {
        return clusterGpuMillis == 0 ? 0 : (double) gpuMillis / clusterGpuMillis;
    }

    /** The metrics so far; final once {@link #hasNext()} is false. */
    public JobMetrics metrics() {
        long end = finished ? endSeconds : now;
        List<JobRecord> records = new ArrayList<>(arrivals.length);
        for (SimJob j : arrivals) {
            records.add(record(j, end));
        }
        double span = (double) (end - startSeconds) * clusterGpuMillis;
        double[] share = new double[tree.size()];
        double[] entitlement = new double[tree.size()];
        boolean[] leaf = new boolean[tree.size()];
        List<String> names = new ArrayList<>(tree.size());
        for (int q = 0; q < tree.size(); q++) {
            names.add(tree.name(q));
            leaf[q] = tree.isLeaf(q);
            share[q] = span > 0 ? queueGpuIntegral[q] / span : fraction(queueHeldGpu[q]);
            entitlement[q] = fraction(tree.effectiveMin(q).get(ResourceList.GPU));
        }
        double wholeRun = span > 0 ? allocationIntegral / span : fraction(cluster.allocatedGpuMillis());
        double arrivalSpan = (double) (arrivalWindowEnd - startSeconds) * clusterGpuMillis;
        double meanAllocation = arrivalWindowIntegral >= 0 && arrivalSpan > 0 ? arrivalWindowIntegral / arrivalSpan
                : wholeRun;
        return new JobMetrics(scheduler.name(), config.placementPolicy(), config.seed(), records,
                series.build(tree.names()), names, leaf, entitlement, share, clusterGpuMillis, startSeconds, end,
                meanAllocation, wholeRun, cycles, evictions, wallNanos, schedulerNanos,
                new JobMetrics.CycleCost(schedulerCpuNanos, longestCycleCpuNanos, pendingAtLongestCycle, mostPending));
    }

    private JobRecord record(SimJob j, long end) {
        JobSpec s = j.spec();
        JobRecord.Outcome outcome = switch (j.status) {
            case DONE -> JobRecord.Outcome.DONE;
            case FAILED -> JobRecord.Outcome.FAILED;
            default -> JobRecord.Outcome.UNFINISHED;
        };
        boolean started = j.firstStartSeconds >= 0;
        long waitedUntil = started ? j.firstStartSeconds
                : j.status == SimJob.Status.FAILED ? j.endSeconds
                : j.status == SimJob.Status.NOT_ARRIVED ? s.submitSeconds() : end;
        double heldIdle = j.heldIdleGpuSeconds;
        if (j.isPartial()) {
            heldIdle += heldGpuMillis(j) * (end - j.heldSinceSeconds) / 1000.0;
        }
        return new JobRecord(s.id(), s.queue(), s.tier(), s.priority(), s.pods(), s.podRequest().totalGpuMillis(),
                s.submitSeconds(), s.durationSeconds(), j.firstAdmitSeconds, j.firstStartSeconds,
                outcome == JobRecord.Outcome.UNFINISHED ? -1 : j.endSeconds, outcome, started,
                waitedUntil - s.submitSeconds(),
                outcome == JobRecord.Outcome.DONE ? j.endSeconds - s.submitSeconds() : -1, j.starts, j.evictions,
                j.wastedGpuSeconds, heldIdle, j.deadlocked, j.deadlockedAtSeconds, j.failure);
    }

    /** What schedulers see and do. */
    private final class Context implements SchedulerContext {
        @Override
        public long now() {
            return now;
        }

        @Override
        public JobSimulationConfig config() {
            return config;
        }

        @Override
        public ClusterState cluster() {
            return cluster;
        }

        @Override
        public List<Node> nodes() {
            return nodes;
        }

        @Override
        public QueueTree queues() {
            return tree;
        }

        @Override
        public RandomGenerator random() {
            return random;
        }

        @Override
        public NodeSelector newNodeSelector() {
            return new NodeSelector(PlacementPolicies.create(config.placementPolicy(), typicalPods));
        }

        @Override
        public Optional<SimJob> job(String id) {
            return Optional.ofNullable(byId.get(id));
        }

        @Override
        public void bind(SimJob job, NodeChoice.Chosen choice) {
            requirePending(job);
            if (job.placedPods() >= job.pods()) {
                throw new IllegalStateException("job " + job.id() + " has all its pods bound");
            }
            String podId = job.id() + "/worker-" + job.placedPods();
            cluster.place(podId, job.podRequest(), choice.nodeIndex(), choice.gpuDevices());
            beforeChange(job);
            addPod(job, podId);
            startIfComplete(job);
            afterChange(job);
        }

        @Override
        public void bindAll(SimJob job, List<PlannedPod> pods) {
            requirePending(job);
            if (job.placedPods() != 0 || pods.size() != job.pods()) {
                throw new IllegalStateException("job " + job.id() + " holds " + job.placedPods() + " of " + job.pods()
                        + " pods; a plan of " + pods.size() + " cannot start it");
            }
            for (PlannedPod p : pods) {
                if (!p.request().equals(job.podRequest())) {
                    throw new IllegalStateException("pod " + p.podId() + " requests " + p.request() + ", job "
                            + job.id() + " " + job.podRequest());
                }
                cluster.place(p.podId(), p.request(), p.nodeIndex(), p.gpuDevices());
                addPod(job, p.podId());
            }
            startIfComplete(job);
        }

        @Override
        public void admitted(SimJob job) {
            requirePending(job);
            if (job.firstAdmitSeconds < 0) {
                job.firstAdmitSeconds = now;
            }
        }

        @Override
        public void evict(SimJob job, String reason) {
            evictJob(job);
        }

        @Override
        public void requestCycleAt(long seconds) {
            requestCycle(Math.max(now, seconds));
        }

        @Override
        public void fail(SimJob job, String reason) {
            requirePending(job);
            beforeChange(job);
            removePods(job);
            unqueued(job);
            job.status = SimJob.Status.FAILED;
            job.endSeconds = now;
            job.failure = reason;
            stepFailed++;
            requestCycle(now);
        }
    }

    /** What agents see and do. */
    private final class Agents implements AgentContext {
        private final java.util.Set<String> reserved = new java.util.HashSet<>();

        @Override
        public long now() {
            return now;
        }

        @Override
        public ClusterState cluster() {
            return cluster;
        }

        @Override
        public List<Node> nodes() {
            return nodes;
        }

        @Override
        public Optional<SimJob> job(String id) {
            return Optional.ofNullable(byId.get(id));
        }

        @Override
        public void reserve(String podId, PodRequest request, int nodeIndex) {
            if (request.wantsGpu()) {
                throw new IllegalArgumentException("pod " + podId + ": an agent cannot reserve GPUs");
            }
            if (cluster.placement(podId).isPresent()) {
                throw new IllegalStateException("pod " + podId + " is already on a node");
            }
            io.kubeai.core.cluster.Fit fit = cluster.fit(request, nodeIndex);
            if (!fit.fits()) {
                throw new IllegalStateException("cannot reserve " + request + " for " + podId + ": " + fit.reason());
            }
            cluster.place(podId, request, nodeIndex, 0);
            reserved.add(podId);
            scheduler.podReserved(podId, request, nodeIndex);
        }

        @Override
        public void release(String podId) {
            if (!reserved.remove(podId)) {
                throw new IllegalStateException("pod " + podId + " was not reserved by an agent");
            }
            cluster.remove(podId);
            scheduler.podReleased(podId);
        }

        @Override
        public void evict(SimJob job, String reason) {
            evictJob(job);
            scheduler.jobEvicted(job, reason);
        }

        @Override
        public void requestCycle() {
            JobSimulation.this.requestCycle(now);
        }
    }

    private record Completion(long time, long seq, SimJob job, int generation) {
        static final Comparator<Completion> ORDER = Comparator.comparingLong(Completion::time)
                .thenComparingLong(Completion::seq);

        boolean isStale() {
            return job.status != SimJob.Status.RUNNING || job.generation != generation;
        }
    }

    private record Expiry(long time, long seq, SimJob job, long queuedAt) {
        static final Comparator<Expiry> ORDER = Comparator.comparingLong(Expiry::time).thenComparingLong(Expiry::seq);

        boolean isStale() {
            return job.status != SimJob.Status.PENDING || job.queuedAtSeconds != queuedAt;
        }
    }

    /** Growable columns of samples. */
    private static final class Series {
        private final int queues;
        private int n;
        private long[] times = new long[64];
        private double[] allocation = new double[64];
        private double[] fragmentation = new double[64];
        private int[] pending = new int[64];
        private int[] running = new int[64];
        private int[] partial = new int[64];
        private long[] partialHeld = new long[64];
        private int[][] pendingByQueue;
        private long[][] heldByQueue;
        private long[][] borrowedByQueue;

        Series(int queues) {
            this.queues = queues;
            pendingByQueue = new int[queues][64];
            heldByQueue = new long[queues][64];
            borrowedByQueue = new long[queues][64];
        }

        void add(long t, double alloc, double frag, int pend, int run, int part, long partHeld, int[] qPending,
                long[] qHeld, long[] qBorrowed) {
            if (n == times.length) {
                int m = n * 2;
                times = Arrays.copyOf(times, m);
                allocation = Arrays.copyOf(allocation, m);
                fragmentation = Arrays.copyOf(fragmentation, m);
                pending = Arrays.copyOf(pending, m);
                running = Arrays.copyOf(running, m);
                partial = Arrays.copyOf(partial, m);
                partialHeld = Arrays.copyOf(partialHeld, m);
                for (int q = 0; q < queues; q++) {
                    pendingByQueue[q] = Arrays.copyOf(pendingByQueue[q], m);
                    heldByQueue[q] = Arrays.copyOf(heldByQueue[q], m);
                    borrowedByQueue[q] = Arrays.copyOf(borrowedByQueue[q], m);
                }
            }
            times[n] = t;
            allocation[n] = alloc;
            fragmentation[n] = frag;
            pending[n] = pend;
            running[n] = run;
            partial[n] = part;
            partialHeld[n] = partHeld;
            for (int q = 0; q < queues; q++) {
                pendingByQueue[q][n] = qPending[q];
                heldByQueue[q][n] = qHeld[q];
                borrowedByQueue[q][n] = qBorrowed[q];
            }
            n++;
        }

        TimeSeries build(List<String> names) {
            int[][] pq = new int[queues][];
            long[][] hq = new long[queues][];
            long[][] bq = new long[queues][];
            for (int q = 0; q < queues; q++) {
                pq[q] = Arrays.copyOf(pendingByQueue[q], n);
                hq[q] = Arrays.copyOf(heldByQueue[q], n);
                bq[q] = Arrays.copyOf(borrowedByQueue[q], n);
            }
            return new TimeSeries(Arrays.copyOf(times, n), Arrays.copyOf(allocation, n),
                    Arrays.copyOf(fragmentation, n), Arrays.copyOf(pending, n), Arrays.copyOf(running, n),
                    Arrays.copyOf(partial, n), Arrays.copyOf(partialHeld, n), names, pq, hq, bq);
        }
    }
}
