package io.kubeai.kube;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    private final Map<String, Pod> pods = new HashMap<>();
    /** The node objects as last seen, for adapters that need their whole status (elastic capacity). */
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

    /** Starts informers on nodes and pods; {@link #synced()} turns true once both have listed. */
    public ClusterCache start(KubernetesClient client) {
        java.util.concurrent.atomic.AtomicLong nodeAdds = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong podAdds = new java.util.concurrent.atomic.AtomicLong();
        SharedIndexInformer<io.fabric8.kubernetes.api.model.Node> ni = client.nodes().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(io.fabric8.kubernetes.api.model.Node n) {
                try {
                    upsertNode(n);
                } finally {
                    nodeAdds.incrementAndGet();
                }
            }

            @Override
            public void onUpdate(io.fabric8.kubernetes.api.model.Node o, io.fabric8.kubernetes.api.model.Node n) {
                upsertNode(n);
            }

            @Override
            public void onDelete(io.fabric8.kubernetes.api.model.Node n, boolean unknown) {
                deleteNode(n.getMetadata().getName());
            }
        }, 0);
        SharedIndexInformer<Pod> pi = client.pods().inAnyNamespace().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod p) {
                try {
                    upsertPod(p);
                } finally {
                    podAdds.incrementAndGet();
                }
            }

            @Override
            public void onUpdate(Pod o, Pod p) {
                upsertPod(p);
            }

            @Override
            public void onDelete(Pod p, boolean unknown) {
                deletePod(KubeConversions.key(p));
            }
        }, 0);
        informers.add(ni);
        informers.add(pi);
        cpuPinning.start(client);
        ni.hasSynced();
        Thread waiter = new Thread(() -> {
            // Listed, and the handlers (called on another thread) told of every object listed.
            while (!(ni.hasSynced() && pi.hasSynced() && cpuPinning.synced()
                    && nodeAdds.get() >= ni.getStore().list().size() && podAdds.get() >= pi.getStore().list().size())) {
                try {
                    Thread.sleep(20);
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
            return;
        }
        cpuPinning.upsertNode(n);
        lock.writeLock().lock();
        try {
            nodeObjects.put(converted.name(), n);
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
        String key = KubeConversions.key(p);
        PodRequest request;
        try {
            request = KubeConversions.request(p);
        } catch (InvalidObjectException e) {
            LOG.log(Level.WARNING, "ignoring pod: {0}", e.getMessage());
            return;
        }
        cpuPinning.upsertPod(p);
        String node = p.getSpec() == null ? null : p.getSpec().getNodeName();
        boolean reserved = false;
        if ((node == null || node.isEmpty()) && !KubeConversions.terminal(p)) {
            // Admitted but not yet bound: its plan reserves the planned node.
            String planned = p.getMetadata() == null || p.getMetadata().getAnnotations() == null ? null
                    : p.getMetadata().getAnnotations().get(KubeAiNames.PLANNED_NODE);
            if (planned != null && !planned.isBlank()) {
                node = planned;
                reserved = true;
            }
        }
        lock.writeLock().lock();
        try {
            pods.put(key, p);
            boolean holds = node != null && !node.isEmpty() && !KubeConversions.terminal(p);
            Bound now = holds ? new Bound(node, request, KubeConversions.gpuDevices(p), reserved) : null;
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

    public Optional<Pod> pod(String key) {
        lock.readLock().lock();
        try {
            return Optional.ofNullable(pods.get(key));
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Every pod the cache knows, bound or not. */
    public List<Pod> allPods() {
        lock.readLock().lock();
        try {
            return new ArrayList<>(pods.values());
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Every node object the cache knows, as the informer last saw it. */
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
