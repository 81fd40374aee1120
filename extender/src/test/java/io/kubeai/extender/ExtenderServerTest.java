package io.kubeai.extender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
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
import java.util.List;
import java.util.Map;
import io.fabric8.mockwebserver.http.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@EnableKubernetesMockClient(crud = true)
class ExtenderServerTest {
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
        client.nodes().resource(node("gpu-a", "64", "256Gi", 8, "A100")).create();
        client.nodes().resource(node("gpu-b", "64", "256Gi", 8, "A100")).create();
        client.nodes().resource(node("cpu-c", "32", "128Gi", 0, null)).create();
        client.pods().inNamespace("ml").resource(pod("running", "gpu-a", "8", "32Gi", 6, null)).create();
        client.pods().inNamespace("ml").resource(pod("waiting", null, "4", "16Gi", 4, null)).create();
        cache = new ClusterCache(Clock.systemUTC(), Duration.ofSeconds(30)).start(client);
        await().atMost(Duration.ofSeconds(10)).until(cache::synced);
        vertx = Vertx.vertx();
        ExtenderService service = new ExtenderService(cache, client, PlacementBestFit::new);
        extender = new ExtenderServer(vertx, service, ExtenderServer.Options.defaults().withHost("127.0.0.1").withPort(0)
                .withBodyLimit(1024 * 1024)).start().await();
        base = "http://127.0.0.1:" + extender.port();
    }

    @AfterEach
    void stop() {
        extender.close();
        vertx.close().await();
        cache.close();
    }

    @Test
    void filterByNameKeepsNodesThePodFitsAndSaysWhyNotForTheOthers() throws Exception {
        String body = "{\"Pod\":" + serialization.asJson(pod("waiting", null, "4", "16Gi", 4, null))
                + ",\"NodeNames\":[\"gpu-a\",\"gpu-b\",\"cpu-c\",\"ghost\"]}";
        JsonNode r = post("/scheduler/filter", body, 200);
        assertThat(r.get("NodeNames").toString()).isEqualTo("[\"gpu-b\"]");
        // Short reasons in kube-scheduler's style, the same for every node that fails alike.
        assertThat(r.get("FailedNodes").get("gpu-a").asString()).isEqualTo("Insufficient nvidia.com/gpu");
        assertThat(r.get("FailedNodes").get("cpu-c").asString()).isEqualTo("Insufficient nvidia.com/gpu");
        assertThat(r.get("FailedAndUnresolvableNodes").get("ghost").asString())
                .isEqualTo("node(s) were not in the extender's cache");
        assertThat(r.has("Error")).isFalse();
    }

    @Test
    void filterLogsEachNodesOwnFiguresAtFine() throws Exception {
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(ExtenderService.class.getName());
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler h = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord rec) {
                lines.add(java.text.MessageFormat.format(rec.getMessage(), rec.getParameters()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        h.setLevel(java.util.logging.Level.FINE);
        java.util.logging.Level before = log.getLevel();
        log.setLevel(java.util.logging.Level.FINE);
        log.addHandler(h);
        try {
            post("/scheduler/filter", "{\"Pod\":" + serialization.asJson(pod("waiting", null, "4", "16Gi", 4, null))
                    + ",\"NodeNames\":[\"gpu-a\",\"gpu-b\"]}", 200);
        } finally {
            log.removeHandler(h);
            log.setLevel(before);
        }
        assertThat(lines).containsExactly("filter ml/waiting: node gpu-a has 2 of 8 GPUs with 1000 milli free, pod needs 4");
    }

    @Test
    void filterWithFullNodeObjectsAnswersWithNodeObjects() throws Exception {
        String nodes = serialization.asJson(Map.of("items", List.of(node("gpu-a", "64", "256Gi", 8, "A100"),
                node("gpu-b", "64", "256Gi", 8, "A100"))));
        String body = "{\"Pod\":" + serialization.asJson(pod("waiting", null, "4", "16Gi", 4, null)) + ",\"Nodes\":" + nodes + "}";
        JsonNode r = post("/scheduler/filter", body, 200);
        assertThat(r.get("Nodes").get("items")).hasSize(1);
        assertThat(r.get("Nodes").get("items").get(0).get("metadata").get("name").asString()).isEqualTo("gpu-b");
        assertThat(r.has("NodeNames")).isFalse();
    }

    @Test
    void filterAcceptsLowerCaseKeysAsGoDoes() throws Exception {
        String body = "{\"pod\":" + serialization.asJson(pod("waiting", null, "1", "1Gi", 0, null))
                + ",\"nodenames\":[\"cpu-c\"]}";
        JsonNode r = post("/scheduler/filter", body, 200);
        assertThat(r.get("NodeNames").toString()).isEqualTo("[\"cpu-c\"]");
    }

    @Test
    void aWrongGpuModelCannotBeResolvedByPreemption() throws Exception {
        String body = "{\"Pod\":" + serialization.asJson(pod("p", null, "1", "1Gi", 1, "H100"))
                + ",\"NodeNames\":[\"gpu-b\"]}";
        JsonNode r = post("/scheduler/filter", body, 200);
        assertThat(r.get("NodeNames")).isEmpty();
        assertThat(r.get("FailedAndUnresolvableNodes").get("gpu-b").asString())
                .isEqualTo("node(s) didn't match GPU model");
    }

    @Test
    void prioritizeScoresZeroToTen() throws Exception {
        String body = "{\"Pod\":" + serialization.asJson(pod("waiting", null, "4", "16Gi", 2, null))
                + ",\"NodeNames\":[\"gpu-a\",\"gpu-b\",\"cpu-c\"]}";
        JsonNode r = post("/scheduler/prioritize", body, 200);
        assertThat(r.toString()).isEqualTo(
                "[{\"Host\":\"gpu-a\",\"Score\":10},{\"Host\":\"gpu-b\",\"Score\":0},{\"Host\":\"cpu-c\",\"Score\":0}]");
    }

    @Test
    void bindCreatesTheBindingWritesTheDevicesAndAssumesThePod() throws Exception {
        server.expect().post().withPath("/api/v1/namespaces/ml/pods/waiting/binding").andReturn(201, "{}").once();
        String uid = client.pods().inNamespace("ml").withName("waiting").get().getMetadata().getUid();
        JsonNode r = post("/scheduler/bind", "{\"PodName\":\"waiting\",\"PodNamespace\":\"ml\",\"PodUID\":\"" + uid
                + "\",\"Node\":\"gpu-b\"}", 200);
        assertThat(r.has("Error")).as(r.toString()).isFalse();
        RecordedRequest last = server.getLastRequest();
        assertThat(last.getPath()).isEqualTo("/api/v1/namespaces/ml/pods/waiting/binding");
        JsonNode binding = mapper.readTree(last.getUtf8Body());
        assertThat(binding.get("target").get("name").asString()).isEqualTo("gpu-b");
        assertThat(binding.get("kind").asString()).isEqualTo("Binding");
        assertThat(client.pods().inNamespace("ml").withName("waiting").get().getMetadata().getAnnotations())
                .containsEntry(KubeAiNames.GPU_DEVICES, "0,1,2,3");
        assertThat(cache.assumedCount()).isEqualTo(1);
        // The assumed pod now holds 4 of gpu-b's GPUs.
        JsonNode again = post("/scheduler/filter", "{\"Pod\":" + serialization.asJson(pod("other", null, "1", "1Gi", 6, null))
                + ",\"NodeNames\":[\"gpu-b\"]}", 200);
        assertThat(again.get("NodeNames")).isEmpty();
    }

    @Test
    void aFailedBindingIsReportedAndForgotten() throws Exception {
        server.expect().post().withPath("/api/v1/namespaces/ml/pods/waiting/binding")
                .andReturn(409, "{\"kind\":\"Status\",\"message\":\"pod waiting is already assigned\"}").once();
        JsonNode r = post("/scheduler/bind", "{\"PodName\":\"waiting\",\"PodNamespace\":\"ml\",\"Node\":\"gpu-b\"}", 200);
        assertThat(r.get("Error").asString()).startsWith("binding pod ml/waiting to node gpu-b failed");
        assertThat(cache.assumedCount()).isZero();
    }

    @Test
    void bindOfAnUnknownPodSaysSo() throws Exception {
        JsonNode r = post("/scheduler/bind", "{\"PodName\":\"nope\",\"PodNamespace\":\"ml\",\"Node\":\"gpu-b\"}", 200);
        assertThat(r.get("Error").asString()).isEqualTo("pod ml/nope is not in the extender's cache");
    }

    @Test
    void preemptDropsANodeWhereAGangWouldBeBroken() throws Exception {
        Pod w0 = gangPod("w0", "gpu-a", "train");
        Pod w1 = gangPod("w1", "gpu-b", "train");
        Pod solo = pod("solo", "gpu-b", "1", "1Gi", 1, null);
        for (Pod p : List.of(w0, w1, solo)) {
            client.pods().inNamespace("ml").resource(p).create();
        }
        await().until(() -> cache.allPods().size() == 5);
        String u0 = uid("w0");
        String u1 = uid("w1");
        String us = uid("solo");
        String body = "{\"Pod\":" + serialization.asJson(pod("hi", null, "1", "1Gi", 8, null))
                + ",\"NodeNameToMetaVictims\":{\"gpu-a\":{\"Pods\":[{\"UID\":\"" + u0 + "\"}],\"NumPDBViolations\":0},"
                + "\"gpu-b\":{\"Pods\":[{\"UID\":\"" + us + "\"}],\"NumPDBViolations\":0}}}";
        JsonNode r = post("/scheduler/preempt", body, 200);
        // gpu-a would leave w1 of gang "train" running alone on gpu-b: dropped.
        assertThat(r.get("NodeNameToMetaVictims").has("gpu-a")).isFalse();
        assertThat(r.get("NodeNameToMetaVictims").get("gpu-b").get("Pods").toString()).isEqualTo("[{\"UID\":\"" + us + "\"}]");
        assertThat(u1).isNotBlank();
    }

    @Test
    void malformedJsonGetsAWellFormedError() throws Exception {
        JsonNode r = post("/scheduler/filter", "{\"Pod\": {", 200);
        assertThat(r.get("Error").asString()).startsWith("malformed ExtenderArgs:");
        JsonNode p = post("/scheduler/prioritize", "[1,2", 400);
        assertThat(p.get("Error").asString()).startsWith("malformed ExtenderArgs:");
    }

    @Test
    void emptyBodiesAndMissingFieldsAreNamed() throws Exception {
        assertThat(post("/scheduler/filter", "", 200).get("Error").asString()).isEqualTo("malformed ExtenderArgs: empty body");
        assertThat(post("/scheduler/filter", "{\"NodeNames\":[]}", 200).get("Error").asString())
                .isEqualTo("the request has no Pod");
        assertThat(post("/scheduler/filter", "{\"Pod\":{\"metadata\":{\"name\":\"x\"}}}", 200).get("Error").asString())
                .isEqualTo("the request has neither NodeNames nor Nodes");
        assertThat(post("/scheduler/prioritize", "{\"Pod\":{\"metadata\":{\"name\":\"x\"}}}", 400).get("Error").asString())
                .isEqualTo("the request has neither NodeNames nor Nodes");
    }

    @Test
    void aPodWithoutRequestsFitsAnyNodeAndAnEmptyListIsFine() throws Exception {
        JsonNode r = post("/scheduler/filter", "{\"Pod\":{\"metadata\":{\"name\":\"bare\",\"namespace\":\"ml\"},"
                + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}},\"NodeNames\":[\"gpu-a\",\"cpu-c\"]}", 200);
        assertThat(r.get("NodeNames").toString()).isEqualTo("[\"gpu-a\",\"cpu-c\"]");
        JsonNode empty = post("/scheduler/filter", "{\"Pod\":{\"metadata\":{\"name\":\"bare\"}},\"NodeNames\":[]}", 200);
        assertThat(empty.get("NodeNames")).isEmpty();
    }

    @Test
    void anUnreadableQuantityIsNamedWithItsField() throws Exception {
        String pod = "{\"metadata\":{\"name\":\"bad\",\"namespace\":\"ml\",\"annotations\":{\"kubeai.io/gpu-milli\":\"lots\"}},"
                + "\"spec\":{\"containers\":[{\"name\":\"c\",\"resources\":{\"limits\":{\"nvidia.com/gpu\":\"1\"}}}]}}";
        JsonNode r = post("/scheduler/filter", "{\"Pod\":" + pod + ",\"NodeNames\":[\"gpu-a\"]}", 200);
        assertThat(r.get("Error").asString())
                .isEqualTo("pod ml/bad metadata.annotations.kubeai.io/gpu-milli: expected an integer 1..1000, found \"lots\"");
    }

    @Test
    void aHugeBodyIsRefusedWithAnError() throws Exception {
        String big = "{\"Pod\":{},\"NodeNames\":[\"" + "x".repeat(2 * 1024 * 1024) + "\"]}";
        JsonNode r = post("/scheduler/filter", big, 413);
        assertThat(r.get("Error").asString()).contains("larger than 1048576 bytes");
    }

    @Test
    void healthReadinessAndMetrics() throws Exception {
        assertThat(get("/healthz").body()).isEqualTo("ok");
        assertThat(get("/readyz").statusCode()).isEqualTo(200);
        post("/scheduler/filter", "{\"Pod\":{\"metadata\":{\"name\":\"m\"}},\"NodeNames\":[\"gpu-a\"]}", 200);
        String metrics = get("/metrics").body();
        assertThat(metrics).contains("kubeai_extender_requests_total{code=\"200\",verb=\"filter\"}",
                "kubeai_extender_cache_nodes 3.0", "kubeai_extender_request_duration_seconds_bucket");
        assertThat(post("/scheduler/unknown", "{}", 404).get("Error").asString()).startsWith("no such path");
    }

    private JsonNode post(String path, String body, int expectedStatus) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(expectedStatus);
        assertThat(r.body()).doesNotContain("\tat ", "Exception:");
        return mapper.readTree(r.body());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private String uid(String name) {
        return client.pods().inNamespace("ml").withName(name).get().getMetadata().getUid();
    }

    static Node node(String name, String cpu, String memory, int gpus, String model) {
        Map<String, Quantity> alloc = new java.util.HashMap<>(Map.of("cpu", new Quantity(cpu), "memory",
                new Quantity(memory), "pods", new Quantity("110")));
        if (gpus > 0) {
            alloc.put(KubeAiNames.GPU_RESOURCE, new Quantity(String.valueOf(gpus)));
        }
        Node n = new NodeBuilder().withNewMetadata().withName(name).endMetadata().withNewStatus()
                .withAllocatable(alloc).endStatus().build();
        if (model != null) {
            n.getMetadata().setLabels(Map.of(KubeAiNames.GPU_PRODUCT_LABEL, model));
        }
        return n;
    }

    static Pod pod(String name, String node, String cpu, String memory, int gpus, String models) {
        PodBuilder b = new PodBuilder().withNewMetadata().withName(name).withNamespace("ml").endMetadata()
                .withNewSpec().withSchedulerName(KubeAiNames.SCHEDULER_NAME).withNodeName(node)
                .addNewContainer().withName("main").withImage("trainer").withNewResources()
                .addToRequests("cpu", new Quantity(cpu)).addToRequests("memory", new Quantity(memory)).endResources()
                .endContainer().endSpec();
        Pod p = b.build();
        if (gpus > 0) {
            p.getSpec().getContainers().get(0).getResources().setLimits(Map.of(KubeAiNames.GPU_RESOURCE,
                    new Quantity(String.valueOf(gpus))));
        }
        if (models != null) {
            p.getMetadata().setAnnotations(new java.util.HashMap<>(Map.of(KubeAiNames.GPU_MODELS, models)));
        }
        return p;
    }

    static Pod gangPod(String name, String node, String gang) {
        Pod p = pod(name, node, "1", "1Gi", 1, null);
        p.getMetadata().setLabels(Map.of(KubeAiNames.GANG, gang));
        return p;
    }
}
