package io.kubeai.simulator.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubeai.core.cluster.Node;
import io.kubeai.core.resource.GpuModels;
import io.kubeai.core.resource.PodRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OpenbTraceTest {
    private static final long MIB = 1024L * 1024L;

    @TempDir
    Path dir;

    @Test
    void bundledGpuNodeListHasTheClusterOfThePaper() {
        List<Node> nodes = OpenbTrace.readNodes(TraceSource.bundled(OpenbTrace.DEFAULT_NODES));
        assertThat(nodes).hasSize(1213);
        assertThat(nodes.stream().mapToInt(Node::gpuCount).sum()).isEqualTo(6212);
        assertThat(nodes.get(0)).isEqualTo(Node.of("openb-node-0000", 64000, 262144 * MIB, 2, "P100"));
    }

    @Test
    void bundledDefaultPodListReadsEveryRow() {
        List<TracePod> pods = OpenbTrace.readPods(TraceSource.bundled(OpenbTrace.DEFAULT_PODS));
        assertThat(pods).hasSize(8152);
        assertThat(pods.get(1)).isEqualTo(new TracePod("openb-pod-0001",
                PodRequest.cpuOnly(6000, 12288 * MIB).withGpus(1, 460)));
        long gpuMillis = pods.stream().mapToLong(p -> p.request().totalGpuMillis()).sum();
        assertThat(gpuMillis).isEqualTo(6_086_800);
    }

    @Test
    void everyBundledPodListIsInTheJar() {
        for (String name : OpenbTrace.BUNDLED_POD_LISTS) {
            assertThat(OpenbTrace.readPods(TraceSource.bundled(OpenbTrace.BUNDLED_DIR + name + ".csv")))
                    .as(name).isNotEmpty();
        }
    }

    @Test
    void bundledListMatchesTheTracesFolder() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("..", "traces", "openb-v2023"))) {
            List<String> onDisk = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("openb_pod_list_") && n.endsWith(".csv"))
                    .map(n -> n.substring(0, n.length() - 4)).sorted().toList();
            assertThat(OpenbTrace.BUNDLED_POD_LISTS).containsExactlyInAnyOrderElementsOf(onDisk);
        }
    }

    @Test
    void gpuSpecBecomesAnAllowedModelSetWithRepeatsIgnored() throws IOException {
        Path f = write("pods.csv", """
                name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos
                p1,4000,1024,1,500,V100M16|V100M32|V100M32,LS
                p2,4000,1024,1,500,,LS
                """);
        List<TracePod> pods = OpenbTrace.readPods(TraceSource.file(f));
        assertThat(pods.get(0).request().gpuModels()).isEqualTo(GpuModels.of("V100M16", "V100M32"));
        assertThat(pods.get(1).request().gpuModels()).isEqualTo(GpuModels.ANY);
    }

    static Stream<Arguments> malformedPodLists() {
        String header = "name,cpu_milli,memory_mib,num_gpu,gpu_milli\n";
        return Stream.of(
                Arguments.of("non-integer cpu", header + "p1,4000,1024,1,500\np2,four,1024,1,500\n", 3, 2,
                        "expected a non-negative integer for cpu_milli, found \"four\""),
                Arguments.of("negative memory", header + "p1,4000,-5,0,0\n", 2, 3,
                        "expected a non-negative integer for memory_mib, found -5"),
                Arguments.of("missing field", header + "p1,4000,1024,1\n", 2, 5, "expected 5 fields"),
                Arguments.of("fraction over 1000", header + "p1,4000,1024,1,1500\n", 2, 5,
                        "expected gpu_milli within 1..1000"),
                Arguments.of("fraction on many GPUs", header + "p1,4000,1024,2,500\n", 2, 5,
                        "expected gpu_milli 1000 for a pod with 2 GPUs"),
                Arguments.of("milli without GPUs", header + "p1,4000,1024,0,300\n", 2, 5, "expected gpu_milli 0"),
                Arguments.of("duplicate pod", header + "p1,4000,1024,0,0\np1,4000,1024,0,0\n", 3, 1,
                        "duplicate pod name \"p1\""),
                Arguments.of("missing column", "name,cpu_milli,memory_mib,num_gpu\np1,1,1,0\n", 1, 0,
                        "missing column \"gpu_milli\""),
                Arguments.of("quoted field", header + "\"p1\",4000,1024,0,0\n", 2, 1, "quoted fields are not supported"),
                Arguments.of("empty file", "", 1, 0, "empty file"),
                Arguments.of("header only", header, 2, 0, "expected at least one pod"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedPodLists")
    void malformedPodListNamesFileLineAndColumn(String name, String content, int line, int column, String problem)
            throws IOException {
        Path f = write("bad.csv", content);
        assertThatThrownBy(() -> OpenbTrace.readPods(TraceSource.file(f)))
                .isInstanceOfSatisfying(TraceFormatException.class, e -> {
                    assertThat(e.file()).isEqualTo(f.toString());
                    assertThat(e.line()).isEqualTo(line);
                    assertThat(e.column()).isEqualTo(column);
                    assertThat(e.problem()).contains(problem);
                    assertThat(e.getMessage()).startsWith(f + ":" + line + ":" + column + ": ");
                });
    }

    @Test
    void malformedNodeListIsRejected() throws IOException {
        Path f = write("nodes.csv", "sn,cpu_milli,memory_mib,gpu,model\nn1,64000,1024,8,\n");
        assertThatThrownBy(() -> OpenbTrace.readNodes(TraceSource.file(f)))
                .isInstanceOf(TraceFormatException.class)
                .hasMessageContaining(":2:5: expected a GPU model for a node with 8 GPUs");
    }

    @Test
    void missingFileSaysSo() {
        Path f = dir.resolve("nope.csv");
        assertThatThrownBy(() -> OpenbTrace.readNodes(TraceSource.file(f)))
                .isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("no such file");
    }

    private Path write(String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        return f;
    }
}
