package io.kubeai.simulator.jobs.trace;

import io.kubeai.core.cluster.ClusterState;
import io.kubeai.core.cluster.Node;
import io.kubeai.core.resource.ExtendedResources;
import io.kubeai.core.resource.ResourceList;
import io.kubeai.simulator.trace.OpenbTrace;
import io.kubeai.simulator.trace.TraceSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Clusters of any size built from the node shapes of a real cluster. A shape is (CPU, memory, GPU
 * count, GPU model). {@code count} nodes are drawn by stratified sampling: each shape gets its
 * share of the source's nodes (largest remainders round), and when there are at least as many
 * nodes as shapes every shape gets at least one, so that whatever fits a node of the source fits a
 * node of the sample. The composition therefore does not depend on the seed; the seed shuffles the
 * order of the nodes (which placement tie-breaks see). {@code nodes(1213, seed)} is the openb GPU
 * cluster itself, reordered.
 */
public final class ClusterShapes {

    /** Where node shapes come from. */
    public enum NodeSource {
        /**
         * Alibaba openb v2023, the 1,213 GPU nodes (15 shapes; models G2, T4, P100, V100M16, G3,
         * V100M32, A10): the default, because the generator's pods come from openb and name its models.
         */
        OPENB_GPU,
        /** openb v2023 with its 310 CPU-only nodes too (1,523 nodes). */
        OPENB_ALL,
        /**
         * Alibaba PAI 2020, 1,897 machines (7 shapes; models P100, T4, V100, V100M32, MISC, and CPU
         * machines). Its model names differ from openb's: pods with a {@code gpu_spec} may fit none.
         */
        PAI
    }

    private static final Map<NodeSource, List<Shape>> SHAPES = new EnumMap<>(NodeSource.class);

    /** A node shape and how many nodes of the source have it. */
    public record Shape(long cpuMillis, long memoryBytes, int gpuCount, String gpuModel, int count) {
    }

    private ClusterShapes() {
    }

    /** {@code count} nodes with the shapes of the openb GPU nodes, named {@code node-0000}…. */
    public static List<Node> nodes(int count, long seed) {
        return nodes(count, seed, NodeSource.OPENB_GPU);
    }

    public static List<Node> nodes(int count, long seed, NodeSource source) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, was " + count);
        }
        List<Shape> shapes = shapes(source);
        int[] take = apportion(shapes, count);
        Shape[] order = new Shape[count];
        int k = 0;
        for (int s = 0; s < shapes.size(); s++) {
            for (int i = 0; i < take[s]; i++) {
                order[k++] = shapes.get(s);
            }
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = count - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            Shape t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int width = Math.max(4, Integer.toString(count - 1).length());
        List<Node> nodes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Shape s = order[i];
            nodes.add(new Node(name(i, width), s.cpuMillis(), s.memoryBytes(), s.gpuCount(), s.gpuModel(),
                    ExtendedResources.NONE));
        }
        return List.copyOf(nodes);
    }

    private static String name(int i, int width) {
        String digits = Integer.toString(i);
        return "node-" + "0".repeat(Math.max(0, width - digits.length())) + digits;
    }

    /** Nodes per shape: shares of {@code count}, largest remainders first, every shape once if it can. */
    static int[] apportion(List<Shape> shapes, int count) {
        long total = shapes.stream().mapToLong(Shape::count).sum();
        int n = shapes.size();
        int[] take = new int[n];
        long[] remainder = new long[n];
        int given = 0;
        for (int s = 0; s < n; s++) {
            long exact = (long) shapes.get(s).count() * count;
            take[s] = (int) (exact / total);
            remainder[s] = exact % total;
            given += take[s];
        }
        Integer[] byRemainder = new Integer[n];
        for (int s = 0; s < n; s++) {
            byRemainder[s] = s;
        }
        // larger remainder first, then the more common shape, then shape order: no randomness
        Arrays.sort(byRemainder, Comparator.<Integer>comparingLong(s -> -remainder[s])
                .thenComparingInt(s -> -shapes.get(s).count()).thenComparingInt(s -> s));
        for (int i = 0; given < count; i++) {
            take[byRemainder[i]]++;
            given++;
        }
        if (count >= n) {
            for (int s = 0; s < n; s++) {
                if (take[s] == 0) {
                    int donor = 0;
                    for (int d = 1; d < n; d++) {
                        if (take[d] > take[donor]) {
                            donor = d;
                        }
                    }
                    take[donor]--;
                    take[s]++;
                }
            }
        }
        return take;
    }

    /** The shapes of a source, most common first (ties in a fixed order). */
    public static synchronized List<Shape> shapes(NodeSource source) {
        return SHAPES.computeIfAbsent(source, s -> shapesOf(switch (s) {
            case OPENB_GPU -> OpenbTrace.readNodes(TraceSource.bundled(OpenbTrace.DEFAULT_NODES));
            case OPENB_ALL -> OpenbTrace.readNodes(TraceSource.bundled(OpenbTrace.BUNDLED_DIR
                    + "openb_node_list_all_node.csv"));
            case PAI -> CalibrationTraces.paiMachines();
        }));
    }

    /** The distinct shapes of a node list with their counts, most common first. */
    public static List<Shape> shapesOf(List<Node> nodes) {
        Comparator<Shape> key = Comparator.comparing(Shape::gpuModel).thenComparingInt(Shape::gpuCount)
                .thenComparingLong(Shape::cpuMillis).thenComparingLong(Shape::memoryBytes);
        TreeMap<Shape, Integer> counts = new TreeMap<>(key);
        for (Node n : nodes) {
            counts.merge(new Shape(n.cpuMillis(), n.memoryBytes(), n.gpuCount(), n.gpuModel(), 0), 1, Integer::sum);
        }
        List<Shape> out = new ArrayList<>();
        counts.forEach((s, c) -> out.add(new Shape(s.cpuMillis(), s.memoryBytes(), s.gpuCount(), s.gpuModel(), c)));
        out.sort(Comparator.comparingInt(Shape::count).reversed().thenComparing(key));
        return List.copyOf(out);
    }

    /** What a quota sees of a cluster: CPU (milli), memory (bytes) and GPUs (milli) summed. */
    public static ResourceList capacity(List<Node> nodes) {
        return new ClusterState(nodes).capacity();
    }

    /** Whole GPUs of a node list. */
    public static int gpus(List<Node> nodes) {
        return nodes.stream().mapToInt(Node::gpuCount).sum();
    }
}
