package io.kubeai.kube;

import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kubeai.core.cluster.ClusterState;
import io.kubeai.core.cluster.Node;
import io.kubeai.core.resource.PodRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The cluster as the informers see it, kept as core's {@link ClusterState}: every node, every
 * pod bound to a node and not finished, every pod the admission controller planned
 * ({@code kubeai.io/planned-node}) and not yet bound, which reserves its planned node, and the
 * pods the extender has <em>assumed</em> (bound, not yet seen bound) until the informer confirms
 * them, the binding fails, or the assumption expires.
 *
 * <p>Pod events update the state in O(1); a change of the node set or of a node's capacity
 * rebuilds it in O(pods). Reads take a read lock and may run concurrently; updates take the
 * write lock. The handlers can also be fed directly (tests, replays) without a client.
 *
 * <p>Memory: of each pod it keeps a {@link CachedPod} (what bind, preempt, CPU pinning, elastic
 * capacity and the admission controller read), of each node its metadata, capacity and
 * allocatable ({@link #slim}); the informers' own stores keep keys and resource versions only
 * ({@link KeyOnlyItemStore}). So no full Pod or Node object outlives its event.
 */
public final class ClusterCache implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ClusterCache.class.getName());

    private final InstantSource clock;
    private final Duration assumeTtl;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final LinkedHashMap<String, Node> nodes = new LinkedHashMap<>();
    /** Bound, unfinished pods by key, with what they request and where. */
    private final Map<String, Bound> bound = new HashMap<>();
    private final Map<String, Assumed> assumed = new HashMap<>();
    private final Map<String, CachedPod> pods = new HashMap<>();
    /** Keys of the pods and nodes the handlers saw but could not read (so they count as applied). */
    private final Set<String> ignoredPods = new HashSet<>();
    private final Set<String> ignoredNodes = new HashSet<>();
    /** The node objects as last seen ({@link #slim}), for adapters that need their status (elastic capacity). */
    private final Map<String, io.fabric8.kubernetes.api.model.Node> nodeObjects = new HashMap<>();
    private ClusterState state = new ClusterState(List.of());
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    private volatile boolean synced;
    /** Pinned pods' CPUs, fed by the same events (CPU pinning hook). */
    private final CpuPinningCache cpuPinning = new CpuPinningCache();

    /** A pod holding a node: bound to it, or ({@code reserved}) planned for it and not yet bound. */
    private record Bound(String node, PodRequest request, int devices, boolean reserved) {
    }

    private record Assumed(String node, PodRequest request, int devices, Instant expires) {
    }

    public ClusterCache(InstantSource clock, Duration assumeTtl) {
        this.clock = clock;
        this.assumeTtl = assumeTtl;
    }

    /**
     * Starts informers on nodes and pods, whose stores keep keys only; {@link #synced()} turns
     * true once both have listed.
     */
    public ClusterCache start(KubernetesClient client) {
        SharedIndexInformer<io.fabric8.kubernetes.api.model.Node> ni = client.nodes().runnableInformer(0)
                .itemStore(new KeyOnlyItemStore<>(io.fabric8.kubernetes.api.model.Node::new))
                .addEventHandler(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(io.fabric8.kubernetes.api.model.Node n) {
                        upsertNode(n);
                    }

                    @Override
                    public void onUpdate(io.fabric8.kubernetes.api.model.Node o, io.fabric8.kubernetes.api.model.Node n) {
                        upsertNode(n);
                    }

                    @Override
                    public void onDelete(io.fabric8.kubernetes.api.model.Node n, boolean unknown) {
                        deleteNode(n.getMetadata().getName());
                    }
                });
        SharedIndexInformer<Pod> pi = client.pods().inAnyNamespace().runnableInformer(0)
                .removeNamespaceIndex()
                .itemStore(new KeyOnlyItemStore<>(Pod::new))
                .addEventHandler(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Pod p) {
                        upsertPod(p);
                    }

                    @Override
                    public void onUpdate(Pod o, Pod p) {
                        upsertPod(p);
                    }

                    @Override
                    public void onDelete(Pod p, boolean unknown) {
                        deletePod(KubeConversions.key(p));
                    }
                });
        informers.add(ni);
        informers.add(pi);
        // As inform() does: list, then watch; an informer that cannot list throws here.
        ni.run();
        pi.run();
        cpuPinning.start(client);
        Thread waiter = new Thread(() -> {
            // An informer says it has synced once its store holds the list, before its handler has
            // applied it here: wait for both, or the first decisions would see part of the cluster.
            while (!(ni.hasSynced() && pi.hasSynced() && cpuPinning.synced() && applied(ni, pi))) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
            synced = true;
        }, "cluster-cache-sync");
        waiter.setDaemon(true);
        waiter.start();
        return this;
    }

    /** Whether every node and pod in the informers' stores has been through the handlers. O(nodes + pods). */
    private boolean applied(SharedIndexInformer<?> ni, SharedIndexInformer<?> pi) {
        List<String> nodeKeys = ni.getStore().listKeys();
        List<String> podKeys = pi.getStore().listKeys();
        lock.readLock().lock();
        try {
            for (String k : nodeKeys) {
                if (!nodeObjects.containsKey(k) && !ignoredNodes.contains(k)) {
                    return false;
                }
            }
            for (String k : podKeys) {
                if (!pods.containsKey(k) && !ignoredPods.contains(k)) {
                    return false;
                }
            }
            return true;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The informers' stores (tests: they must hold keys, not objects). */
    List<SharedIndexInformer<?>> informers() {
        return List.copyOf(informers);
    }

    private void ignore(Set<String> into, String key) {
        if (key == null) {
            return;
        }
        lock.writeLock().lock();
        try {
            into.add(key);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Marks the cache synced when it is fed directly rather than by informers. */
    public void markSynced() {
        synced = true;
    }

    public boolean synced() {
        return synced;
    }

    /** Which CPUs pinned pods hold, by node (docs/cpu-pinning.md). */
    public CpuPinningCache cpuPinning() {
        return cpuPinning;
    }

    /** Adds or updates a node; rebuilds the state only when its capacity or model changed. */
    public void upsertNode(io.fabric8.kubernetes.api.model.Node n) {
        Node converted;
        try {
            converted = KubeConversions.node(n);
        } catch (InvalidObjectException e) {
            LOG.log(Level.WARNING, "ignoring node: {0}", e.getMessage());
            ignore(ignoredNodes, n.getMetadata() == null ? null : n.getMetadata().getName());
            return;
        }
        io.fabric8.kubernetes.api.model.Node kept = slim(n);
        cpuPinning.upsertNode(kept);
        lock.writeLock().lock();
        try {
            ignoredNodes.remove(converted.name());
            nodeObjects.put(converted.name(), kept);
            Node old = nodes.put(converted.name(), converted);
            if (!converted.equals(old)) {
                rebuild();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    public void deleteNode(String name) {
        cpuPinning.deleteNode(name);
        lock.writeLock().lock();
        try {
            ignoredNodes.remove(name);
            nodeObjects.remove(name);
            if (nodes.remove(name) != null) {
                rebuild();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Adds or updates a pod: bound and unfinished pods hold their node; a seen binding confirms an assumption. */
    public void upsertPod(Pod p) {
        CachedPod pod;
        try {
            pod = CachedPod.of(p);
        } catch (InvalidObjectException e) {
            LOG.log(Level.WARNING, "ignoring pod: {0}", e.getMessage());
            ignore(ignoredPods, KubeConversions.key(p));
            return;
        }
        cpuPinning.upsertPod(p);
        String key = pod.key();
        String node = pod.nodeName();
        boolean reserved = false;
        if (node == null && !pod.terminal()) {
            // Admitted but not yet bound: its plan reserves the planned node.
            String planned = pod.annotation(KubeAiNames.PLANNED_NODE);
            if (planned != null && !planned.isBlank()) {
                node = planned;
                reserved = true;
            }
        }
        lock.writeLock().lock();
        try {
            ignoredPods.remove(key);
            pods.put(key, pod);
            boolean holds = node != null && !pod.terminal();
            Bound now = holds ? new Bound(node, pod.request(), pod.gpuDevices(), reserved) : null;
            Bound before = bound.get(key);
            if (holds && before != null && before.equals(now)) {
                return;
            }
            unplace(key);
            if (holds) {
                // The informer saw the binding: the assumption, if any, is now a fact.
                assumed.remove(key);
                bound.put(key, now);
                place(key, now.node, now.request, now.devices);
            } else {
                bound.remove(key);
                Assumed a = assumed.get(key);
                if (a != null) {
                    place(key, a.node, a.request, a.devices);
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    public void deletePod(String key) {
        cpuPinning.deletePod(key);
        lock.writeLock().lock();
        try {
            ignoredPods.remove(key);
            pods.remove(key);
            bound.remove(key);
            assumed.remove(key);
            unplace(key);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Records that the extender bound {@code key} to {@code node} on {@code devices}, so that the
     * next decisions see it before the informer does. Expires after the assume TTL.
     */
    public void assume(String key, String node, PodRequest request, int devices) {
        lock.writeLock().lock();
        try {
            Bound b = bound.get(key);
            if (b != null && !b.reserved()) {
                return;
            }
            // A binding supersedes the reservation it came from.
            bound.remove(key);
            unplace(key);
            assumed.put(key, new Assumed(node, request, devices, clock.instant().plus(assumeTtl)));
            place(key, node, request, devices);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Forgets an assumption (the binding failed). */
    public void forget(String key) {
        cpuPinning.forget(key);
        lock.writeLock().lock();
        try {
            if (assumed.remove(key) != null && !bound.containsKey(key)) {
                unplace(key);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Drops assumptions past their TTL; returns how many. */
    public int expireAssumptions() {
        Instant now = clock.instant();
        lock.writeLock().lock();
        try {
            List<String> expired = new ArrayList<>();
            assumed.forEach((k, a) -> {
                if (!a.expires.isAfter(now)) {
                    expired.add(k);
                }
            });
            for (String k : expired) {
                cpuPinning.forget(k);
                assumed.remove(k);
                if (!bound.containsKey(k)) {
                    unplace(k);
                }
            }
            return expired.size();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Runs {@code f} on the state under the read lock. {@code f} must not keep the state. */
    public <T> T read(Function<ClusterState, T> f) {
        lock.readLock().lock();
        try {
            return f.apply(state);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** A copy of the state to decide on without holding the lock. O(nodes + pods). */
    public ClusterState snapshot() {
        return read(ClusterState::copy);
    }

    /** What the cache keeps of pod {@code namespace/name}. */
    public Optional<CachedPod> pod(String key) {
        lock.readLock().lock();
        try {
            return Optional.ofNullable(pods.get(key));
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Every pod the cache knows, bound or not. */
    public List<CachedPod> allPods() {
        lock.readLock().lock();
        try {
            return new ArrayList<>(pods.values());
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Every node object the cache knows, as the informer last saw it ({@link #slim}: metadata, capacity, allocatable). */
    public List<io.fabric8.kubernetes.api.model.Node> allNodes() {
        lock.readLock().lock();
        try {
            return new ArrayList<>(nodeObjects.values());
        } finally {
            lock.readLock().unlock();
        }
    }

    public Optional<Node> node(String name) {
        lock.readLock().lock();
        try {
            return Optional.ofNullable(nodes.get(name));
        } finally {
            lock.readLock().unlock();
        }
    }

    public int nodeCount() {
        return read(ClusterState::nodeCount);
    }

    public int podCount() {
        return read(ClusterState::podCount);
    }

    public int assumedCount() {
        lock.readLock().lock();
        try {
            return assumed.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * What the cache keeps of a node object: its metadata (name, uid, resource version, labels,
     * annotations) and its capacity and allocatable; not its conditions, addresses, images,
     * node info or spec, which nothing here reads and which make a node object large.
     */
    static io.fabric8.kubernetes.api.model.Node slim(io.fabric8.kubernetes.api.model.Node n) {
        ObjectMeta m = n.getMetadata() == null ? new ObjectMeta() : n.getMetadata();
        ObjectMeta meta = new ObjectMeta();
        meta.setName(m.getName());
        meta.setUid(m.getUid());
        meta.setResourceVersion(m.getResourceVersion());
        meta.setCreationTimestamp(m.getCreationTimestamp());
        meta.setLabels(m.getLabels());
        meta.setAnnotations(m.getAnnotations());
        NodeStatus status = new NodeStatus();
        if (n.getStatus() != null) {
            status.setCapacity(n.getStatus().getCapacity());
            status.setAllocatable(n.getStatus().getAllocatable());
        }
        io.fabric8.kubernetes.api.model.Node out = new io.fabric8.kubernetes.api.model.Node();
        out.setApiVersion(n.getApiVersion());
        out.setKind(n.getKind());
        out.setMetadata(meta);
        out.setStatus(status);
        return out;
    }

    private void place(String key, String node, PodRequest request, int devices) {
        state.node(node).ifPresent(n -> state.placeObserved(key, request, n.index(), devices));
    }

    private void unplace(String key) {
        state.remove(key);
    }

    private void rebuild() {
        ClusterState fresh = new ClusterState(new ArrayList<>(nodes.values()));
        ClusterState old = state;
        state = fresh;
        bound.forEach((k, b) -> place(k, b.node, b.request, b.devices));
        assumed.forEach((k, a) -> {
            if (!bound.containsKey(k)) {
                place(k, a.node, a.request, a.devices);
            }
        });
        LOG.log(Level.FINE, "rebuilt cluster state: {0} nodes, {1} pods (was {2})",
                new Object[] {fresh.nodeCount(), fresh.podCount(), old.podCount()});
    }

    @Override
    public void close() {
        informers.forEach(SharedIndexInformer::close);
        cpuPinning.close();
    }

    /** Pods per node name, for tests and reports. */
    public Map<String, Integer> podsPerNode() {
        return read(s -> {
            Map<String, Integer> m = new HashMap<>();
            s.placements().forEach(p -> m.merge(s.node(p.nodeIndex()).name(), 1, Integer::sum));
            return m;
        });
    }
}
