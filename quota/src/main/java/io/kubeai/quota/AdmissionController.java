package io.kubeai.quota;

import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kubeai.core.cluster.ClusterState;
import io.kubeai.core.config.ConfigValidationException;
import io.kubeai.core.config.QueueWindowRule;
import io.kubeai.core.config.SchedulingPolicy;
import io.kubeai.core.config.StaggerPolicy;
import io.kubeai.core.cycle.CycleResult;
import io.kubeai.core.cycle.Decision;
import io.kubeai.core.cycle.SchedulingCycle;
import io.kubeai.core.cycle.SchedulingState;
import io.kubeai.core.placement.NodeSelector;
import io.kubeai.core.placement.PlacementPolicies;
import io.kubeai.core.queue.QueueSpec;
import io.kubeai.core.queue.QueueTree;
import io.kubeai.core.queue.QuotaLedger;
import io.kubeai.core.resource.PodRequest;
import io.kubeai.core.resource.ResourceList;
import io.kubeai.core.window.ClosingBudget;
import io.kubeai.core.window.ClosingEvictions;
import io.kubeai.core.window.QueueWindow;
import io.kubeai.core.window.QueueWindows;
import io.kubeai.core.window.Stagger;
import io.kubeai.core.workload.Admission;
import io.kubeai.core.workload.PlannedPod;
import io.kubeai.core.workload.PodSet;
import io.kubeai.core.workload.Timing;
import io.kubeai.core.workload.Workload;
import io.kubeai.kube.CachedPod;
import io.kubeai.kube.ClusterCache;
import io.kubeai.kube.GangRef;
import io.kubeai.kube.InvalidObjectException;
import io.kubeai.kube.KubeAiNames;
import io.kubeai.kube.KubeConversions;
import io.kubeai.kube.OneTryClient;
import io.kubeai.kube.TimingAnnotations;
import io.kubeai.kube.crd.CrdConversions;
import io.kubeai.kube.crd.PodGroup;
import io.kubeai.kube.crd.PodGroupStatus;
import io.kubeai.kube.crd.Queue;
import io.kubeai.kube.crd.QueueResourceStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The admission controller: admits whole gangs by lifting the scheduling gate
 * {@code kubeai.io/admission} of every member at once, after core's {@link SchedulingCycle}
 * found quota and a placement for all of them.
 *
 * <p>One {@link #reconcile()} is a cycle: it rebuilds everything from the API server's objects
 * (through the informer-fed cache), so a new leader needs no other state. An admission is
 * written before it acts, in this order: every member gets {@code kubeai.io/planned-node},
 * {@code kubeai.io/gpu-devices} and {@code kubeai.io/admission-id} ({@code uid/members});
 * then the PodGroup's status; then the gates are lifted. A leader that finds an admission whose
 * members all carry the id (or any of them ungated) finishes lifting the gates; one whose
 * members do not all carry it yet is rolled back (the annotations removed), and the gang waits
 * again. Planned pods hold their node in the cache until bound, so capacity is never counted
 * twice. Victims are evicted through the Eviction API, which honours PodDisruptionBudgets: each
 * eviction is tried once, and a victim whose eviction is refused gets an Event and stays where
 * it is, to be chosen and tried again by the next cycle.
 *
 * <p>Time windows (docs/staggering.md): each cycle applies the Queue {@code spec.windows} open
 * at the clock's instant (scaled min and max; closed queues, and the children of a closed queue,
 * admit nothing), defers workloads by their {@code kubeai.io/not-before}, {@code deadline} and
 * {@code expected-duration} and by the policy's production window, and evicts what runs in a
 * queue whose {@code Close} window has {@code evictRunning}: at most
 * {@code stagger.closingEvictions.maxEvictionsPerInterval} workloads per interval, through a
 * client that tries once, so an eviction a PodDisruptionBudget refuses (429) is retried the next
 * interval, not in a loop.
 *
 * <p>Not thread-safe: {@link #reconcile()} runs on one thread ({@link ControllerRunner}).
 */
public final class AdmissionController {
    private static final Logger LOG = Logger.getLogger(AdmissionController.class.getName());
    static final String PHASE_PENDING = "Pending";
    static final String PHASE_ADMITTED = "Admitted";
    static final String PHASE_RUNNING = "Running";
    static final String PHASE_FAILED = "Failed";
    /** Annotation on members of a gang that gave up waiting (when it has no PodGroup to say so). */
    static final String FAILED = "kubeai.io/failed";

    private final KubernetesClient client;
    /**
     * For evictions (preemption victims and window-closing): one try each ({@link OneTryClient}),
     * as a refusal is retried by the next cycle or interval.
     */
    private final KubernetesClient evictions;
    /** Whether {@link #evictions} was made here, and so is closed here. */
    private final boolean ownsEvictions;
    private final ClusterCache cache;
    private final InstantSource clock;
    private final SchedulingPolicy policy;
    private final ControllerMetrics metrics;
    private final String identity;
    private final Map<String, PodGroup> podGroups = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Queue> queues = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, GenericKubernetesResource> pluginPodGroups = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, String> lastMessage = new HashMap<>();
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    private final List<java.util.function.BooleanSupplier> applied = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final NodeSelector selector;
    /** Admissions written but not yet seen by the informers, so the next cycle cannot admit them again. */
    private final Map<String, InFlight> inFlight = new HashMap<>();
    /** Workloads being evicted: not chosen again, and their capacity counted as free. */
    private final Map<String, Instant> evicting = new HashMap<>();
    private final Stagger stagger;
    /** Window-closing evictions of the last interval, and refused workloads waiting to be tried again. */
    private final ClosingBudget closingBudget;
    /** Victims whose eviction was refused, with the message last recorded (one Event per change). */
    private final Map<String, String> blocked = new HashMap<>();
    private static final java.time.Duration EVICTION_TIMEOUT = java.time.Duration.ofSeconds(10);
    private static final java.time.Duration IN_FLIGHT_TTL = java.time.Duration.ofMinutes(5);
    private long cycleCount;
    /**
     * Workloads that preempted and are decided first for a few more cycles (core's preemptor
     * precedence), carried from one cycle's state to the next; lost on a change of leader, which
     * costs at most a few cycles of precedence.
     */
    private java.util.LinkedHashMap<String, Integer> precedence = new java.util.LinkedHashMap<>();

    private record InFlight(String admissionId, List<PlannedPod> pods, Instant at) {
    }
    private Runnable onChange = () -> { };

    public AdmissionController(KubernetesClient client, ClusterCache cache, InstantSource clock, SchedulingPolicy policy,
            ControllerMetrics metrics, String identity) {
        this(client, OneTryClient.of(client, EVICTION_TIMEOUT), true, cache, clock, policy, metrics, identity);
    }

    /**
     * @param evictions the client evictions go through; give one that tries each call once
     *     ({@link io.kubeai.kube.OneTryClient}), or fabric8 retries a refused eviction for about
     *     twenty seconds inside the cycle. The caller closes it.
     */
    public AdmissionController(KubernetesClient client, KubernetesClient evictions, ClusterCache cache,
            InstantSource clock, SchedulingPolicy policy, ControllerMetrics metrics, String identity) {
        this(client, evictions, false, cache, clock, policy, metrics, identity);
    }

    private AdmissionController(KubernetesClient client, KubernetesClient evictions, boolean ownsEvictions,
            ClusterCache cache, InstantSource clock, SchedulingPolicy policy, ControllerMetrics metrics, String identity) {
        this.client = client;
        this.evictions = evictions;
        this.ownsEvictions = ownsEvictions;
        this.stagger = policy.stagger().stagger();
        this.closingBudget = new ClosingBudget(Duration.ofSeconds(policy.stagger().closing().intervalSeconds()),
                policy.stagger().closing().maxEvictionsPerInterval());
        this.cache = cache;
        this.clock = clock;
        this.policy = policy;
        this.metrics = metrics;
        this.identity = identity;
        this.selector = selector(policy);
    }

    private static NodeSelector selector(SchedulingPolicy policy) {
        return new NodeSelector(PlacementPolicies.create(policy.placementPolicy(),
                io.kubeai.core.fragmentation.TypicalPods.fromWorkload(List.of(PodRequest.cpuOnly(1000, 0)))));
    }

    /** The cycle this controller runs under {@code policy}, for tools that replay its decisions. */
    public static SchedulingCycle cycle(SchedulingPolicy policy) {
        return new SchedulingCycle(policy.cycle(), selector(policy));
    }

    /** Informers on our PodGroups and Queues (and scheduler-plugins PodGroups when installed). */
    public AdmissionController watch(Runnable changed) {
        this.onChange = changed;
        inform(client.resources(PodGroup.class).inAnyNamespace().inform(handler(podGroups), 0), podGroups);
        inform(client.resources(Queue.class).inform(handler(queues), 0), queues);
        try {
            inform(client.genericKubernetesResources("scheduling.x-k8s.io/v1alpha1", "PodGroup").inAnyNamespace()
                    .inform(handler(pluginPodGroups), 0), pluginPodGroups);
        } catch (KubernetesClientException e) {
            LOG.info("scheduler-plugins PodGroups are not installed; reading gangs from pods only");
        }
        return this;
    }

    private void inform(SharedIndexInformer<?> informer, Map<String, ?> into) {
        informers.add(informer);
        applied.add(() -> informer.hasSynced() && into.keySet().containsAll(informer.getStore().listKeys()));
    }

    /**
     * Whether every informer has listed and its handler has applied what it listed: informers
     * report synced once their store holds the list, before the handlers have run, and a cycle
     * before them would see no queues.
     */
    public boolean synced() {
        return applied.stream().allMatch(java.util.function.BooleanSupplier::getAsBoolean);
    }

    private <T extends HasMetadata> ResourceEventHandler<T> handler(Map<String, T> into) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T o) {
                into.put(key(o), o);
                onChange.run();
            }

            @Override
            public void onUpdate(T a, T b) {
                into.put(key(b), b);
                onChange.run();
            }

            @Override
            public void onDelete(T o, boolean unknown) {
                into.remove(key(o));
                onChange.run();
            }
        };
    }

    private static String key(HasMetadata o) {
        String ns = o.getMetadata().getNamespace();
        return ns == null ? o.getMetadata().getName() : ns + "/" + o.getMetadata().getName();
    }

    /** The preemptors decided first in the next cycles, with the cycles each has left (for tests and tools). */
    java.util.Map<String, Integer> precedenceLeft() {
        return java.util.Collections.unmodifiableMap(precedence);
    }

    public ControllerMetrics metrics() {
        return metrics;
    }

    /**
     * What one cycle decides on, read from the caches without writing anything: the gangs, the
     * queue tree, the scheduling state with running and reserved work charged, the pending
     * workloads, and the recovery the API objects call for.
     */
    public static final class Snapshot {
        final List<Gang> gangs;
        final QueueTree tree;
        final SchedulingState state;
        final Map<String, Gang> pendingGangs = new LinkedHashMap<>();
        final List<Workload> pending = new ArrayList<>();
        final Map<String, Map<String, Gang.Member>> memberOf = new HashMap<>();
        final List<Gang> toLift = new ArrayList<>();
        final List<Gang> toRollBack = new ArrayList<>();
        final List<Gang> waitingForMembers = new ArrayList<>();
        /** Leaf queues closed now (by their own window or an ancestor's), with the sentence saying why. */
        final Map<String, String> closed = new LinkedHashMap<>();
        /** Leaf queues whose closing window evicts what runs in them, with the sentence saying why. */
        final Map<String, String> evictOnClose = new LinkedHashMap<>();
        /** The window that applies to a queue now, in words with its end; absent outside every window. */
        final Map<String, String> windowNow = new HashMap<>();
        /** Queues whose spec.windows cannot be read: what is wrong (they are closed until fixed). */
        final Map<String, String> invalidWindows = new HashMap<>();
        /** Gangs held back because a timing label or annotation cannot be read, with what is wrong. */
        final Map<Gang, String> invalidTiming = new LinkedHashMap<>();

        Snapshot(List<Gang> gangs, QueueTree tree, SchedulingState state) {
            this.gangs = gangs;
            this.tree = tree;
            this.state = state;
        }

        public QueueTree tree() {
            return tree;
        }

        public SchedulingState state() {
            return state;
        }

        public List<Workload> pending() {
            return pending;
        }

        /** Leaf queues closed now, with why. */
        public Map<String, String> closed() {
            return closed;
        }

        /** The window that applies to each queue now, in words. */
        public Map<String, String> windowNow() {
            return windowNow;
        }
    }

    /** Reads a snapshot; empty when the queues are invalid (nothing may be admitted then). */
    public Optional<Snapshot> snapshot(long now) {
        List<Gang> gangs = gangs();
        Instant at = Instant.ofEpochSecond(now);
        // The queues as their windows make them at this instant.
        List<QueueSpec> specs = new ArrayList<>();
        Map<String, List<QueueWindowRule>> rules = new HashMap<>();
        Map<String, String> invalidWindows = new HashMap<>();
        for (Queue q : queues.values().stream().sorted(Comparator.comparing(x -> x.getMetadata().getName())).toList()) {
            QueueSpec spec = queueSpec(q);
            if (spec == null) {
                continue;
            }
            specs.add(spec);
            try {
                rules.put(spec.name(), CrdConversions.windows(q));
            } catch (InvalidObjectException e) {
                invalidWindows.put(spec.name(), e.getMessage());
            }
        }
        Map<String, List<QueueWindow>> windows = new HashMap<>();
        rules.forEach((name, list) -> windows.put(name, list.stream().map(QueueWindowRule::window).toList()));
        QueueWindows.AtInstant windowed = QueueWindows.at(specs, windows, at);
        QueueTree tree;
        try {
            tree = QueueTree.of(windowed.specs());
        } catch (ConfigValidationException e) {
            LOG.log(Level.WARNING, "queues are invalid (as their open windows scale them), admitting nothing: {0}",
                    e.getMessage());
            return Optional.empty();
        }
        ClusterState cluster = cache.snapshot();
        Snapshot s = new Snapshot(gangs, tree, new SchedulingState(cluster, new QuotaLedger(tree, cluster.capacity())));
        windows(s, rules, invalidWindows, windowed.closed(), at);
        SchedulingState state = s.state;
        Instant instant = clock.instant();
        inFlight.values().removeIf(x -> x.at().plus(IN_FLIGHT_TTL).isBefore(instant));
        evicting.values().removeIf(t -> t.plus(IN_FLIGHT_TTL).isBefore(instant));
        java.util.Set<String> present = new java.util.HashSet<>();
        for (Gang g : gangs) {
            present.add(g.id());
            InFlight f = inFlight.get(g.id());
            if (f != null) {
                boolean seen = g.members().stream().allMatch(m -> f.admissionId().equals(m.admissionId()));
                if (seen) {
                    inFlight.remove(g.id());
                } else {
                    // Our own admission, not yet in the cache: count it as the plan says.
                    for (PlannedPod p : f.pods()) {
                        if (state.cluster().placement(p.podId()).isEmpty()) {
                            state.cluster().placeObserved(p.podId(), p.request(), p.nodeIndex(), p.gpuDevices());
                        }
                    }
                    chargeInFlight(state, tree, g, f, now);
                    continue;
                }
            }
            if (evicting.containsKey(g.id())) {
                // Being evicted: its capacity is as good as free.
                g.members().forEach(m -> state.cluster().remove(m.key()));
                continue;
            }
            if (g.anyAdmitted()) {
                if (committed(g)) {
                    s.toLift.add(g);
                    charge(state, tree, g, now);
                } else {
                    s.toRollBack.add(g);
                }
                continue;
            }
            if (!g.allGated() || failed(g)) {
                continue;
            }
            Optional<Workload> w = workload(g, s.memberOf);
            if (w.isPresent()) {
                List<TimingAnnotations.Problem> problems = new ArrayList<>();
                Timing timing = timing(g, problems);
                if (!problems.isEmpty()) {
                    // A start time that cannot be read is not guessed: the gang waits until it is fixed.
                    s.invalidTiming.put(g, "held until fixed: " + String.join("; ",
                            problems.stream().map(TimingAnnotations.Problem::toString).toList()));
                    continue;
                }
                s.pendingGangs.put(g.id(), g);
                s.pending.add(w.get().withTiming(timing));
            } else {
                s.waitingForMembers.add(g);
            }
        }
        evicting.keySet().retainAll(present);
        blocked.keySet().retainAll(present);
        inFlight.keySet().retainAll(present);
        return Optional.of(s);
    }

    /**
     * Fills the snapshot's window fields: a leaf queue is closed when it or an ancestor is closed
     * by its window, or has windows that cannot be read (nothing is admitted on a guess); it
     * evicts on closing when the closing window says {@code evictRunning}.
     */
    private static void windows(Snapshot s, Map<String, List<QueueWindowRule>> rules, Map<String, String> invalid,
            Map<String, String> closedNow, Instant at) {
        QueueTree tree = s.tree;
        Map<String, String> evictNow = new HashMap<>();
        for (Map.Entry<String, List<QueueWindowRule>> e : rules.entrySet()) {
            for (QueueWindowRule r : e.getValue()) {
                if (r.window().window().contains(at)) {
                    String until = r.window().window().closesAt(at).map(Instant::toString).orElse("?");
                    s.windowNow.put(e.getKey(), r.describe() + " until " + until);
                    if (r.evictRunning()) {
                        evictNow.put(e.getKey(), closedNow.get(e.getKey()));
                    }
                    break; // the first open window applies
                }
            }
        }
        s.invalidWindows.putAll(invalid);
        for (int q = 0; q < tree.size(); q++) {
            if (!tree.isLeaf(q)) {
                continue;
            }
            String leaf = tree.name(q);
            for (int a : tree.path(q)) {
                String name = tree.name(a);
                String why = invalid.containsKey(name)
                        ? "queue " + name + " admits nothing until its spec.windows is fixed: " + invalid.get(name)
                        : closedNow.get(name);
                if (why != null) {
                    s.closed.put(leaf, a == q ? why : why + " (queue " + leaf + " is under it)");
                    if (evictNow.containsKey(name)) {
                        s.evictOnClose.put(leaf, s.closed.get(leaf));
                    }
                    break;
                }
            }
        }
    }

    /** A gang's timing from its PodGroup's and members' labels and annotations; problems are added, never thrown. */
    private static Timing timing(Gang g, List<TimingAnnotations.Problem> problems) {
        TimingAnnotations.Values group = g.podGroup() == null ? TimingAnnotations.Values.NONE
                : TimingAnnotations.read(g.podGroup().getMetadata(), "PodGroup " + g.namespace() + "/" + g.name(), problems);
        List<TimingAnnotations.Values> members = new ArrayList<>();
        for (Gang.Member m : g.members()) {
            members.add(TimingAnnotations.read(m.pod().labels(), m.pod().annotations(), "pod " + m.key(), problems));
        }
        return problems.isEmpty() ? TimingAnnotations.merge(group, members) : Timing.NONE;
    }

    /** Runs core's cycle on a snapshot (which it changes: take a fresh one per call). */
    public CycleResult decide(Snapshot s, long now) {
        SchedulingCycle cycle = new SchedulingCycle(policy.cycle(), selector, stagger);
        return cycle.run(s.state, s.pending, now, new SplittableRandom(cycleCount++), s.closed);
    }

    /** One admission cycle: snapshot, recover, decide, act. Returns the decisions (for tests and tools). */
    public CycleResult reconcile() {
        // A cache still listing shows some pods and not others (or no queues): it would admit
        // into room that is taken, or say a queue does not exist.
        if (!cache.synced() || !synced()) {
            LOG.log(Level.FINE, "the caches have not synced yet; no admission cycle");
            return new CycleResult(List.of());
        }
        long start = System.nanoTime();
        long now = clock.instant().getEpochSecond();
        // 1. What the API server says: gangs of interest, queues, the cluster with reservations.
        Optional<Snapshot> snap = snapshot(now);
        if (snap.isEmpty()) {
            return new CycleResult(List.of());
        }
        Snapshot s = snap.get();
        // 2. Recover what a previous leader (or this one) left under way.
        for (Gang g : s.toLift) {
            liftGates(g);
        }
        for (Gang g : s.toRollBack) {
            rollBack(g);
        }
        for (Gang g : s.waitingForMembers) {
            int min = g.minMember() == null ? g.members().size() : g.minMember();
            report(g, PHASE_PENDING, "WaitingForMembers", g.members().size() + " of " + min
                    + " pods exist; the gang waits for the rest to be created", "Pending");
        }
        Map<String, Integer> waiting = new HashMap<>();
        for (Map.Entry<Gang, String> e : s.invalidTiming.entrySet()) {
            waiting.merge(e.getKey().queue() + "|InvalidTiming", 1, Integer::sum);
            report(e.getKey(), PHASE_PENDING, "InvalidTiming", e.getValue(), "Pending");
        }
        // 3.–5. Decide.
        // Preemptors keep their precedence across cycles (each cycle decides on a fresh state).
        s.state.carryPrecedence(precedence);
        CycleResult result = decide(s, now);
        precedence = s.state.precedenceLeft();
        // Act, in the order that makes a crash recoverable.
        for (Decision d : result.decisions()) {
            Gang g = s.pendingGangs.get(d.workload().id());
            if (g == null) {
                continue;
            }
            try {
                if (d instanceof Decision.Admit a) {
                    admit(g, a, s.memberOf.get(g.id()), now);
                } else if (d instanceof Decision.Preempt p) {
                    preempt(g, p, s.gangs);
                } else if (d instanceof Decision.Wait w) {
                    waiting.merge(g.queue() + "|" + w.why().name(), 1, Integer::sum);
                    report(g, PHASE_PENDING, w.why().name(), w.message(), "Pending");
                } else if (d instanceof Decision.Expire e) {
                    expire(g, e.message());
                }
            } catch (KubernetesClientException e) {
                LOG.log(Level.WARNING, "acting on " + g.id() + " failed; the next cycle recovers: " + e.getMessage());
            }
        }
        // 6. Queues whose Close window evicts: a few running workloads leave per interval.
        closingEvictions(s, Instant.ofEpochSecond(now));
        updateQueues(s, result);
        metrics.pending.clear();
        waiting.forEach((k, v) -> {
            String[] parts = k.split("\\|", 2);
            metrics.pending.labelValues(parts[0], parts[1]).set(v);
        });
        metrics.cycles.inc();
        metrics.cycleSeconds.observe((System.nanoTime() - start) / 1e9);
        return result;
    }

    private QueueSpec queueSpec(Queue q) {
        try {
            return CrdConversions.queue(q);
        } catch (InvalidObjectException e) {
            LOG.log(Level.WARNING, "ignoring queue: {0}", e.getMessage());
            return null;
        }
    }

    /** Gated pods and admitted pods, grouped into gangs. */
    List<Gang> gangs() {
        Map<String, List<Gang.Member>> byGang = new LinkedHashMap<>();
        Map<String, GangRef> refs = new HashMap<>();
        List<CachedPod> pods = new ArrayList<>(cache.allPods());
        pods.sort(Comparator.comparing(CachedPod::key));
        for (CachedPod p : pods) {
            boolean gated = p.gated();
            String admission = p.annotation(KubeAiNames.ADMISSION_ID);
            if ((!gated && admission == null) || p.terminal()) {
                continue;
            }
            String key = p.key();
            Optional<GangRef> ref = p.gangRef();
            String id = ref.map(GangRef::key).orElse(key);
            ref.ifPresent(r -> refs.put(id, r));
            byGang.computeIfAbsent(id, k -> new ArrayList<>()).add(new Gang.Member(p, key, p.request(), gated, p.bound(),
                    p.annotation(KubeAiNames.PLANNED_NODE), admission));
        }
        List<Gang> out = new ArrayList<>();
        byGang.forEach((id, members) -> {
            CachedPod first = members.get(0).pod();
            String ns = first.namespace();
            GangRef ref = refs.get(id);
            String name = ref == null ? first.name() : ref.name();
            PodGroup pg = ref == null ? null : podGroups.get(ns + "/" + name);
            GenericKubernetesResource sp = ref == null ? null : pluginPodGroups.get(ns + "/" + name);
            Integer minMember = null;
            Long timeout = null;
            String queue = null;
            if (pg != null && pg.getSpec() != null) {
                minMember = pg.getSpec().getMinMember();
                timeout = pg.getSpec().getScheduleTimeoutSeconds();
                queue = pg.getSpec().getQueue();
            } else if (sp != null && sp.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec) {
                if (spec.get("minMember") instanceof Number n) {
                    minMember = n.intValue();
                }
                if (spec.get("scheduleTimeoutSeconds") instanceof Number n) {
                    timeout = n.longValue();
                }
            }
            if (queue == null) {
                queue = first.label(KubeAiNames.QUEUE);
            }
            out.add(new Gang(id, ns, name, members, pg, minMember, timeout, queue == null ? "default" : queue));
        });
        return out;
    }

    /** Every member carries the admission id, or some member is already past its gate. */
    private static boolean committed(Gang g) {
        String id = g.members().stream().map(Gang.Member::admissionId).filter(Objects::nonNull).findFirst().orElseThrow();
        int expected = members(id);
        long annotated = g.members().stream().filter(m -> id.equals(m.admissionId())).count();
        boolean past = g.members().stream().anyMatch(m -> id.equals(m.admissionId()) && (!m.gated() || m.bound()));
        return annotated >= expected || past;
    }

    private static int members(String admissionId) {
        int slash = admissionId.lastIndexOf('/');
        try {
            return slash < 0 ? Integer.MAX_VALUE : Integer.parseInt(admissionId.substring(slash + 1));
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    private void liftGates(Gang g) {
        for (Gang.Member m : g.members()) {
            if (m.gated() && m.admissionId() != null) {
                client.pods().inNamespace(g.namespace()).withName(m.name()).edit(p -> {
                    if (p.getSpec().getSchedulingGates() != null) {
                        p.getSpec().getSchedulingGates().removeIf(x -> KubeAiNames.SCHEDULING_GATE.equals(x.getName()));
                    }
                    return p;
                });
            }
        }
    }

    private void rollBack(Gang g) {
        LOG.log(Level.INFO, "rolling back the unfinished admission of {0}", g.id());
        for (Gang.Member m : g.members()) {
            if (m.admissionId() != null) {
                client.pods().inNamespace(g.namespace()).withName(m.name()).edit(p -> {
                    Map<String, String> a = p.getMetadata().getAnnotations();
                    if (a != null) {
                        a.remove(KubeAiNames.ADMISSION_ID);
                        a.remove(KubeAiNames.PLANNED_NODE);
                        a.remove(KubeAiNames.GPU_DEVICES);
                    }
                    return p;
                });
            }
        }
    }

    private void chargeInFlight(SchedulingState state, QueueTree tree, Gang g, InFlight f, long now) {
        Optional<Integer> leaf = tree.indexOf(g.queue()).filter(tree::isLeaf);
        if (leaf.isPresent() && state.admission(g.id()).isEmpty()) {
            Workload w = new Workload(g.id(), g.queue(), g.priority(), created(g), List.of(new PodSet("running",
                    f.pods().size(), f.pods().get(0).request())), f.pods().size(), 0);
            state.commit(w, leaf.get(), f.pods(), now);
        }
    }

    /** Records a running (or admitted) gang in the state: its pods are already in the cluster. */
    private void charge(SchedulingState state, QueueTree tree, Gang g, long now) {
        Optional<Integer> leaf = tree.indexOf(g.queue()).filter(tree::isLeaf);
        if (leaf.isEmpty()) {
            return;
        }
        List<PlannedPod> pods = new ArrayList<>();
        for (Gang.Member m : g.members()) {
            state.cluster().placement(m.key()).ifPresent(pl -> pods.add(new PlannedPod(m.key(), m.request(),
                    pl.nodeIndex(), state.cluster().node(pl.nodeIndex()).name(), pl.gpuDevices())));
        }
        if (pods.isEmpty() || state.admission(g.id()).isPresent()) {
            return;
        }
        Workload w = new Workload(g.id(), g.queue(), g.priority(), created(g), List.of(new PodSet("running", pods.size(),
                pods.get(0).request())), pods.size(), 0);
        state.commit(w, leaf.get(), pods, admittedAt(g, now));
    }

    /** When the gang was admitted, as its PodGroup's status says; {@code now} when nothing says. */
    private static long admittedAt(Gang g, long now) {
        String at = g.podGroup() == null || g.podGroup().getStatus() == null ? null : g.podGroup().getStatus().getAdmittedAt();
        if (at == null) {
            return now;
        }
        try {
            return Math.min(now, Instant.parse(at).getEpochSecond());
        } catch (RuntimeException e) {
            return now;
        }
    }

    private boolean failed(Gang g) {
        if (g.podGroup() != null && g.podGroup().getStatus() != null
                && PHASE_FAILED.equals(g.podGroup().getStatus().getPhase())) {
            return true;
        }
        return g.members().stream().anyMatch(m -> m.pod().annotation(FAILED) != null);
    }

    /** The pending workload of a gang, or empty while its members are still being created. */
    private Optional<Workload> workload(Gang g, Map<String, Map<String, Gang.Member>> memberOf) {
        int min = g.minMember() == null ? g.members().size() : g.minMember();
        if (g.members().size() < min) {
            return Optional.empty();
        }
        // One pod set per distinct request, members in name order.
        Map<PodRequest, List<Gang.Member>> sets = new LinkedHashMap<>();
        for (Gang.Member m : g.members()) {
            sets.computeIfAbsent(m.request(), k -> new ArrayList<>()).add(m);
        }
        List<PodSet> podSets = new ArrayList<>();
        Map<String, Gang.Member> byPodId = new HashMap<>();
        int k = 0;
        for (Map.Entry<PodRequest, List<Gang.Member>> e : sets.entrySet()) {
            String set = "s" + k++;
            podSets.add(new PodSet(set, e.getValue().size(), e.getKey()));
            for (int i = 0; i < e.getValue().size(); i++) {
                byPodId.put(g.id() + "/" + set + "-" + i, e.getValue().get(i));
            }
        }
        memberOf.put(g.id(), byPodId);
        return Optional.of(new Workload(g.id(), g.queue(), g.priority(), created(g), podSets,
                Math.min(min, g.members().size()), g.timeoutSeconds() == null ? 0 : g.timeoutSeconds()));
    }

    private static long created(Gang g) {
        String ts = g.podGroup() != null && g.podGroup().getMetadata().getCreationTimestamp() != null
                ? g.podGroup().getMetadata().getCreationTimestamp()
                : g.members().stream().map(m -> m.pod().creationTimestamp()).filter(Objects::nonNull)
                        .min(String::compareTo).orElse(null);
        if (ts == null) {
            return 0;
        }
        try {
            return Instant.parse(ts).getEpochSecond();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private void admit(Gang g, Decision.Admit a, Map<String, Gang.Member> byPodId, long now) {
        String admission = UUID.randomUUID() + "/" + a.pods().size();
        List<PodGroupStatus.PlannedMember> plan = new ArrayList<>();
        List<Gang.Member> admitted = new ArrayList<>();
        List<PlannedPod> byKey = new ArrayList<>();
        for (PlannedPod p : a.pods()) {
            Gang.Member m = byPodId.get(p.podId());
            byKey.add(new PlannedPod(m.key(), p.request(), p.nodeIndex(), p.nodeName(), p.gpuDevices()));
        }
        inFlight.put(g.id(), new InFlight(admission, byKey, clock.instant()));
        // 1. The plan on every member, before anything else.
        for (PlannedPod p : a.pods()) {
            Gang.Member m = byPodId.get(p.podId());
            String devices = KubeConversions.gpuDevicesAnnotation(p.gpuDevices());
            client.pods().inNamespace(g.namespace()).withName(m.name()).edit(pod -> {
                Map<String, String> ann = pod.getMetadata().getAnnotations();
                if (ann == null) {
                    ann = new HashMap<>();
                    pod.getMetadata().setAnnotations(ann);
                }
                ann.put(KubeAiNames.PLANNED_NODE, p.nodeName());
                if (!devices.isEmpty()) {
                    ann.put(KubeAiNames.GPU_DEVICES, devices);
                }
                ann.put(KubeAiNames.ADMISSION_ID, admission);
                return pod;
            });
            plan.add(new PodGroupStatus.PlannedMember(m.name(), p.nodeName(), devices.isEmpty() ? null : devices));
            admitted.add(m);
        }
        // 2. The PodGroup's status.
        if (g.podGroup() != null) {
            client.resources(PodGroup.class).inNamespace(g.namespace()).withName(g.name()).editStatus(pg -> {
                PodGroupStatus s = pg.getStatus() == null ? new PodGroupStatus() : pg.getStatus();
                s.setPhase(PHASE_ADMITTED);
                s.setMessage("admitted: " + plan.size() + " pods planned");
                s.setPlan(plan);
                s.setAdmittedAt(clock.instant().toString());
                s.setConditions(List.of(new ConditionBuilder().withType("Admitted").withStatus("True").withReason("Admitted")
                        .withMessage(s.getMessage()).withLastTransitionTime(clock.instant().toString()).build()));
                pg.setStatus(s);
                return pg;
            });
        }
        // 3. Then, and only then, the gates.
        for (Gang.Member m : admitted) {
            client.pods().inNamespace(g.namespace()).withName(m.name()).edit(pod -> {
                pod.getSpec().getSchedulingGates().removeIf(x -> KubeAiNames.SCHEDULING_GATE.equals(x.getName()));
                return pod;
            });
        }
        event(g, "Admitted", "admitted with " + plan.size() + " pods planned by " + identity, "Normal");
        lastMessage.remove(g.id());
        metrics.admitted.labelValues(g.queue()).inc();
        metrics.waitSeconds.labelValues(g.queue()).observe(Math.max(0, now - created(g)));
    }

    private void preempt(Gang g, Decision.Preempt p, List<Gang> gangs) {
        Map<String, Gang> byId = new HashMap<>();
        gangs.forEach(x -> byId.put(x.id(), x));
        for (Decision.Victim v : p.victims()) {
            Gang victim = byId.get(v.workloadId());
            if (victim == null) {
                continue;
            }
            if (evicting.containsKey(victim.id())) {
                continue;
            }
            String why = "preempted to admit " + g.id() + ": " + v.why();
            List<String> refused = new ArrayList<>();
            for (Gang.Member m : victim.members()) {
                if (!evict(victim.namespace(), m.name())) {
                    refused.add(m.key());
                }
            }
            if (refused.isEmpty()) {
                evicting.put(victim.id(), clock.instant());
                blocked.remove(victim.id());
                event(victim, "Preempted", why, "Warning");
                metrics.preempted.labelValues(victim.queue()).inc();
                continue;
            }
            // Refused: not marked as being evicted, so the victim keeps its capacity in the next
            // cycle's snapshot, which chooses it (or another) again and retries.
            metrics.evictionsBlocked.labelValues(victim.queue()).inc();
            String message = why + "; evicting " + String.join(", ", refused)
                    + " was refused (a PodDisruptionBudget forbids it now); it is retried next cycle";
            if (!message.equals(blocked.put(victim.id(), message))) {
                event(victim, "EvictionBlocked", message, "Warning");
            }
        }
        report(g, PHASE_PENDING, "Preempting", p.reason(), "Pending");
    }

    /**
     * Evicts running workloads of queues whose {@code Close} window with {@code evictRunning} is
     * open: those {@link ClosingEvictions} chooses (lowest priority, most recently admitted first),
     * at most {@code maxEvictionsPerInterval} in any interval. A workload whose eviction is refused
     * (a PodDisruptionBudget forbids it now: 429) is tried again after an interval, not before.
     */
    private void closingEvictions(Snapshot s, Instant now) {
        StaggerPolicy.ClosingEvictions cfg = policy.stagger().closing();
        closingBudget.advance(now);
        if (s.evictOnClose.isEmpty()) {
            return;
        }
        Map<String, Gang> byId = new HashMap<>();
        s.gangs.forEach(g -> byId.put(g.id(), g));
        List<Admission> running = s.state.running().stream().filter(a -> byId.containsKey(a.workload().id())
                && !evicting.containsKey(a.workload().id()) && closingBudget.mayTry(a.workload().id())).toList();
        List<Admission> chosen = ClosingEvictions.choose(running, s.evictOnClose, s.tree::name,
                closingBudget.max(), closingBudget.used());
        for (Admission a : chosen) {
            Gang g = byId.get(a.workload().id());
            String queue = s.tree.name(a.queueIndex());
            String why = s.evictOnClose.get(queue) + "; at most " + cfg.maxEvictionsPerInterval() + " workloads leave per "
                    + cfg.intervalSeconds() + " s, lowest priority and most recently admitted first";
            int refused = 0;
            for (Gang.Member m : g.members()) {
                try {
                    if (!evict(g.namespace(), m.name())) {
                        refused++;
                    }
                } catch (KubernetesClientException e) {
                    refused++;
                    LOG.log(Level.WARNING, "evicting {0} failed; the next interval retries: {1}",
                            new Object[] {m.key(), e.getMessage()});
                }
            }
            if (refused < g.members().size()) {
                closingBudget.evicted(now);
            }
            if (refused == 0) {
                evicting.put(g.id(), now);
                metrics.closingEvicted.labelValues(queue).inc();
                event(g, "WindowClosed", "evicted: " + why, "Warning");
            } else {
                closingBudget.refused(g.id(), now);
                metrics.closingBlocked.labelValues(queue).inc();
                event(g, "EvictionBlocked", "evicting " + refused + " of " + g.members().size() + " pods was refused (a "
                        + "PodDisruptionBudget forbids it now, or the API server failed); retried in "
                        + cfg.intervalSeconds() + " s: " + why, "Warning");
            }
        }
    }

    /**
     * Asks the Eviction API to evict a pod, once: true when it is evicted or already gone, false
     * when refused (HTTP 429, a PodDisruptionBudget). Any other error is thrown; the next cycle
     * retries.
     */
    private boolean evict(String namespace, String name) {
        try {
            return evictions.pods().inNamespace(namespace).withName(name).evict();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return true;
            }
            throw e;
        }
    }

    private void expire(Gang g, String message) {
        report(g, PHASE_FAILED, "Timeout", "gave up: " + message + "; it held nothing", "Failed");
        if (g.podGroup() == null) {
            for (Gang.Member m : g.members()) {
                client.pods().inNamespace(g.namespace()).withName(m.name()).edit(pod -> {
                    pod.getMetadata().getAnnotations().put(FAILED, message);
                    return pod;
                });
            }
        }
        metrics.expired.labelValues(g.queue()).inc();
    }

    /** Status and an Event, only when the message changed. */
    private void report(Gang g, String phase, String reason, String message, String conditionStatusPhase) {
        if (message.equals(lastMessage.get(g.id())) && (g.podGroup() == null || g.podGroup().getStatus() != null
                && message.equals(g.podGroup().getStatus().getMessage()))) {
            return;
        }
        lastMessage.put(g.id(), message);
        if (g.podGroup() != null) {
            client.resources(PodGroup.class).inNamespace(g.namespace()).withName(g.name()).editStatus(pg -> {
                PodGroupStatus s = pg.getStatus() == null ? new PodGroupStatus() : pg.getStatus();
                s.setPhase(phase);
                s.setMessage(message);
                s.setConditions(List.of(new ConditionBuilder().withType("Admitted").withStatus("False").withReason(reason)
                        .withMessage(message).withLastTransitionTime(clock.instant().toString()).build()));
                pg.setStatus(s);
                return pg;
            });
        }
        event(g, reason, message, PHASE_FAILED.equals(phase) || "InvalidTiming".equals(reason) ? "Warning" : "Normal");
    }

    private void event(Gang g, String reason, String message, String type) {
        // The PodGroup when there is one, else the gang's first pod.
        PodGroup pg = g.podGroup();
        CachedPod first = g.members().get(0).pod();
        String name = pg != null ? pg.getMetadata().getName() : first.name();
        ObjectReference subject = pg != null
                ? new ObjectReferenceBuilder().withApiVersion(pg.getApiVersion()).withKind(pg.getKind()).withName(name)
                        .withNamespace(g.namespace()).withUid(pg.getMetadata().getUid()).build()
                : new ObjectReferenceBuilder().withApiVersion("v1").withKind("Pod").withName(name)
                        .withNamespace(g.namespace()).withUid(first.uid()).build();
        String now = clock.instant().toString();
        try {
            client.v1().events().inNamespace(g.namespace()).resource(new EventBuilder().withNewMetadata()
                    .withGenerateName(name + ".").withNamespace(g.namespace()).endMetadata()
                    .withInvolvedObject(subject)
                    .withReason(reason).withMessage(message).withType(type).withFirstTimestamp(now).withLastTimestamp(now)
                    .withCount(1).withNewSource().withComponent("kubeai-controller").endSource().build()).create();
        } catch (KubernetesClientException e) {
            LOG.log(Level.FINE, "event not recorded: {0}", e.getMessage());
        }
    }

    private void updateQueues(Snapshot snap, CycleResult result) {
        QueueTree tree = snap.tree;
        SchedulingState state = snap.state;
        Collection<Gang> pendingGangs = snap.pendingGangs.values();
        Map<String, ResourceList> pendingBy = new HashMap<>();
        Map<String, Integer> pendingCount = new HashMap<>();
        java.util.Set<String> admittedNow = new java.util.HashSet<>();
        result.admitted().forEach(a -> admittedNow.add(a.workload().id()));
        for (Gang g : pendingGangs) {
            if (admittedNow.contains(g.id())) {
                continue;
            }
            ResourceList r = ResourceList.EMPTY;
            for (Gang.Member m : g.members()) {
                r = r.plus(ResourceList.of(m.request()));
            }
            pendingBy.merge(g.queue(), r, ResourceList::plus);
            pendingCount.merge(g.queue(), 1, Integer::sum);
        }
        Map<Integer, Integer> admittedCount = new HashMap<>();
        for (Admission a : state.running()) {
            for (int q : tree.path(a.queueIndex())) {
                admittedCount.merge(q, 1, Integer::sum);
            }
        }
        QuotaLedger ledger = state.quota();
        for (int q = 0; q < tree.size(); q++) {
            String name = tree.name(q);
            ResourceList used = ledger.usage(q);
            for (String r : ledger.resources()) {
                long v = used.get(r);
                metrics.quotaUsage.labelValues(name, r).set(r.equals(ResourceList.CPU) || r.equals(ResourceList.GPU)
                        ? v / 1000.0 : v);
            }
            QueueResourceStatus s = new QueueResourceStatus();
            s.setUsed(CrdConversions.quantities(used));
            s.setBorrowed(CrdConversions.quantities(ledger.borrowed(q)));
            s.setLendable(CrdConversions.quantities(ledger.lendable(q)));
            s.setPending(CrdConversions.quantities(pendingBy.getOrDefault(name, ResourceList.EMPTY)));
            s.setPendingWorkloads(pendingCount.getOrDefault(name, 0));
            s.setAdmittedWorkloads(admittedCount.getOrDefault(q, 0));
            s.setGpus(ResourceList.format(ResourceList.GPU, used.get(ResourceList.GPU)) + "/"
                    + ResourceList.format(ResourceList.GPU, tree.effectiveMin(q).get(ResourceList.GPU)));
            s.setGpusBorrowed(ResourceList.format(ResourceList.GPU, ledger.borrowed(q).get(ResourceList.GPU)));
            boolean closed = tree.leavesUnder(q).stream().allMatch(l -> snap.closed.containsKey(tree.name(l)));
            s.setOpen(!closed);
            s.setWindow(snap.windowNow.get(name));
            s.setEffectiveMin(CrdConversions.quantities(tree.spec(q).min()));
            s.setEffectiveMax(limits(tree.spec(q).max()));
            String invalid = snap.invalidWindows.get(name);
            s.setMessage(invalid == null ? null : "spec.windows cannot be used, so the queue admits nothing: " + invalid);
            Queue current = queues.get(name);
            if (current != null && !sameStatus(current.getStatus(), s)) {
                try {
                    client.resources(Queue.class).withName(name).editStatus(x -> {
                        x.setStatus(s);
                        return x;
                    });
                } catch (KubernetesClientException e) {
                    LOG.log(Level.FINE, "queue status of {0} not written: {1}", new Object[] {name, e.getMessage()});
                }
            }
        }
    }

    private static Map<String, io.fabric8.kubernetes.api.model.Quantity> limits(io.kubeai.core.resource.ResourceLimits l) {
        Map<String, Long> m = new HashMap<>();
        for (String n : l.names()) {
            m.put(n, l.limit(n));
        }
        return CrdConversions.quantities(ResourceList.of(m));
    }

    private static boolean sameStatus(QueueResourceStatus a, QueueResourceStatus b) {
        return a != null && Objects.equals(a.getUsed(), b.getUsed()) && Objects.equals(a.getBorrowed(), b.getBorrowed())
                && Objects.equals(a.getOpen(), b.getOpen()) && Objects.equals(a.getWindow(), b.getWindow())
                && Objects.equals(a.getEffectiveMin(), b.getEffectiveMin())
                && Objects.equals(a.getEffectiveMax(), b.getEffectiveMax()) && Objects.equals(a.getMessage(), b.getMessage())
                && Objects.equals(a.getPending(), b.getPending())
                && Objects.equals(a.getPendingWorkloads(), b.getPendingWorkloads())
                && Objects.equals(a.getAdmittedWorkloads(), b.getAdmittedWorkloads());
    }

    public void close() {
        informers.forEach(SharedIndexInformer::close);
        if (ownsEvictions) {
            evictions.close();
        }
    }
}
