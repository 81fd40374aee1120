package io.kubeai.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kubeai.core.cpu.CpuAllocPolicies;
import io.kubeai.core.cpu.CpuFit;
import io.kubeai.core.cpu.CpuRequest;
import io.kubeai.core.cpu.CpuSet;
import io.kubeai.core.cpu.NodeCpuState;
import io.kubeai.core.cpu.NumaAffinity;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class CpuPinningCacheTest {
    static final String SMALL = "sockets=1,numa=2,cores=2,threads=2"; // NUMA 0 = 0-1,4-5; NUMA 1 = 2-3,6-7

    KubernetesMockServer server;
    KubernetesClient client;

    static Node node(String name, String topology) {
        Map<String, String> ann = topology == null ? Map.of() : Map.of(KubeAiNames.CPU_TOPOLOGY, topology);
        return new NodeBuilder().withNewMetadata().withName(name).withAnnotations(ann).endMetadata().withNewStatus()
                .withCapacity(Map.of("cpu", new Quantity("8"), "memory", new Quantity("32Gi")))
                .withAllocatable(Map.of("cpu", new Quantity("8"), "memory", new Quantity("32Gi"))).endStatus().build();
    }

    static Pod pinned(String name, String node, String cpuset, String phase) {
        Map<String, String> ann = new HashMap<>(Map.of(KubeAiNames.CPU_PINNING, "numa"));
        if (cpuset != null) {
            ann.put(KubeAiNames.CPUSET, cpuset);
        }
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("ml").withAnnotations(ann).endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("c").withNewResources()
                .withLimits(Map.of("cpu", new Quantity("2"), "memory", new Quantity("1Gi"))).endResources().endContainer()
                .endSpec().withNewStatus().withPhase(phase).endStatus().build();
    }

    private static CpuSet free(CpuPinningCache c, String node) {
        return c.node(node).map(s -> s.availability().free()).orElseThrow();
    }

    @Test
    void boundPodsHoldTheCpusTheirAnnotationNamesUntilTheyFinishOrGo() {
        CpuPinningCache c = new CpuPinningCache();
        c.upsertNode(node("n1", SMALL));
        c.upsertPod(pinned("a", "n1", "0,4", "Running"));
        c.upsertPod(pinned("b", null, "1,5", "Pending")); // not bound: holds nothing
        c.upsertPod(pinned("c", "n1", null, "Running"));  // no cpuset: holds nothing
        assertThat(free(c, "n1")).hasToString("1-3,5-7");
        c.upsertPod(pinned("a", "n1", "0,4", "Succeeded"));
        assertThat(free(c, "n1")).hasToString("0-7");
        c.upsertPod(pinned("b", "n1", "1,5", "Running"));
        c.deletePod("ml/b");
        assertThat(free(c, "n1")).hasToString("0-7");
    }

    @Test
    void podsSeenBeforeTheirNodeAreHeldOnceItComesAndAcrossTopologyChanges() {
        CpuPinningCache c = new CpuPinningCache();
        c.upsertPod(pinned("a", "n1", "2,6", "Running"));
        assertThat(c.node("n1")).isEmpty();
        assertThat(c.<String>read(v -> v.problem("n1"))).isEqualTo("node n1 publishes no CPU topology (no NodeResourceTopology"
                + " and no kubeai.io/cpu-topology annotation)");
        c.upsertNode(node("n1", SMALL));
        assertThat(free(c, "n1")).hasToString("0-1,3-5,7");
        c.upsertNode(node("n1", "sockets=1,numa=1,cores=4,threads=2"));
        assertThat(c.node("n1").orElseThrow().topology().numaCount()).isOne();
        assertThat(free(c, "n1")).hasToString("0-1,3-5,7");
        c.upsertNode(node("n1", "sockets=1,numa=1,cores=4,threads=3"));
        assertThat(c.node("n1")).isEmpty();
        assertThat(c.<String>read(v -> v.problem("n1"))).isEqualTo("node n1 metadata.annotations.kubeai.io/cpu-topology:"
                + " \"sockets=1,numa=1,cores=4,threads=3\" describes 12 CPUs, status.capacity.cpu is 8");
    }

    @Test
    void aReservationHoldsItsCpusUntilTheBindingIsSeenOrForgotten() {
        CpuPinningCache c = new CpuPinningCache();
        c.upsertNode(node("n1", SMALL));
        CpuRequest two = CpuRequest.exclusive(2, NumaAffinity.REQUIRED);
        CpuFit x = c.reserve("ml/x", "n1", two, CpuAllocPolicies.DEFAULT);
        assertThat(x.cpus()).hasToString("0,4");
        assertThat(c.assumedCount()).isOne();
        // A second reservation does not get the same CPUs; asking again keeps what it has.
        assertThat(c.reserve("ml/y", "n1", two, CpuAllocPolicies.DEFAULT).cpus()).hasToString("1,5");
        assertThat(c.reserve("ml/x", "n1", two, CpuAllocPolicies.DEFAULT).cpus()).hasToString("0,4");
        // The binding is seen: no longer an assumption, still held.
        c.upsertPod(pinned("x", "n1", "0,4", "Running"));
        assertThat(c.assumedCount()).isOne();
        c.forget("ml/x");
        assertThat(free(c, "n1")).hasToString("2-3,6-7");
        // y's binding failed.
        c.forget("ml/y");
        assertThat(free(c, "n1")).hasToString("1-3,5-7");
        assertThat(c.reserve("ml/z", "ghost", two, CpuAllocPolicies.DEFAULT).reason()).startsWith("node ghost publishes no CPU topology");
        CpuFit big = c.reserve("ml/z", "n1", CpuRequest.exclusive(6, NumaAffinity.REQUIRED), CpuAllocPolicies.DEFAULT);
        assertThat(big.reason()).isEqualTo("no NUMA node has 6 CPUs free in whole physical cores: the most is 4 on NUMA node 1");
        assertThat(c.assumedCount()).isZero();
    }

    @Test
    void theClusterCacheFeedsItAndForgetsExpiredAssumptions() {
        java.util.concurrent.atomic.AtomicReference<java.time.Instant> now =
                new java.util.concurrent.atomic.AtomicReference<>(java.time.Instant.parse("2026-11-29T10:00:00Z"));
        ClusterCache cache = new ClusterCache(now::get, Duration.ofSeconds(30));
        cache.upsertNode(node("n1", SMALL));
        cache.upsertPod(pinned("a", "n1", "0,4", "Running"));
        assertThat(free(cache.cpuPinning(), "n1")).hasToString("1-3,5-7");
        cache.cpuPinning().reserve("ml/b", "n1", CpuRequest.exclusive(2, NumaAffinity.REQUIRED), CpuAllocPolicies.DEFAULT);
        cache.assume("ml/b", "n1", io.kubeai.core.resource.PodRequest.cpuOnly(2000, 0), 0);
        assertThat(free(cache.cpuPinning(), "n1")).hasToString("2-3,6-7");
        now.set(now.get().plusSeconds(31));
        assertThat(cache.expireAssumptions()).isOne();
        assertThat(free(cache.cpuPinning(), "n1")).hasToString("1-3,5-7");
        cache.deletePod("ml/a");
        cache.deleteNode("n1");
        assertThat(cache.cpuPinning().node("n1")).isEmpty();
    }

    static GenericKubernetesResource nrt(String node, int available0, int available1) {
        return Serialization.unmarshal("""
                apiVersion: topology.node.k8s.io/v1alpha2
                kind: NodeResourceTopology
                metadata: {name: %s}
                zones:
                - {name: node-0, type: Node, resources: [{name: cpu, capacity: "4", allocatable: "4", available: "%d"}]}
                - {name: node-1, type: Node, resources: [{name: cpu, capacity: "4", allocatable: "4", available: "%d"}]}
                """.formatted(node, available0, available1), GenericKubernetesResource.class);
    }

    @Test
    void underSingleNumaNodeAReservationNeverSpansNumaNodes() {
        CpuPinningCache c = new CpuPinningCache();
        Node n = node("n2", null);
        n.getMetadata().setLabels(Map.of(KubeAiNames.NFD_SMT_LABEL, "true"));
        c.upsertNode(n);
        GenericKubernetesResource r = nrt("n2", 4, 4);
        CpuRequest six = CpuRequest.exclusive(6, NumaAffinity.PREFERRED);
        c.upsertNrt(r);
        assertThat(c.reserve("ml/a", "n2", six, CpuAllocPolicies.DEFAULT).cpus()).hasToString("0-2,4-6");
        c.forget("ml/a");
        r.getAdditionalProperties().put("attributes", java.util.List.of(Map.of("name", "topologyManagerPolicy",
                "value", "single-numa-node")));
        c.upsertNrt(r);
        assertThat(c.<Boolean>read(v -> v.singleNumaNode("n2"))).isTrue();
        assertThat(c.reserve("ml/a", "n2", six, CpuAllocPolicies.DEFAULT).reason())
                .isEqualTo("no NUMA node has 6 CPUs free in whole physical cores: the most is 4 on NUMA node 0");
    }

    @Test
    void nodeResourceTopologyObjectsAreWatchedAndOverrideNothingButAgree() {
        client.nodes().resource(node("n1", SMALL)).create();
        client.nodes().resource(node("n2", null)).create();
        client.genericKubernetesResources(CpuPinningCache.NRT).resource(nrt("n2", 4, 4)).create();
        try (ClusterCache cache = new ClusterCache(Clock.systemUTC(), Duration.ofSeconds(30)).start(client)) {
            await().atMost(Duration.ofSeconds(10)).until(cache::synced);
            // n2 has only the NodeResourceTopology and no SMT information: not usable.
            await().until(() -> cache.cpuPinning().read(v -> v.problems().containsKey("n2")));
            Node n2 = client.nodes().withName("n2").get();
            n2.getMetadata().setLabels(Map.of(KubeAiNames.NFD_SMT_LABEL, "true"));
            client.nodes().resource(n2).update();
            await().until(() -> cache.cpuPinning().node("n2").isPresent());
            assertThat(cache.cpuPinning().node("n2").map(NodeCpuState::reportedFree).orElseThrow()).isEqualTo(Map.of(0, 4, 1, 4));
            // The exporter sees 2 CPUs of NUMA node 1 taken by a pod we do not know.
            client.genericKubernetesResources(CpuPinningCache.NRT).resource(nrt("n2", 4, 2)).update();
            await().until(() -> free(cache.cpuPinning(), "n2").size() == 6);
            assertThat(free(cache.cpuPinning(), "n2")).hasToString("0-2,4-6");
            client.genericKubernetesResources(CpuPinningCache.NRT).withName("n2").delete();
            await().until(() -> cache.cpuPinning().node("n2").isEmpty());
            assertThat(cache.cpuPinning().node("n1")).isPresent();
        }
    }

    @Test
    void aClusterWithoutTheNodeResourceTopologyCrdStillSyncs() {
        server.expect().get().withPath("/apis/topology.node.k8s.io/v1alpha2/noderesourcetopologies?resourceVersion=0")
                .andReturn(404, "{\"kind\":\"Status\",\"code\":404,\"message\":\"the server could not find the requested resource\"}")
                .always();
        client.nodes().resource(node("n1", SMALL)).create();
        client.pods().inNamespace("ml").resource(pinned("a", "n1", "0,4", "Running")).create();
        try (ClusterCache cache = new ClusterCache(Clock.systemUTC(), Duration.ofSeconds(30)).start(client)) {
            await().atMost(Duration.ofSeconds(10)).until(cache::synced);
            await().until(() -> cache.cpuPinning().node("n1").isPresent() && free(cache.cpuPinning(), "n1").size() == 6);
            assertThat(free(cache.cpuPinning(), "n1")).hasToString("1-3,5-7");
        }
    }
}
