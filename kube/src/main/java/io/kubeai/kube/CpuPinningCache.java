package io.kubeai.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kubeai.core.cpu.ClusterCpuState;
import io.kubeai.core.cpu.CpuAllocPolicy;
import io.kubeai.core.cpu.CpuExclusivity;
import io.kubeai.core.cpu.CpuFit;
import io.kubeai.core.cpu.CpuRequest;
import io.kubeai.core.cpu.CpuSet;
import io.kubeai.core.cpu.NodeCpuState;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Which CPUs of which node each pinned pod holds, as core's {@link ClusterCpuState}, rebuilt
 * from the cluster: node topologies from NodeResourceTopology objects (an informer that waits
 * quietly while their CRD is not installed) and node annotations, held CPUs from the
 * {@code kubeai.io/cpuset} annotation of every bound, unfinished pod, plus the CPUs the extender
 * gave at bind ({@linkplain #reserve assumed}) until the informer shows the pod bound or the
 * binding is forgotten.
 *
 * <p>Fed by {@link ClusterCache}'s node and pod events. A node whose topology is unknown or
 * cannot be read has no state but a {@linkplain View#problem problem} saying why. A node event
 * rebuilds that node's state only when its topology or reserved CPUs changed (O(pods on it));
 * a pod event is O(CPUs). Every method takes one lock; reads run under it.
 */
public final class CpuPinningCache implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(CpuPinningCache.class.getName());

    static final ResourceDefinitionContext NRT = new ResourceDefinitionContext.Builder()
            .withGroup(KubeAiNames.NRT_GROUP).withVersion(KubeAiNames.NRT_VERSION).withKind(KubeAiNames.NRT_KIND)
            .withPlural(KubeAiNames.NRT_PLURAL).withNamespaced(false).build();

    private final Map<String, Node> nodes = new HashMap<>();
    private final Map<String, GenericKubernetesResource> nrts = new HashMap<>();
    private final Map<String, NodeCpuTopology> topologies = new HashMap<>();
    private final Map<String, String> problems = new HashMap<>();
    private final ClusterCpuState state = new ClusterCpuState();
    private final Map<String, Held> bound = new HashMap<>();
    private final Map<String, Held> assumed = new HashMap<>();
    private SharedIndexInformer<GenericKubernetesResource> informer;
    private final AtomicBoolean nrtUnavailable = new AtomicBoolean();

    /** CPUs a pod holds on a node. */
    private record Held(String node, CpuSet cpus) {
    }

    /** The state and, for nodes without one, why; valid only inside {@link #read}. */
    public record View(ClusterCpuState cpus, Map<String, String> problems, Map<String, NodeCpuTopology> topologies) {
        /** Whether the node's kubelet rejects pinned pods that span NUMA nodes. */
        public boolean singleNumaNode(String node) {
            NodeCpuTopology t = topologies.get(node);
            return t != null && t.singleNumaNode();
        }

        /** Why a node has no CPU state: its topology is unknown or cannot be read. */
        public String problem(String node) {
            String p = problems.get(node);
            return p != null ? p : "node " + node + " publishes no CPU topology (no " + KubeAiNames.NRT_KIND
                    + " and no " + KubeAiNames.CPU_TOPOLOGY + " annotation)";
        }
    }

    /**
     * Starts the NodeResourceTopology informer. While the CRD is not served it retries in the
     * background, and {@link #synced()} is true: the cluster simply has no such objects.
     */
    public void start(KubernetesClient client) {
        SharedIndexInformer<GenericKubernetesResource> i = client.genericKubernetesResources(NRT).runnableInformer(0);
        i.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(GenericKubernetesResource r) {
                upsertNrt(r);
            }

            @Override
            public void onUpdate(GenericKubernetesResource o, GenericKubernetesResource r) {
                upsertNrt(r);
            }

            @Override
            public void onDelete(GenericKubernetesResource r, boolean unknown) {
                deleteNrt(r.getMetadata().getName());
            }
        });
        i.exceptionHandler((started, t) -> {
            if (nrtUnavailable.compareAndSet(false, true)) {
                LOG.log(Level.INFO, "{0} objects cannot be listed ({1}); CPU topologies come from node annotations "
                        + "until they can", new Object[] {KubeAiNames.NRT_KIND, t.getMessage()});
            }
            return true;
        });
        i.start();
        synchronized (this) {
            informer = i;
        }
    }

    /** Whether the NodeResourceTopology informer has listed, or found that the cluster has none to list. */
    public synchronized boolean synced() {
        return informer == null || informer.hasSynced() || nrtUnavailable.get();
    }

    public synchronized void upsertNode(Node n) {
        nodes.put(n.getMetadata().getName(), n);
        refresh(n.getMetadata().getName());
    }

    public synchronized void deleteNode(String name) {
        nodes.remove(name);
        refresh(name);
    }

    public synchronized void upsertNrt(GenericKubernetesResource r) {
        nrts.put(r.getMetadata().getName(), r);
        refresh(r.getMetadata().getName());
    }

    public synchronized void deleteNrt(String name) {
        nrts.remove(name);
        refresh(name);
    }

    /** A bound, unfinished pod with a cpuset holds it; anything else holds nothing (but an assumption stays). */
    public synchronized void upsertPod(Pod p) {
        String key = KubeConversions.key(p);
        String node = p.getSpec() == null ? null : p.getSpec().getNodeName();
        Optional<CpuSet> cpus;
        try {
            cpus = CpuConversions.cpuset(p);
        } catch (InvalidObjectException e) {
            LOG.log(Level.WARNING, "ignoring the cpuset of a pod: {0}", e.getMessage());
            cpus = Optional.empty();
        }
        boolean holds = node != null && !node.isEmpty() && !KubeConversions.terminal(p) && cpus.isPresent()
                && !cpus.get().isEmpty();
        Held now = holds ? new Held(node, cpus.get()) : null;
        Held before = bound.get(key);
        if (holds && now.equals(before)) {
            return;
        }
        unplace(key);
        if (holds) {
            // The informer saw the binding: the assumption, if any, is now a fact.
            assumed.remove(key);
            bound.put(key, now);
            place(key, now);
        } else {
            bound.remove(key);
            Held a = assumed.get(key);
            if (a != null) {
                place(key, a);
            }
        }
    }

    public synchronized void deletePod(String key) {
        unplace(key);
        bound.remove(key);
        assumed.remove(key);
    }

    /**
     * Chooses CPUs for {@code key} on {@code node} and holds them as an assumption, atomically:
     * two binds never get the same CPUs. A pod that already holds CPUs on that node keeps them.
     * On a node whose kubelet runs {@code single-numa-node}, every request is bound to one NUMA node.
     */
    public synchronized CpuFit reserve(String key, String node, CpuRequest request, CpuAllocPolicy policy) {
        if (view().singleNumaNode(node)) {
            request = new CpuRequest(request.cpus(), request.exclusivity(), io.kubeai.core.cpu.NumaAffinity.REQUIRED);
        }
        Optional<NodeCpuState> s = state.node(node);
        if (s.isEmpty()) {
            return CpuFit.no(view().problem(node));
        }
        Optional<io.kubeai.core.cpu.CpuAssignment> held = s.get().assignment(key);
        if (held.isPresent()) {
            return new CpuFit(held.get().cpus(), s.get().topology().numaNodesOf(held.get().cpus()), null);
        }
        // An earlier assumption elsewhere gives way to this one.
        forget(key);
        CpuFit fit = s.get().allocate(request, policy);
        if (fit.fits()) {
            Held h = new Held(node, fit.cpus());
            assumed.put(key, h);
            place(key, h);
        }
        return fit;
    }

    /** Forgets an assumption (the binding failed or expired); a bound pod keeps its CPUs. */
    public synchronized void forget(String key) {
        Held a = assumed.remove(key);
        if (a != null && !bound.containsKey(key)) {
            state.node(a.node()).ifPresent(s -> s.release(key));
        }
    }

    /** Runs {@code f} under the lock. {@code f} must not keep the view. */
    public synchronized <T> T read(Function<View, T> f) {
        return f.apply(view());
    }

    public synchronized int assumedCount() {
        return assumed.size();
    }

    /** A copy of one node's state, if its topology is known. */
    public synchronized Optional<NodeCpuState> node(String name) {
        return state.node(name).map(NodeCpuState::copy);
    }

    private View view() {
        return new View(state, java.util.Collections.unmodifiableMap(problems),
                java.util.Collections.unmodifiableMap(topologies));
    }

    private void refresh(String name) {
        Node n = nodes.get(name);
        NodeCpuTopology fresh = null;
        String problem = null;
        if (n != null) {
            try {
                fresh = CpuConversions.topology(n, nrts.get(name)).orElse(null);
            } catch (InvalidObjectException | IllegalArgumentException e) {
                problem = e.getMessage();
                LOG.log(Level.WARNING, "node {0} has no usable CPU topology: {1}", new Object[] {name, problem});
            }
        }
        if (problem == null) {
            problems.remove(name);
        } else {
            problems.put(name, problem);
        }
        NodeCpuTopology old = topologies.get(name);
        if (fresh == null) {
            topologies.remove(name);
            state.remove(name);
            return;
        }
        topologies.put(name, fresh);
        Optional<NodeCpuState> current = state.node(name);
        if (current.isPresent() && fresh.sameShape(old)) {
            current.get().reportFree(fresh.reportedFree());
            return;
        }
        state.put(name, fresh.newState());
        bound.forEach((k, h) -> {
            if (h.node().equals(name)) {
                place(k, h);
            }
        });
        assumed.forEach((k, h) -> {
            if (h.node().equals(name) && !bound.containsKey(k)) {
                place(k, h);
            }
        });
    }

    private void place(String key, Held h) {
        state.node(h.node()).ifPresent(s -> {
            if (s.assignment(key).isEmpty()) {
                s.assignObserved(key, h.cpus(), CpuExclusivity.EXCLUSIVE);
            }
        });
    }

    private void unplace(String key) {
        for (Held h : new Held[] {bound.get(key), assumed.get(key)}) {
            if (h != null) {
                state.node(h.node()).ifPresent(s -> s.release(key));
            }
        }
    }

    @Override
    public synchronized void close() {
        if (informer != null) {
            informer.close();
        }
    }
}
