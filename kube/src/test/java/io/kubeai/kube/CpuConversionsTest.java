package io.kubeai.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kubeai.core.cpu.CpuPinningMode;
import io.kubeai.core.cpu.CpuSet;
import io.kubeai.core.cpu.CpuTopology;
import io.kubeai.core.cpu.SiblingNumbering;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CpuConversionsTest {

    /** What node-feature-discovery's topology-updater publishes for a 2-socket, 2 × 16-CPU machine. */
    static final String NRT_TWO_NUMA = """
            apiVersion: topology.node.k8s.io/v1alpha2
            kind: NodeResourceTopology
            metadata:
              name: worker-a
            attributes:
            - {name: topologyManagerPolicy, value: single-numa-node}
            - {name: topologyManagerScope, value: pod}
            topologyPolicies: [SingleNUMANodePodLevel]
            zones:
            - name: node-1
              type: Node
              costs: [{name: node-0, value: 21}, {name: node-1, value: 10}]
              resources:
              - {name: cpu, capacity: "16", allocatable: "16", available: "10"}
              - {name: memory, capacity: 64Gi, allocatable: 63Gi, available: 40Gi}
            - name: node-0
              type: Node
              resources:
              - {name: cpu, capacity: "16", allocatable: "14", available: "14"}
              - {name: nvidia.com/gpu, capacity: "4", allocatable: "4", available: "4"}
            """;

    static GenericKubernetesResource nrt(String yaml) {
        return Serialization.unmarshal(yaml, GenericKubernetesResource.class);
    }

    static Node node(String name, String cpuCapacity, String cpuAllocatable, Map<String, String> labels,
            Map<String, String> annotations) {
        return new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).withAnnotations(annotations)
                .endMetadata().withNewStatus().withCapacity(Map.of("cpu", new Quantity(cpuCapacity)))
                .withAllocatable(Map.of("cpu", new Quantity(cpuAllocatable))).endStatus().build();
    }

    @Test
    void nodeResourceTopologyGivesNumaNodesReservedAndAvailableCpus() {
        Node n = node("worker-a", "32", "30", Map.of(KubeAiNames.NFD_SMT_LABEL, "true"), Map.of());
        NodeCpuTopology t = CpuConversions.topology(n, nrt(NRT_TWO_NUMA)).orElseThrow();
        // Zones are ordered by the number their names end with, not as listed.
        assertThat(t.topology()).isEqualTo(CpuTopology.uniform(1, 2, 8, 2, SiblingNumbering.SPREAD));
        assertThat(t.topology().cpusInNuma(0)).hasToString("0-7,16-23");
        // node-0 keeps 2 CPUs for the system: its lowest core.
        assertThat(t.reserved()).hasToString("0,16");
        assertThat(t.reportedFree()).isEqualTo(Map.of(0, 14, 1, 10));
        assertThat(t.source()).isEqualTo("NodeResourceTopology worker-a");
        assertThat(t.singleNumaNode()).isTrue();
        // node-1 says 10 free where no pod we know holds any: 6 are held by pods we cannot see.
        assertThat(t.newState().availability().free().intersect(t.topology().cpusInNuma(1))).hasToString("8-12,24-28");
    }

    @Test
    void theAnnotationAddsSocketsAndNumberingAndMustAgreeWithTheZones() {
        Node ok = node("worker-a", "32", "30", Map.of(), Map.of(KubeAiNames.CPU_TOPOLOGY,
                "sockets=2,numa=1,cores=8,threads=2,siblings=adjacent"));
        NodeCpuTopology t = CpuConversions.topology(ok, nrt(NRT_TWO_NUMA)).orElseThrow();
        assertThat(t.topology()).isEqualTo(CpuTopology.uniform(2, 1, 8, 2, SiblingNumbering.ADJACENT));
        assertThat(t.reserved()).hasToString("0-1");

        Node wrong = node("worker-a", "32", "30", Map.of(), Map.of(KubeAiNames.CPU_TOPOLOGY,
                "sockets=2,numa=2,cores=4,threads=2"));
        assertThatThrownBy(() -> CpuConversions.topology(wrong, nrt(NRT_TWO_NUMA)))
                .isInstanceOf(InvalidObjectException.class)
                .hasMessage("node worker-a metadata.annotations.kubeai.io/cpu-topology: \"sockets=2,numa=2,cores=4,threads=2\""
                        + " describes 4 NUMA nodes of 8 CPUs, NodeResourceTopology worker-a has 2 of [16, 16]");
    }

    @Test
    void withoutSmtInformationTheThreadsPerCoreAreUnknown() {
        Node n = node("worker-a", "32", "32", Map.of(), Map.of());
        assertThatThrownBy(() -> CpuConversions.topology(n, nrt(NRT_TWO_NUMA)))
                .hasMessage("node worker-a: threads per core unknown: NodeResourceTopology worker-a does not say, and the node has"
                        + " neither the feature.node.kubernetes.io/cpu-hardware_multithreading label nor a"
                        + " kubeai.io/cpu-topology annotation");
        Node noSmt = node("worker-a", "32", "32", Map.of(KubeAiNames.NFD_SMT_LABEL, "false"), Map.of());
        assertThat(CpuConversions.topology(noSmt, nrt(NRT_TWO_NUMA)).orElseThrow().topology().threadsPerCore()).isOne();
    }

    @Test
    void theTopologyManagerPolicyComesFromTheAttributesOrTheDeprecatedPolicies() {
        assertThat(CpuConversions.singleNumaNode(nrt("""
                kind: NodeResourceTopology
                metadata: {name: w}
                attributes: [{name: topologyManagerPolicy, value: best-effort}]
                topologyPolicies: [SingleNUMANodeContainerLevel]
                """))).isFalse();
        assertThat(CpuConversions.singleNumaNode(nrt("""
                kind: NodeResourceTopology
                metadata: {name: w}
                topologyPolicies: [SingleNUMANodePodLevel]
                """))).isTrue();
        assertThat(CpuConversions.singleNumaNode(nrt("""
                kind: NodeResourceTopology
                metadata: {name: w}
                """))).isFalse();
    }

    @Test
    void socketZonesAreTheParentsOfNumaZones() {
        String yaml = """
                apiVersion: topology.node.k8s.io/v1alpha2
                kind: NodeResourceTopology
                metadata: {name: w}
                zones:
                - {name: socket-0, type: Socket}
                - {name: socket-1, type: Socket}
                - {name: node-0, type: Node, parent: socket-0, resources: [{name: cpu, capacity: "4", allocatable: "4", available: "4"}]}
                - {name: node-1, type: Node, parent: socket-1, resources: [{name: cpu, capacity: "4", allocatable: "4", available: "4"}]}
                """;
        Node n = node("w", "8", "8", Map.of(KubeAiNames.NFD_SMT_LABEL, "false"), Map.of());
        CpuTopology t = CpuConversions.topology(n, nrt(yaml)).orElseThrow().topology();
        assertThat(t.socketCount()).isEqualTo(2);
        assertThat(t.numaNodesInSocket(1)).containsExactly(1);
    }

    @Test
    void unreadableZonesAreNamed() {
        Node n = node("w", "8", "8", Map.of(KubeAiNames.NFD_SMT_LABEL, "true"), Map.of());
        assertThatThrownBy(() -> CpuConversions.topology(n, nrt("""
                apiVersion: topology.node.k8s.io/v1alpha2
                kind: NodeResourceTopology
                metadata: {name: w}
                zones:
                - {name: node-0, type: Node, resources: [{name: memory, capacity: 1Gi}]}
                """))).hasMessage("NodeResourceTopology w zones[0] (node-0): no cpu resource");
        assertThatThrownBy(() -> CpuConversions.topology(n, nrt("""
                apiVersion: topology.node.k8s.io/v1alpha2
                kind: NodeResourceTopology
                metadata: {name: w}
                zones:
                - {name: node-0, type: Node, resources: [{name: cpu, capacity: 7500m}]}
                """))).hasMessage("NodeResourceTopology w zones[0] (node-0) resources.cpu.capacity: \"7500m\" is not a whole number of CPUs");
        assertThatThrownBy(() -> CpuConversions.topology(n, nrt("""
                apiVersion: topology.node.k8s.io/v1alpha2
                kind: NodeResourceTopology
                metadata: {name: w}
                zones:
                - {name: node-0, type: Node, resources: [{name: cpu, capacity: "7"}]}
                """))).hasMessage("NodeResourceTopology w: NUMA node 0 has 7 CPUs, not a whole number of cores of 2 threads");
        assertThatThrownBy(() -> CpuConversions.topology(n, nrt("""
                apiVersion: topology.node.k8s.io/v1alpha2
                kind: NodeResourceTopology
                metadata: {name: w}
                zones: []
                """))).hasMessage("NodeResourceTopology w: no zone of type Node");
    }

    @Test
    void theAnnotationAloneDescribesTheMachineAndTheNodeReservesItsLowestCores() {
        Node n = node("c", "32", "29500m", Map.of(), Map.of(KubeAiNames.CPU_TOPOLOGY, "sockets=2,numa=2,cores=4,threads=2"));
        NodeCpuTopology t = CpuConversions.topology(n, null).orElseThrow();
        assertThat(t.topology()).isEqualTo(CpuTopology.uniform(2, 2, 4, 2, SiblingNumbering.SPREAD));
        assertThat(t.reserved()).hasToString("0-1,16");
        assertThat(t.reportedFree()).isNull();
        assertThat(CpuConversions.topology(node("c", "32", "32", Map.of(), Map.of()), null)).isEmpty();
        Node wrong = node("c", "64", "64", Map.of(), Map.of(KubeAiNames.CPU_TOPOLOGY, "sockets=2,numa=2,cores=4,threads=2"));
        assertThatThrownBy(() -> CpuConversions.topology(wrong, null)).hasMessage("node c metadata.annotations.kubeai.io/"
                + "cpu-topology: \"sockets=2,numa=2,cores=4,threads=2\" describes 32 CPUs, status.capacity.cpu is 64");
        Node bad = node("c", "32", "32", Map.of(), Map.of(KubeAiNames.CPU_TOPOLOGY, "sockets=2"));
        assertThatThrownBy(() -> CpuConversions.topology(bad, null)).hasMessage(
                "node c metadata.annotations.kubeai.io/cpu-topology: \"sockets=2\" at 9: missing numa=<n>");
    }

    static Pod pod(String pinning, List<String[]> containers) {
        PodBuilder b = new PodBuilder().withNewMetadata().withName("p").withNamespace("ml").endMetadata().withNewSpec().endSpec();
        Pod p = b.build();
        if (pinning != null) {
            p.getMetadata().setAnnotations(new HashMap<>(Map.of(KubeAiNames.CPU_PINNING, pinning)));
        }
        for (String[] c : containers) {
            ContainerBuilder cb = new ContainerBuilder().withName(c[0]).withNewResources().endResources();
            var ct = cb.build();
            if (c[1] != null) {
                ct.getResources().setLimits(Map.of("cpu", new Quantity(c[1]), "memory", new Quantity("1Gi")));
            }
            if (c[2] != null) {
                ct.getResources().setRequests(Map.of("cpu", new Quantity(c[2]), "memory", new Quantity("1Gi")));
            }
            p.getSpec().getContainers().add(ct);
        }
        return p;
    }

    @Test
    void aPinnedPodNeedsGuaranteedWholeCpus() {
        assertThat(CpuConversions.pinning(pod(null, List.of(new String[][] {{"main", "4", null}}))))
                .isEqualTo(new PodCpuPinning(CpuPinningMode.NONE, 0, null));
        assertThat(CpuConversions.pinning(pod("numa", List.<String[]>of(new String[] {"main", "4", null},
                new String[] {"sidecar", "500m", "500m"}))))
                .isEqualTo(new PodCpuPinning(CpuPinningMode.NUMA, 4, null));
        assertThat(CpuConversions.pinning(pod("exclusive", List.<String[]>of(new String[] {"a", "2", "2"},
                new String[] {"b", "2", null})))).isEqualTo(new PodCpuPinning(CpuPinningMode.EXCLUSIVE, 4, null));
        assertThat(CpuConversions.pinning(pod("numa", List.<String[]>of(new String[] {"main", "4", "2"}))).notPinnable())
                .isEqualTo("pod ml/p asks for kubeai.io/cpu-pinning=numa, but container main requests 2 cpu with a limit of 4:"
                        + " kubelet pins CPUs only for Guaranteed pods (requests = limits)");
        assertThat(CpuConversions.pinning(pod("numa", List.<String[]>of(new String[] {"main", null, "2"}))).notPinnable())
                .isEqualTo("pod ml/p asks for kubeai.io/cpu-pinning=numa, but container main has no cpu limit:"
                        + " kubelet pins CPUs only for Guaranteed pods (requests = limits)");
        assertThat(CpuConversions.pinning(pod("numa", List.<String[]>of(new String[] {"main", "1500m", null}))).notPinnable())
                .isEqualTo("pod ml/p asks for kubeai.io/cpu-pinning=numa, but no container requests whole CPUs (cpu: 2, not 1500m)");
        assertThatThrownBy(() -> CpuConversions.pinning(pod("all", List.of())))
                .isInstanceOf(InvalidObjectException.class)
                .hasMessage("pod ml/p metadata.annotations.kubeai.io/cpu-pinning: \"all\" is not one of none, exclusive, numa");
    }

    @Test
    void theCpusetAnnotationIsReadBack() {
        Pod p = pod(null, List.of());
        assertThat(CpuConversions.cpuset(p)).isEmpty();
        p.getMetadata().setAnnotations(Map.of(KubeAiNames.CPUSET, "2-3,18-19"));
        assertThat(CpuConversions.cpuset(p)).isEqualTo(Optional.of(CpuSet.parse("2-3,18-19")));
        p.getMetadata().setAnnotations(Map.of(KubeAiNames.CPUSET, "2-"));
        assertThatThrownBy(() -> CpuConversions.cpuset(p)).hasMessage(
                "pod ml/p metadata.annotations.kubeai.io/cpuset: \"2-\" at 0: \"\" is not a CPU id (0..8191)");
    }
}
