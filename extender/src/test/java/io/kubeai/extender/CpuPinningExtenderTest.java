package io.kubeai.extender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.kubeai.core.placement.PlacementBestFit;
import io.kubeai.kube.ClusterCache;
import io.kubeai.kube.KubeAiNames;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Filter, prioritize and bind of pods with {@code kubeai.io/cpu-pinning} over HTTP, against the
 * fabric8 mock API server. Every node has 16 CPUs: 2 NUMA nodes × 4 cores × 2 threads, siblings
 * 8 apart (NUMA 0 = {@code 0-3,8-11}, NUMA 1 = {@code 4-7,12-15}).
 *
 * <ul>
 *   <li>numa-a: topology from its NodeResourceTopology (kubelet runs {@code single-numa-node})
 *       and NFD's SMT label; runs a-0 on {@code 0-1,8-9} (NUMA 0) and a-1 on {@code 4-5,12-13}
 *       (NUMA 1): 4 CPUs free on each.
 *   <li>numa-b: topology from the {@code kubeai.io/cpu-topology} annotation, idle.
 *   <li>quad: 4 NUMA nodes of 4 CPUs (annotation), idle.
 *   <li>plain: no CPU topology at all.
 * </ul>
 */
@EnableKubernetesMockClient(crud = true)
class CpuPinningExtenderTest {
    static final ResourceDefinitionContext NRT = new ResourceDefinitionContext.Builder()
            .withGroup("topology.node.k8s.io").withVersion("v1alpha2").withKind("NodeResourceTopology")
            .withPlural("noderesourcetopologies").withNamespaced(false).build();

    KubernetesMockServer server;
    KubernetesClient client;

    private final KubernetesSerialization serialization = new KubernetesSerialization();
    private final JsonMapper mapper = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newHttpClient();
    private Vertx vertx;
    private ClusterCache cache;
    private ExtenderServer extender;
    private String base;

    @BeforeEach
    void start() {
        client.nodes().resource(node("numa-a", Map.of(KubeAiNames.NFD_SMT_LABEL, "true"), Map.of())).create();
        client.nodes().resource(node("numa-b", Map.of(), Map.of(KubeAiNames.CPU_TOPOLOGY, "sockets=1,numa=2,cores=4,threads=2")))
                .create();
        client.nodes().resource(node("quad", Map.of(), Map.of(KubeAiNames.CPU_TOPOLOGY, "sockets=1,numa=4,cores=2,threads=2")))
                .create();
        client.nodes().resource(node("plain", Map.of(), Map.of())).create();
        client.genericKubernetesResources(NRT).resource(Serialization.unmarshal("""
                apiVersion: topology.node.k8s.io/v1alpha2
                kind: NodeResourceTopology
                metadata: {name: numa-a}
                attributes:
                - {name: topologyManagerPolicy, value: single-numa-node}
                zones:
                - {name: node-0, type: Node, resources: [{name: cpu, capacity: "8", allocatable: "8", available: "4"}]}
                - {name: node-1, type: Node, resources: [{name: cpu, capacity: "8", allocatable: "8", available: "4"}]}
                """, GenericKubernetesResource.class)).create();
        client.pods().inNamespace("ml").resource(pod("a-0", "numa-a", "numa", "4", "0-1,8-9")).create();
        client.pods().inNamespace("ml").resource(pod("a-1", "numa-a", "exclusive", "4", "4-5,12-13")).create();
        client.pods().inNamespace("ml").resource(pod("p4", null, "numa", "4", null)).create();
        client.pods().inNamespace("ml").resource(pod("q4", null, "numa", "4", null)).create();
        cache = new ClusterCache(Clock.systemUTC(), Duration.ofSeconds(30)).start(client);
        await().atMost(Duration.ofSeconds(10)).until(cache::synced);
        await().atMost(Duration.ofSeconds(10)).until(() -> cache.cpuPinning().node("numa-a")
                .map(s -> s.availability().free().size() == 8).orElse(false));
        vertx = Vertx.vertx();
        ExtenderService service = new ExtenderService(cache, client, PlacementBestFit::new);
        extender = new ExtenderServer(vertx, service, ExtenderServer.Options.defaults().withHost("127.0.0.1").withPort(0))
                .start().await();
        base = "http://127.0.0.1:" + extender.port();
    }

    @AfterEach
    void stop() {
        extender.close();
        vertx.close().await();
        cache.close();
    }

    @Test
    void filterKeepsNodesWhereThePodGetsOneNumaNodeAndSaysWhyNotElsewhere() throws Exception {
        JsonNode r = filter(pod("p6", null, "numa", "6", null), "numa-a", "numa-b", "quad", "plain");
        assertThat(r.get("NodeNames").toString()).isEqualTo("[\"numa-b\"]");
        // Evicting a pinned pod would help on numa-a; nothing helps on quad or plain.
        assertThat(r.get("FailedNodes").get("numa-a").asString()).isEqualTo("Insufficient pinnable cpu");
        assertThat(r.get("FailedAndUnresolvableNodes").get("quad").asString())
                .isEqualTo("node(s) couldn't pin the pod's cpus even when idle");
        assertThat(r.get("FailedAndUnresolvableNodes").get("plain").asString())
                .isEqualTo("node(s) didn't publish a CPU topology");
        assertThat(r.has("Error")).isFalse();
    }

    @Test
    void anExclusivePodSpansNumaNodesUnlessKubeletThereRunsSingleNumaNode() throws Exception {
        JsonNode r = filter(pod("e6", null, "exclusive", "6", null), "numa-a", "quad");
        assertThat(r.get("NodeNames").toString()).isEqualTo("[\"quad\"]");
        assertThat(r.get("FailedNodes").get("numa-a").asString()).isEqualTo("Insufficient pinnable cpu");
    }

    @Test
    void anOddCountUnderFullCoresAndAPodKubeletWouldNotPinAreUnresolvable() throws Exception {
        JsonNode odd = filter(pod("o3", null, "numa", "3", null), "numa-b");
        assertThat(odd.get("FailedAndUnresolvableNodes").get("numa-b").asString())
                .isEqualTo("node(s) couldn't pin the pod's cpus even when idle");
        JsonNode frac = filter(pod("f", null, "numa", "1500m", null), "numa-a", "numa-b");
        assertThat(frac.get("NodeNames")).isEmpty();
        assertThat(frac.get("FailedAndUnresolvableNodes").get("numa-b").asString())
                .isEqualTo("pod ml/f asks for kubeai.io/cpu-pinning=numa, but no container requests whole CPUs (cpu: 2, not 1500m)");
    }

    @Test
    void anUnknownPinningValueIsAnError() throws Exception {
        JsonNode r = filter(pod("x", null, "dedicated", "2", null), "numa-b");
        assertThat(r.get("Error").asString())
                .isEqualTo("pod ml/x metadata.annotations.kubeai.io/cpu-pinning: \"dedicated\" is not one of none, exclusive, numa");
        JsonNode p = post("/scheduler/prioritize", "{\"Pod\":" + serialization.asJson(pod("x", null, "dedicated", "2", null))
                + ",\"NodeNames\":[\"numa-b\"]}", 400);
        assertThat(p.get("Error").asString()).startsWith("pod ml/x metadata.annotations.kubeai.io/cpu-pinning");
    }

    @Test
    void unpinnedPodsAreUntouched() throws Exception {
        JsonNode r = filter(pod("u", null, null, "6", null), "numa-a", "plain");
        assertThat(r.get("NodeNames").toString()).isEqualTo("[\"numa-a\",\"plain\"]");
    }

    @Test
    void prioritizePrefersOneNumaNodeWithTheLeastLeftOver() throws Exception {
        // 4 CPUs: numa-a fills a NUMA node exactly (1000), numa-b leaves 4 of 8 (750), plain does not fit.
        JsonNode r = post("/scheduler/prioritize", "{\"Pod\":" + serialization.asJson(pod("p4", null, "numa", "4", null))
                + ",\"NodeNames\":[\"numa-b\",\"numa-a\",\"plain\"]}", 200);
        assertThat(r.toString()).isEqualTo(
                "[{\"Host\":\"numa-b\",\"Score\":0},{\"Host\":\"numa-a\",\"Score\":10},{\"Host\":\"plain\",\"Score\":0}]");
        // 10 CPUs, exclusive: quad spans 3 NUMA nodes, numa-b 2.
        JsonNode e = post("/scheduler/prioritize", "{\"Pod\":" + serialization.asJson(pod("e10", null, "exclusive", "10", null))
                + ",\"NodeNames\":[\"quad\",\"numa-b\"]}", 200);
        assertThat(e.toString()).isEqualTo("[{\"Host\":\"quad\",\"Score\":0},{\"Host\":\"numa-b\",\"Score\":10}]");
    }

    @Test
    void bindWritesTheCpusetBeforeTheBindingAndHoldsTheCpus() throws Exception {
        server.expect().post().withPath("/api/v1/namespaces/ml/pods/p4/binding").andReturn(201, "{}").once();
        server.expect().post().withPath("/api/v1/namespaces/ml/pods/q4/binding").andReturn(201, "{}").once();
        drainRequests();
        JsonNode r = post("/scheduler/bind", "{\"PodName\":\"p4\",\"PodNamespace\":\"ml\",\"Node\":\"numa-a\"}", 200);
        assertThat(r.has("Error")).as(r.toString()).isFalse();
        assertThat(client.pods().inNamespace("ml").withName("p4").get().getMetadata().getAnnotations())
                .containsEntry(KubeAiNames.CPUSET, "2-3,10-11");
        List<String> calls = drainRequests();
        assertThat(calls.indexOf("PATCH /api/v1/namespaces/ml/pods/p4")).as(calls.toString())
                .isNotNegative().isLessThan(calls.indexOf("POST /api/v1/namespaces/ml/pods/p4/binding"));
        // The next pod does not get the same CPUs.
        post("/scheduler/bind", "{\"PodName\":\"q4\",\"PodNamespace\":\"ml\",\"Node\":\"numa-a\"}", 200);
        assertThat(client.pods().inNamespace("ml").withName("q4").get().getMetadata().getAnnotations())
                .containsEntry(KubeAiNames.CPUSET, "6-7,14-15");
        assertThat(cache.cpuPinning().node("numa-a").orElseThrow().availability().free().isEmpty()).isTrue();
        assertThat(cache.cpuPinning().assumedCount()).isEqualTo(2);
    }

    @Test
    void aFailedBindingGivesTheCpusBack() throws Exception {
        server.expect().post().withPath("/api/v1/namespaces/ml/pods/p4/binding")
                .andReturn(409, "{\"kind\":\"Status\",\"message\":\"pod p4 is already assigned\"}").once();
        JsonNode r = post("/scheduler/bind", "{\"PodName\":\"p4\",\"PodNamespace\":\"ml\",\"Node\":\"numa-b\"}", 200);
        assertThat(r.get("Error").asString()).startsWith("binding pod ml/p4 to node numa-b failed");
        assertThat(cache.cpuPinning().assumedCount()).isZero();
        assertThat(cache.cpuPinning().node("numa-b").orElseThrow().availability().free().size()).isEqualTo(16);
    }

    @Test
    void bindRefusesANodeWhereThePodCannotGetItsCpus() throws Exception {
        JsonNode r = post("/scheduler/bind", "{\"PodName\":\"p4\",\"PodNamespace\":\"ml\",\"Node\":\"plain\"}", 200);
        assertThat(r.get("Error").asString()).isEqualTo("pod ml/p4 cannot get its CPUs on node plain: node plain publishes"
                + " no CPU topology (no NodeResourceTopology and no kubeai.io/cpu-topology annotation)");
        assertThat(cache.assumedCount()).isZero();
    }

    private JsonNode filter(Pod pod, String... nodes) throws Exception {
        return post("/scheduler/filter", "{\"Pod\":" + serialization.asJson(pod) + ",\"NodeNames\":"
                + serialization.asJson(List.of(nodes)) + "}", 200);
    }

    private List<String> drainRequests() throws InterruptedException {
        List<String> out = new ArrayList<>();
        RecordedRequest req;
        while ((req = server.takeRequest(200, TimeUnit.MILLISECONDS)) != null) {
            String path = req.getPath();
            int q = path.indexOf('?');
            out.add(req.getMethod() + " " + (q < 0 ? path : path.substring(0, q)));
        }
        return out;
    }

    private JsonNode post(String path, String body, int expectedStatus) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(expectedStatus);
        assertThat(r.body()).doesNotContain("\tat ", "Exception:");
        return mapper.readTree(r.body());
    }

    static Node node(String name, Map<String, String> labels, Map<String, String> annotations) {
        Map<String, Quantity> resources = Map.of("cpu", new Quantity("16"), "memory", new Quantity("64Gi"), "pods",
                new Quantity("110"));
        return new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).withAnnotations(annotations)
                .endMetadata().withNewStatus().withCapacity(resources).withAllocatable(resources).endStatus().build();
    }

    /** A Guaranteed pod with {@code cpu} CPUs, pinned as {@code pinning} (none when null), holding {@code cpuset} if bound. */
    static Pod pod(String name, String node, String pinning, String cpu, String cpuset) {
        Map<String, String> ann = new HashMap<>();
        if (pinning != null) {
            ann.put(KubeAiNames.CPU_PINNING, pinning);
        }
        if (cpuset != null) {
            ann.put(KubeAiNames.CPUSET, cpuset);
        }
        Map<String, Quantity> limits = Map.of("cpu", new Quantity(cpu), "memory", new Quantity("4Gi"));
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("ml").withAnnotations(ann).endMetadata()
                .withNewSpec().withSchedulerName(KubeAiNames.SCHEDULER_NAME).withNodeName(node)
                .addNewContainer().withName("main").withImage("trainer").withNewResources().withLimits(limits)
                .withRequests(limits).endResources().endContainer().endSpec().build();
    }
}
