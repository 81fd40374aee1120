package io.kubeai.simulator.jobs.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubeai.core.cluster.Node;
import io.kubeai.core.resource.ResourceList;
import io.kubeai.simulator.jobs.trace.ClusterShapes.NodeSource;
import io.kubeai.simulator.jobs.trace.ClusterShapes.Shape;
import io.kubeai.simulator.trace.OpenbTrace;
import io.kubeai.simulator.trace.TraceSource;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ClusterShapesTest {
    private static final long MIB = 1024L * 1024L;

    @Test
    void theOpenbClusterSizeGivesTheOpenbCluster() {
        List<Node> openb = OpenbTrace.readNodes(TraceSource.bundled(OpenbTrace.DEFAULT_NODES));
        List<Node> nodes = ClusterShapes.nodes(1213, 5);
        assertThat(ClusterShapes.shapesOf(nodes)).isEqualTo(ClusterShapes.shapesOf(openb));
        assertThat(ClusterShapes.gpus(nodes)).isEqualTo(6212);
        assertThat(ClusterShapes.shapes(NodeSource.OPENB_GPU)).hasSize(15);
    }

    @Test
    void anySizeKeepsTheProportionsAndEveryShape() {
        List<Node> nodes = ClusterShapes.nodes(2000, 42);
        assertThat(nodes).hasSize(2000);
        assertThat(nodes.stream().map(Node::name).distinct().count()).isEqualTo(2000);
        assertThat(nodes.get(0).name()).isEqualTo("node-0000");
        List<Shape> source = ClusterShapes.shapes(NodeSource.OPENB_GPU);
        Map<Shape, Integer> sample = ClusterShapes.shapesOf(nodes).stream()
                .collect(Collectors.toMap(ClusterShapesTest::key, Shape::count));
        assertThat(sample).hasSize(source.size());
        for (Shape s : source) {
            double exact = s.count() * 2000.0 / 1213;
            assertThat((double) sample.get(key(s))).as(s.toString())
                    .isBetween(Math.floor(exact) - 1, Math.ceil(exact) + 1);
        }
        // 549 G2 nodes of 8 GPUs among 1,213
        assertThat(nodes.stream().filter(n -> n.gpuModel().equals("G2")).count()).isEqualTo(905);
    }

    @Test
    void theSeedOrdersTheNodesOnly() {
        assertThat(ClusterShapes.nodes(500, 1)).isEqualTo(ClusterShapes.nodes(500, 1));
        assertThat(ClusterShapes.nodes(500, 1)).isNotEqualTo(ClusterShapes.nodes(500, 2));
        assertThat(ClusterShapes.shapesOf(ClusterShapes.nodes(500, 1)))
                .isEqualTo(ClusterShapes.shapesOf(ClusterShapes.nodes(500, 2)));
    }

    @Test
    void smallClustersTakeTheCommonShapes() {
        List<Node> nodes = ClusterShapes.nodes(3, 0);
        assertThat(nodes).extracting(Node::gpuModel).containsExactlyInAnyOrder("G2", "G2", "T4");
        assertThat(ClusterShapes.shapesOf(ClusterShapes.nodes(15, 0))).hasSize(15);
        assertThatThrownBy(() -> ClusterShapes.nodes(0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void paiMachinesAreAnotherSource() {
        List<Node> pai = ClusterShapes.nodes(1897, 9, NodeSource.PAI);
        assertThat(ClusterShapes.gpus(pai)).isEqualTo(6742);
        assertThat(ClusterShapes.shapes(NodeSource.PAI)).hasSize(7);
        assertThat(ClusterShapes.shapes(NodeSource.PAI).get(0))
                .isEqualTo(new Shape(64_000, 512 * 1024 * MIB, 2, "P100", 798));
        assertThat(pai.stream().filter(n -> n.gpuCount() == 0)).hasSize(83).allMatch(n -> n.gpuModel().isEmpty());
    }

    @Test
    void openbWithCpuNodes() {
        List<Node> all = ClusterShapes.nodes(1523, 9, NodeSource.OPENB_ALL);
        assertThat(all.stream().filter(n -> n.gpuCount() == 0)).hasSize(310);
        assertThat(ClusterShapes.gpus(all)).isEqualTo(6212);
    }

    private static Shape key(Shape s) {
        return new Shape(s.cpuMillis(), s.memoryBytes(), s.gpuCount(), s.gpuModel(), 0);
    }

    @Test
    void capacityIsWhatAQuotaSees() {
        List<Node> nodes = List.of(Node.of("a", 8000, 64 * MIB, 2, "T4"), Node.of("b", 4000, 32 * MIB, 0, ""));
        assertThat(ClusterShapes.capacity(nodes)).isEqualTo(ResourceList.of(ResourceList.CPU, 12_000L,
                ResourceList.MEMORY, 96 * MIB, ResourceList.GPU, 2000L));
    }
}
