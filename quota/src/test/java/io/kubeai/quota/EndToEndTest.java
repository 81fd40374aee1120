package io.kubeai.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubeai.core.placement.PlacementBestFit;
import io.kubeai.extender.ExtenderServer;
import io.kubeai.extender.ExtenderService;
import io.kubeai.kube.KubeAiNames;
import io.kubeai.kube.KubeConversions;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The path of a pod in one JVM: gated pods in the (mock) API server, admitted whole by the
 * controller, then placed by calling the extender's filter, prioritize and bind as
 * kube-scheduler does; every pod ends bound to a node that holds it.
 */
@EnableKubernetesMockClient(crud = true)
class EndToEndTest {
    KubernetesMockServer server;
    KubernetesClient client;

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();
    private final KubernetesSerialization serialization = new KubernetesSerialization();

    @Test
    void gatedGangsAreAdmittedThenBoundThroughTheExtender() throws Exception {
        ControllerFixture f = new ControllerFixture(client);
        f.node("gpu-a", 4);
        f.node("gpu-b", 4);
        f.node("gpu-c", 4);
        f.queue("team", null, 12);
        f.podGroup("train", "team", 4, null);
        f.gangPods("train", "t", 4, "team", 2, 10);  // 8 GPUs: two nodes, first by priority
        f.gangPods(null, "solo", 1, "team", 1, 0);   // 1 GPU
        f.gangPods(null, "big", 1, "team", 4, 0);    // 4 GPUs: the third node, if solo goes elsewhere
        f.start();
        Vertx vertx = Vertx.vertx();
        ExtenderServer extender = new ExtenderServer(vertx, new ExtenderService(f.cache, client, PlacementBestFit::new),
                ExtenderServer.Options.defaults().withHost("127.0.0.1").withPort(0)).start().await();
        String base = "http://127.0.0.1:" + extender.port() + "/scheduler";
        try {
            // The controller admits what fits, whole.
            var cycle = f.cycle(6);
            assertThat(cycle.admitted()).extracting(a -> a.workload().id()).contains("ml/train");
            await().atMost(Duration.ofSeconds(10)).until(() -> f.cache.allPods().stream()
                    .filter(p -> !p.gated()).count() == cycle.admitted().stream()
                            .mapToInt(a -> a.pods().size()).sum());

            // kube-scheduler: every ungated pod goes through filter, prioritize and bind.
            List<String> nodes = List.of("gpu-a", "gpu-b", "gpu-c");
            List<Pod> ungated = client.pods().inNamespace("ml").list().getItems().stream()
                    .filter(p -> !ControllerFixture.gated(p)).toList();
            for (Pod pod : ungated) {
                String args = "{\"Pod\":" + serialization.asJson(pod) + ",\"NodeNames\":" + json.writeValueAsString(nodes) + "}";
                JsonNode filtered = post(base + "/filter", args);
                List<String> feasible = new ArrayList<>();
                filtered.get("NodeNames").forEach(n -> feasible.add(n.asString()));
                assertThat(feasible).as("filter of %s: %s", pod.getMetadata().getName(), filtered)
                        .containsExactly(pod.getMetadata().getAnnotations().get(KubeAiNames.PLANNED_NODE));
                JsonNode scores = post(base + "/prioritize", "{\"Pod\":" + serialization.asJson(pod) + ",\"NodeNames\":"
                        + json.writeValueAsString(feasible) + "}");
                String chosen = scores.get(0).get("Host").asString();
                String name = pod.getMetadata().getName();
                server.expect().post().withPath("/api/v1/namespaces/ml/pods/" + name + "/binding").andReturn(201, "{}").once();
                JsonNode bound = post(base + "/bind", "{\"PodName\":\"" + name + "\",\"PodNamespace\":\"ml\",\"PodUID\":\""
                        + pod.getMetadata().getUid() + "\",\"Node\":\"" + chosen + "\"}");
                assertThat(bound.has("Error")).as(bound.toString()).isFalse();
                // What the API server does on a binding (the mock does not): the pod gets its node.
                client.pods().inNamespace("ml").withName(name).edit(p -> {
                    p.getSpec().setNodeName(chosen);
                    return p;
                });
            }

            // Every bound pod sits on its planned node, and no node holds more than it has.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Map<String, Long> gpusByNode = new HashMap<>();
                for (Pod p : client.pods().inNamespace("ml").list().getItems()) {
                    if (p.getSpec().getNodeName() != null) {
                        assertThat(p.getSpec().getNodeName())
                                .isEqualTo(p.getMetadata().getAnnotations().get(KubeAiNames.PLANNED_NODE));
                        gpusByNode.merge(p.getSpec().getNodeName(), (long) KubeConversions.request(p).gpuCount(), Long::sum);
                    }
                }
                assertThat(gpusByNode.values()).allSatisfy(g -> assertThat(g).isLessThanOrEqualTo(4));
                assertThat(gpusByNode.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(
                        cycle.admitted().stream().mapToLong(a -> a.pods().stream().mapToLong(x -> x.request().gpuCount()).sum())
                                .sum());
            });
            assertThat(f.cache.<Long>read(s -> s.allocatedGpuMillis())).isLessThanOrEqualTo(12_000L);
        } finally {
            extender.close();
            vertx.close().await();
            f.close();
        }
    }

    private JsonNode post(String url, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json.readTree(r.body());
    }
}
