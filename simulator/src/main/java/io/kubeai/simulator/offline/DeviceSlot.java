package io.kubeai.simulator.offline;

/**
 * One GPU device of one node (a problem fact): the value of a {@link DevicePod}'s variable. A
 * pod sharing a GPU is put on a concrete device, so the model sees the device structure exactly.
 */
final class DeviceSlot {
    final NodeSlot node;
    final int device;

    DeviceSlot(NodeSlot node, int device) {
        this.node = node;
        this.device = device;
    }

    @Override
    public String toString() {
        return node + "/gpu" + device;
    }
}
