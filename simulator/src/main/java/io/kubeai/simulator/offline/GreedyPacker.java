package io.kubeai.simulator.offline;

import io.kubeai.core.resource.PodRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The construction heuristic: a device-exact greedy that gives the local search a feasible start.
 * Every pod is known in advance, so it goes biggest first:
 *
 * <ol>
 *   <li>whole-GPU pods, most devices first, then most CPU: on the node left with the most CPU to
 *       spare beyond its free GPUs' expected share (so CPU-hungry pods go where CPU is plentiful
 *       and no node's GPUs are stranded without CPU), then the one left with the fewest free
 *       devices;
 *   <li>GPU-sharing pods: each device with room, nodes with the least CPU to spare first, gets
 *       the set of pods that leaves it the least free milli-GPU (a bounded subset sum over pod
 *       shapes, within its share of the node's CPU and memory); any pod still out then goes
 *       best fit, on the device left with the least free milli-GPU;
 *   <li>CPU-only pods (when included), most CPU first, on the node with the most CPU to spare.
 *       If some do not fit, the whole greedy is run again with them first, and the better of
 *       the two (more CPU-only pods, then more milli-GPU) is kept.
 * </ol>
 *
 * A pod that fits nowhere is left out. Ties go to the lowest node index, so the result is a pure
 * function of the input.
 */
final class GreedyPacker {
    private final List<NodeSlot> nodes;
    private final long[] cpuFree;
    private final long[] memFree;
    private final int[][] gpuFree;
    /** CPU millis a free GPU of this cluster is expected to need: total GPU-pod CPU / GPU asked. */
    private final double cpuPerGpuMilli;

    private GreedyPacker(List<NodeSlot> nodes, double cpuPerGpuMilli) {
        this.nodes = nodes;
        this.cpuPerGpuMilli = cpuPerGpuMilli;
        cpuFree = new long[nodes.size()];
        memFree = new long[nodes.size()];
        gpuFree = new int[nodes.size()][];
        for (NodeSlot n : nodes) {
            cpuFree[n.index] = n.node.cpuMillis();
            memFree[n.index] = n.node.memoryBytes();
            gpuFree[n.index] = new int[n.gpuCount()];
            java.util.Arrays.fill(gpuFree[n.index], PodRequest.MILLIS_PER_GPU);
        }
    }

    /**
     * Assigns the pods' variables in place (all must be unassigned on entry). Packs CPU-only pods
     * last, into what the GPU pods leave; if that leaves some out, packs them first instead and
     * keeps whichever places more CPU-only pods, then more milli-GPU (the objective's order).
     */
    static void pack(List<NodeSlot> nodes, List<NodePod> nodePods, List<DevicePod> devicePods) {
        long cpu = 0;
        long gpu = 0;
        int cpuOnlyCount = 0;
        for (NodePod p : nodePods) {
            if (p.cpuOnly()) {
                cpuOnlyCount++;
            } else {
                cpu += p.request.cpuMillis();
                gpu += p.gpuMillis();
            }
        }
        for (DevicePod p : devicePods) {
            cpu += p.request.cpuMillis();
            gpu += p.gpuMillis();
        }
        double cpuPerGpuMilli = gpu == 0 ? 0 : (double) cpu / gpu;
        long[] last = new GreedyPacker(nodes, cpuPerGpuMilli).run(nodePods, devicePods, false);
        if (last[0] == cpuOnlyCount) {
            return;
        }
        NodeSlot[] lastNodes = new NodeSlot[nodePods.size()];
        DeviceSlot[] lastDevices = new DeviceSlot[devicePods.size()];
        for (int i = 0; i < lastNodes.length; i++) {
            lastNodes[i] = nodePods.get(i).node;
            nodePods.get(i).node = null;
        }
        for (int i = 0; i < lastDevices.length; i++) {
            lastDevices[i] = devicePods.get(i).device;
            devicePods.get(i).device = null;
        }
        long[] first = new GreedyPacker(nodes, cpuPerGpuMilli).run(nodePods, devicePods, true);
        if (first[0] > last[0] || (first[0] == last[0] && first[1] >= last[1])) {
            return;
        }
        for (int i = 0; i < lastNodes.length; i++) {
            nodePods.get(i).node = lastNodes[i];
        }
        for (int i = 0; i < lastDevices.length; i++) {
            devicePods.get(i).device = lastDevices[i];
        }
    }

    /** One greedy pass; returns {CPU-only pods placed, milli-GPU placed}. */
    private long[] run(List<NodePod> nodePods, List<DevicePod> devicePods, boolean cpuOnlyFirst) {
        List<NodePod> cpuOnly = new ArrayList<>();
        List<NodePod> whole = new ArrayList<>();
        for (NodePod p : nodePods) {
            (p.cpuOnly() ? cpuOnly : whole).add(p);
        }
        cpuOnly.sort(Comparator.<NodePod>comparingLong(p -> -p.request.cpuMillis())
                .thenComparingLong(p -> -p.request.memoryBytes()).thenComparingInt(p -> p.id));
        if (cpuOnlyFirst) {
            for (NodePod p : cpuOnly) {
                placeCpuOnly(p);
            }
        }
        whole.sort(Comparator.<NodePod>comparingInt(p -> -p.request.gpuCount())
                .thenComparingLong(p -> -p.request.cpuMillis())
                .thenComparingLong(p -> -p.request.memoryBytes()).thenComparingInt(p -> p.id));
        for (NodePod p : whole) {
            placeWhole(p);
        }
        fillDevices(devicePods);
        List<DevicePod> shared = new ArrayList<>();
        for (DevicePod p : devicePods) {
            if (p.device == null) {
                shared.add(p);
            }
        }
        shared.sort(Comparator.<DevicePod>comparingInt(p -> -p.request.gpuMillisPerDevice())
                .thenComparingLong(p -> p.request.cpuMillis())
                .thenComparingLong(p -> p.request.memoryBytes()).thenComparingInt(p -> p.id));
        for (DevicePod p : shared) {
            placeShared(p);
        }
        if (!cpuOnlyFirst) {
            for (NodePod p : cpuOnly) {
                placeCpuOnly(p);
            }
        }
        long cpuOnlyPlaced = 0;
        long gpuPlaced = 0;
        for (NodePod p : nodePods) {
            if (p.node != null) {
                if (p.cpuOnly()) {
                    cpuOnlyPlaced++;
                } else {
                    gpuPlaced += p.gpuMillis();
                }
            }
        }
        for (DevicePod p : devicePods) {
            if (p.device != null) {
                gpuPlaced += p.gpuMillis();
            }
        }
        return new long[] {cpuOnlyPlaced, gpuPlaced};
    }

    /** Pods sharing a GPU that are alike for packing: same milli-GPU and GPU models; cheapest CPU first. */
    private static final class Shape {
        final int milli;
        final io.kubeai.core.resource.GpuModels models;
        final List<DevicePod> pods = new ArrayList<>();
        int next;

        Shape(int milli, io.kubeai.core.resource.GpuModels models) {
            this.milli = milli;
            this.models = models;
        }

        int left() {
            return pods.size() - next;
        }
    }

    /**
     * Fills devices one at a time, each with the set of sharing pods that leaves it the least free
     * milli-GPU (a bounded subset sum over pod shapes, taking each shape's cheapest-CPU pods), so
     * that pods that sum to a whole device go together: 650 + 350, 470 + 480 + 50, ... Devices of
     * the nodes with the least CPU to spare go first, as they can least afford expensive pods.
     * O(free milli-GPU × shapes × pods per device) per device: a fraction of a second on the
     * default workload.
     */
    private void fillDevices(List<DevicePod> devicePods) {
        java.util.Map<List<Object>, Shape> byKey = new java.util.HashMap<>();
        List<Shape> shapes = new ArrayList<>();
        for (DevicePod p : devicePods) {
            Shape sh = byKey.computeIfAbsent(List.of(p.request.gpuMillisPerDevice(), p.request.gpuModels()), k -> {
                Shape created = new Shape(p.request.gpuMillisPerDevice(), p.request.gpuModels());
                shapes.add(created);
                return created;
            });
            sh.pods.add(p);
        }
        if (shapes.isEmpty()) {
            return;
        }
        for (Shape sh : shapes) {
            sh.pods.sort(Comparator.<DevicePod>comparingLong(p -> p.request.cpuMillis())
                    .thenComparingLong(p -> p.request.memoryBytes()).thenComparingInt(p -> p.id));
        }
        Integer[] order = new Integer[nodes.size()];
        double[] spare = new double[nodes.size()];
        for (int n = 0; n < order.length; n++) {
            order[n] = n;
            spare[n] = spareCpu(cpuFree[n], freeGpuMillis(n));
        }
        java.util.Arrays.sort(order, Comparator.<Integer>comparingDouble(n -> spare[n]).thenComparingInt(n -> n));
        for (int n : order) {
            for (int d = 0; d < gpuFree[n].length; d++) {
                if (gpuFree[n][d] > 0) {
                    fillDevice(n, d, shapes);
                }
            }
        }
    }

    private void fillDevice(int n, int d, List<Shape> shapes) {
        int free = gpuFree[n][d];
        String model = nodes.get(n).node.gpuModel();
        List<Shape> usable = new ArrayList<>();
        for (Shape sh : shapes) {
            if (sh.left() > 0 && sh.milli <= free && sh.models.allows(model)) {
                usable.add(sh);
            }
        }
        if (usable.isEmpty()) {
            return;
        }
        // cpu[s], mem[s]: the cheapest (in CPU) way found to fill exactly s milli; take[g][s]: how
        // many pods of shape g that way uses.
        final long unreachable = Long.MAX_VALUE;
        long[] cpu = new long[free + 1];
        long[] mem = new long[free + 1];
        java.util.Arrays.fill(cpu, unreachable);
        cpu[0] = 0;
        int[][] take = new int[usable.size()][free + 1];
        for (int g = 0; g < usable.size(); g++) {
            Shape sh = usable.get(g);
            int max = Math.min(sh.left(), free / sh.milli);
            long[] prefixCpu = new long[max + 1];
            long[] prefixMem = new long[max + 1];
            for (int k = 1; k <= max; k++) {
                PodRequest r = sh.pods.get(sh.next + k - 1).request;
                prefixCpu[k] = prefixCpu[k - 1] + r.cpuMillis();
                prefixMem[k] = prefixMem[k - 1] + r.memoryBytes();
            }
            long[] nextCpu = cpu.clone();
            long[] nextMem = mem.clone();
            for (int s = 0; s <= free; s++) {
                for (int k = 1; k <= max && k * sh.milli <= s; k++) {
                    int from = s - k * sh.milli;
                    if (cpu[from] == unreachable) {
                        continue;
                    }
                    long c = cpu[from] + prefixCpu[k];
                    if (c < nextCpu[s]) {
                        nextCpu[s] = c;
                        nextMem[s] = mem[from] + prefixMem[k];
                        take[g][s] = k;
                    }
                }
            }
            cpu = nextCpu;
            mem = nextMem;
        }
        // The node's CPU and memory are shared out among its devices still to fill, in proportion
        // to their free milli-GPU, so that filling one device does not starve the next.
        long freeHere = 0;
        for (int e = d; e < gpuFree[n].length; e++) {
            freeHere += gpuFree[n][e];
        }
        long cpuBudget = (long) ((double) cpuFree[n] * free / freeHere);
        long memBudget = (long) ((double) memFree[n] * free / freeHere);
        int best = 0;
        for (int s = free; s > 0; s--) {
            if (cpu[s] != unreachable && cpu[s] <= cpuBudget && mem[s] <= memBudget) {
                best = s;
                break;
            }
        }
        // Walk back through the shapes, last first, and place what the best fill takes.
        int s = best;
        for (int g = usable.size() - 1; g >= 0 && s > 0; g--) {
            int k = take[g][s];
            Shape sh = usable.get(g);
            for (int i = 0; i < k; i++) {
                DevicePod p = sh.pods.get(sh.next++);
                cpuFree[n] -= p.request.cpuMillis();
                memFree[n] -= p.request.memoryBytes();
                gpuFree[n][d] -= sh.milli;
                p.device = nodes.get(n).devices.get(d);
            }
            s -= k * sh.milli;
        }
    }

    private boolean hostFits(int n, PodRequest r) {
        return cpuFree[n] >= r.cpuMillis() && memFree[n] >= r.memoryBytes()
                && (!r.wantsGpu() || r.gpuModels().allows(nodes.get(n).node.gpuModel()));
    }

    private long freeGpuMillis(int n) {
        long s = 0;
        for (int f : gpuFree[n]) {
            s += f;
        }
        return s;
    }

    private int wholeFree(int n) {
        int c = 0;
        for (int f : gpuFree[n]) {
            if (f == PodRequest.MILLIS_PER_GPU) {
                c++;
            }
        }
        return c;
    }

    /** CPU left beyond what the node's free GPU is expected to need (negative: GPUs short of CPU). */
    private double spareCpu(long cpuAfter, long gpuFreeAfter) {
        return cpuAfter - cpuPerGpuMilli * gpuFreeAfter;
    }

    private void placeCpuOnly(NodePod p) {
        PodRequest r = p.request;
        int best = -1;
        double bestSpare = Double.NEGATIVE_INFINITY;
        for (int n = 0; n < nodes.size(); n++) {
            if (!hostFits(n, r)) {
                continue;
            }
            double spare = spareCpu(cpuFree[n] - r.cpuMillis(), freeGpuMillis(n));
            if (spare > bestSpare) {
                bestSpare = spare;
                best = n;
            }
        }
        if (best >= 0) {
            cpuFree[best] -= r.cpuMillis();
            memFree[best] -= r.memoryBytes();
            p.node = nodes.get(best);
        }
    }

    private void placeWhole(NodePod p) {
        PodRequest r = p.request;
        int best = -1;
        double bestSpare = Double.NEGATIVE_INFINITY;
        int bestFreeAfter = Integer.MAX_VALUE;
        for (int n = 0; n < nodes.size(); n++) {
            if (!hostFits(n, r)) {
                continue;
            }
            int free = wholeFree(n);
            if (free < r.gpuCount()) {
                continue;
            }
            int freeAfter = free - r.gpuCount();
            double spare = spareCpu(cpuFree[n] - r.cpuMillis(), freeGpuMillis(n) - r.totalGpuMillis());
            if (spare > bestSpare || (spare == bestSpare && freeAfter < bestFreeAfter)) {
                best = n;
                bestSpare = spare;
                bestFreeAfter = freeAfter;
            }
        }
        if (best >= 0) {
            cpuFree[best] -= r.cpuMillis();
            memFree[best] -= r.memoryBytes();
            int need = r.gpuCount();
            int[] g = gpuFree[best];
            for (int d = 0; d < g.length && need > 0; d++) {
                if (g[d] == PodRequest.MILLIS_PER_GPU) {
                    g[d] = 0;
                    need--;
                }
            }
            p.node = nodes.get(best);
        }
    }

    private void placeShared(DevicePod p) {
        PodRequest r = p.request;
        int milli = r.gpuMillisPerDevice();
        int bestNode = -1;
        int bestDevice = -1;
        int bestFreeAfter = Integer.MAX_VALUE;
        for (int n = 0; n < nodes.size(); n++) {
            if (!hostFits(n, r)) {
                continue;
            }
            int[] g = gpuFree[n];
            for (int d = 0; d < g.length; d++) {
                int after = g[d] - milli;
                if (after >= 0 && after < bestFreeAfter) {
                    bestFreeAfter = after;
                    bestNode = n;
                    bestDevice = d;
                }
            }
        }
        if (bestNode >= 0) {
            cpuFree[bestNode] -= r.cpuMillis();
            memFree[bestNode] -= r.memoryBytes();
            gpuFree[bestNode][bestDevice] -= milli;
            p.device = nodes.get(bestNode).devices.get(bestDevice);
        }
    }
}
