package io.kubeai.simulator.offline;

import io.kubeai.core.cluster.Node;
import java.util.List;

/**
 * A node of the packing model (a problem fact): the value of a {@link NodePod}'s variable and the
 * owner of its {@link DeviceSlot devices}. Identity-based equality, as Timefold expects of facts.
 */
final class NodeSlot {
    final int index;
    final Node node;
    List<DeviceSlot> devices = List.of();

    NodeSlot(int index, Node node) {
        this.index = index;
        this.node = node;
    }

    int gpuCount() {
        return node.gpuCount();
    }

    @Override
    public String toString() {
        return node.name();
    }
}
