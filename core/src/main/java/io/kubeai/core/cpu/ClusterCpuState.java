package io.kubeai.core.cpu;

import java.util.Collections;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The CPU state of every node whose CPU topology is known, by node name. Nodes without one are
 * simply absent: a pinned pod cannot be placed there. Not thread-safe; {@link #copy()} copies
 * every node (O(nodes × pods per node)).
 */
public final class ClusterCpuState {
    private final TreeMap<String, NodeCpuState> nodes = new TreeMap<>();

    public ClusterCpuState copy() {
        ClusterCpuState c = new ClusterCpuState();
        nodes.forEach((k, v) -> c.nodes.put(k, v.copy()));
        return c;
    }

    public Optional<NodeCpuState> node(String name) {
        return Optional.ofNullable(nodes.get(name));
    }

    public void put(String name, NodeCpuState state) {
        nodes.put(name, state);
    }

    public Optional<NodeCpuState> remove(String name) {
        return Optional.ofNullable(nodes.remove(name));
    }

    public Set<String> nodeNames() {
        return Collections.unmodifiableSet(nodes.keySet());
    }

    /** The node a pod holds CPUs on, if any. O(nodes). */
    public Optional<String> nodeOf(String podId) {
        return nodes.entrySet().stream().filter(e -> e.getValue().assignment(podId).isPresent())
                .map(java.util.Map.Entry::getKey).findFirst();
    }
}
