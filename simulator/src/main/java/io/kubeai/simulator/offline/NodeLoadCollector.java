package io.kubeai.simulator.offline;

import ai.timefold.solver.core.api.score.stream.uni.UniConstraintCollector;
import io.kubeai.core.resource.PodRequest;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Collects the pods on one node and answers by how much they overload it, in one pass: CPU,
 * memory, and the GPU device structure, exactly. Exact because whole-GPU pods only need
 * <em>some</em> devices that nobody shares: the pods fit iff every device's shared pods sum to at
 * most 1000 milli and {@code whole devices + devices with shared pods ≤ devices of the node}.
 *
 * <p>The overload is one number of "hard" units: CPU millis, memory MiB, milli-GPU a device is
 * over, and 1000 per device too many. Zero means the node is feasible.
 */
final class NodeLoadCollector implements UniConstraintCollector<PackedPod, NodeLoadCollector.Load, Long> {
    static final NodeLoadCollector INSTANCE = new NodeLoadCollector();
    private static final long MIB = 1024L * 1024L;

    private NodeLoadCollector() {
    }

    static final class Load {
        NodeSlot node;
        long cpu;
        long memory;
        int wholeDevices;
        int[] sharedMillis;
        int[] sharedPods;
        int devicesShared;

        /**
         * Adds ({@code sign} 1) or removes (-1) a pod. The device is passed in, not read off the
         * pod: by the time a pod is removed its variable already points elsewhere.
         */
        void add(NodeSlot on, PodRequest r, int device, int sign) {
            if (node == null) {
                node = on;
                sharedMillis = new int[on.gpuCount()];
                sharedPods = new int[on.gpuCount()];
            }
            cpu += sign * r.cpuMillis();
            memory += sign * r.memoryBytes();
            if (device >= 0) {
                sharedMillis[device] += sign * r.gpuMillisPerDevice();
                int before = sharedPods[device];
                sharedPods[device] += sign;
                if (before == 0 && sign > 0) {
                    devicesShared++;
                } else if (before == 1 && sign < 0) {
                    devicesShared--;
                }
            } else {
                wholeDevices += sign * r.gpuCount();
            }
        }

        long overload() {
            long over = 0;
            over += Math.max(0, cpu - node.node.cpuMillis());
            long memOver = memory - node.node.memoryBytes();
            if (memOver > 0) {
                over += (memOver + MIB - 1) / MIB;
            }
            for (int m : sharedMillis) {
                over += Math.max(0, m - PodRequest.MILLIS_PER_GPU);
            }
            over += (long) Math.max(0, wholeDevices + devicesShared - node.gpuCount()) * PodRequest.MILLIS_PER_GPU;
            return over;
        }
    }

    @Override
    public Supplier<Load> supplier() {
        return Load::new;
    }

    @Override
    public BiFunction<Load, PackedPod, Runnable> accumulator() {
        return (load, pod) -> {
            NodeSlot on = pod.assignedNode();
            PodRequest r = pod.request;
            DeviceSlot d = pod.assignedDevice();
            int device = d == null ? -1 : d.device;
            load.add(on, r, device, 1);
            return () -> load.add(on, r, device, -1);
        };
    }

    @Override
    public Function<Load, Long> finisher() {
        return Load::overload;
    }
}
