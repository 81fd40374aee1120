package io.kubeai.quota;

import static io.kubeai.quota.ElasticFixture.NOW;
import static io.kubeai.quota.ElasticFixture.nodeMetrics;
import static io.kubeai.quota.ElasticFixture.podMetrics;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.kubeai.core.placement.PlacementBestFit;
import io.kubeai.extender.ExtenderService;
import io.kubeai.extender.wire.ExtenderArgs;
import io.kubeai.extender.wire.ExtenderFilterResult;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The elastic publisher and reclaimer against the fabric8 mock API server: node status patched
 * through the status subresource, the metrics API answered with metrics-server's JSON,
 * evictions through the Eviction API, and the extender fitting elastic pods against what was
 * published.
 */
@EnableKubernetesMockClient(crud = true)
class ElasticControllerTest {
    static final String CPU = "kubeai.io/elastic-cpu";
    static final String MEMORY = "kubeai.io/elastic-memory";
    static final String GPU = "kubeai.io/elastic-gpu";
    static final long GI = 1L << 30;

    KubernetesMockServer server;
    KubernetesClient client;
    ElasticFixture f;

    @BeforeEach
    void setUp() {
        f = new ElasticFixture(server, client);
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    /** shop/web online on cpu-a; ml/train-0 elastic on cpu-a; cpu-b empty. Recorded metrics. */
    private void recordedCluster() {
        f.node("cpu-a", Map.of());
        f.node("cpu-b", Map.of());
        f.pod("shop", "web-6d4cf56db6-x7x2k", "cpu-a", Map.of("app", "web"), Map.of("cpu", "8", "memory", "32Gi"), 1000,
                "2025-03-01T01:00:00Z");
        f.pod("ml", "train-0", "cpu-a", Map.of("kubeai.io/elastic", "true"), Map.of(CPU, "4000", MEMORY, "8Gi"), 0,
                "2025-03-01T02:00:00Z");
    }

    @Test
    void publishesKoordinatorsFormulaOnNodeStatusAndTheExtenderFitsElasticPodsAgainstIt() {
        recordedCluster();
        f.start(ElasticFixture.policy(100, 5, false, 9400));
        f.metricsOnce(ElasticFixture.resource("/metrics/node-metrics.json"),
                ElasticFixture.resource("/metrics/pod-metrics.json"));
        f.runner.runOnce();

        // cpu-a: 64 000m − 25 600m kept back − system (9 002m − 6 001m web − 2 000m train) − 6 001m web.
        long cpuA = 64_000 - 25_600 - 1_001 - 6_001;
        // memory: 256Gi − 35 % kept back (rounded up) − system (40Gi − web − 4Gi) − web (24Gi + 128Mi).
        long reserve = (256 * GI * 35 + 99) / 100;
        long memA = 256 * GI - reserve - (40 * GI - (24 * GI + (128L << 20)) - 4 * GI) - (24 * GI + (128L << 20));
        assertThat(f.published("cpu-a", CPU)).containsExactly(String.valueOf(cpuA), String.valueOf(cpuA));
        assertThat(f.published("cpu-a", MEMORY)).containsExactly(String.valueOf(memA), String.valueOf(memA));
        assertThat(f.published("cpu-b", CPU)).containsExactly("36900", "36900");
        assertThat(f.published("cpu-a", GPU)).as("GPU lending is off").containsExactly(null, null);
        assertThat(f.metrics.scrape()).contains("kubeai_elastic_published{node=\"cpu-a\",resource=\"cpu\"} " + cpuA + ".0");

        // kube-scheduler's extender: elastic pods fit what is published, less what elastic pods hold.
        f.awaitCached("cpu-a", CPU, cpuA);
        ExtenderService extender = new ExtenderService(f.cache, client, PlacementBestFit::new);
        long free = cpuA - 4_000;
        ExtenderFilterResult fits = extender.filter(new ExtenderArgs(elasticPod("fits", free), null, List.of("cpu-a")));
        assertThat(fits.nodeNames()).containsExactly("cpu-a");
        ExtenderFilterResult tooBig = extender.filter(new ExtenderArgs(elasticPod("too-big", free + 1), null,
                List.of("cpu-a", "cpu-b")));
        assertThat(tooBig.nodeNames()).containsExactly("cpu-b");
        assertThat(tooBig.failedNodes().get("cpu-a")).isEqualTo("Insufficient " + CPU);
    }

    @Test
    void patchesANodeOnlyWhenItsFigureMovesBeyondTheHysteresis() {
        f.node("cpu-a", Map.of());
        f.pod("shop", "web", "cpu-a", Map.of(), Map.of("cpu", "8"), 1000, "2025-03-01T01:00:00Z");
        f.start(ElasticFixture.policy(100, 5, false, 9400));
        f.metricsOnce(nodeMetrics(NOW, "cpu-a", "4000m", "20Gi"), podMetrics(NOW, "shop/web", "4000m", "16Gi"));
        f.runner.runOnce();
        f.awaitCached("cpu-a", CPU, 38_400 - 4_000);
        f.requests();

        // 1 000m more: inside the band of 3 200m (5 % of 64 cores), nothing is written.
        f.now.set(NOW.plusSeconds(60));
        f.metricsOnce(nodeMetrics(NOW.plusSeconds(50), "cpu-a", "5000m", "20Gi"),
                podMetrics(NOW.plusSeconds(50), "shop/web", "5000m", "16Gi"));
        f.runner.runOnce();
        assertThat(f.requests()).noneMatch(r -> r.startsWith("PATCH /api/v1/nodes/"));
        assertThat(f.published("cpu-a", CPU)).containsExactly("34400", "34400");

        // 10 000m more: written, once.
        f.now.set(NOW.plusSeconds(120));
        f.metricsOnce(nodeMetrics(NOW.plusSeconds(110), "cpu-a", "14000m", "20Gi"),
                podMetrics(NOW.plusSeconds(110), "shop/web", "14000m", "16Gi"));
        f.runner.runOnce();
        assertThat(f.requests()).filteredOn(r -> r.startsWith("PATCH /api/v1/nodes/"))
                .containsExactly("PATCH /api/v1/nodes/cpu-a/status");
        assertThat(f.published("cpu-a", CPU)).containsExactly("24400", "24400");
    }

    @Test
    void staleMetricsTakeElasticCapacityAwayButEvictNothing() {
        f.node("cpu-a", Map.of(CPU, "30000", MEMORY, String.valueOf(100 * GI)));
        f.pod("ml", "job", "cpu-a", Map.of(), Map.of(CPU, "30000"), 0, "2025-03-01T02:00:00Z");
        f.start(ElasticFixture.policy(10, 5, false, 9400));
        f.metricsOnce(nodeMetrics(NOW.minusSeconds(600), "cpu-a", "1000m", "4Gi"),
                podMetrics(NOW.minusSeconds(600), "ml/job", "1000m", "4Gi"));
        f.requests();
        f.runner.runOnce();
        assertThat(f.published("cpu-a", CPU)).containsExactly(null, null);
        assertThat(f.published("cpu-a", MEMORY)).containsExactly(null, null);
        assertThat(f.requests()).noneMatch(r -> r.contains("/eviction"));
        assertThat(f.metrics.scrape()).contains("kubeai_elastic_unknown{node=\"cpu-a\",resource=\"cpu\"} 1");

        // metrics-server gone altogether: the same.
        server.expect().get().withPath(ElasticFixture.NODE_METRICS).andReturn(503, "unavailable").once();
        server.expect().get().withPath(ElasticFixture.POD_METRICS).andReturn(503, "unavailable").once();
        f.runner.runOnce();
        assertThat(f.requests()).noneMatch(r -> r.contains("/eviction"));
    }

    @Test
    void reclaimEvictsLowestPriorityAndYoungestFirstWithinTheBudgetAndSaysWhy() {
        f.node("cpu-a", Map.of(CPU, "38400"));
        f.pod("shop", "web", "cpu-a", Map.of(), Map.of("cpu", "60"), 1000, "2025-03-01T00:00:00Z");
        f.pod("ml", "job-a", "cpu-a", Map.of(), Map.of(CPU, "9000"), 0, "2025-03-01T01:00:00Z");
        f.pod("ml", "job-b", "cpu-a", Map.of(), Map.of(CPU, "9000"), 0, "2025-03-01T02:00:00Z");
        f.pod("ml", "job-c", "cpu-a", Map.of(), Map.of(CPU, "9000"), 10, "2025-03-01T03:00:00Z");
        f.pod("ml", "job-d", "cpu-a", Map.of(), Map.of(CPU, "9000"), 0, "2025-03-01T03:30:00Z");
        for (String p : List.of("job-a", "job-b", "job-c", "job-d")) {
            server.expect().post().withPath("/api/v1/namespaces/ml/pods/" + p + "/eviction").andReturn(201, "{}").always();
        }
        // The online service takes 60 cores: nothing is left to lend.
        f.start(ElasticFixture.policy(100, 2, false, 9400));
        f.metricsOnce(nodeMetrics(NOW, "cpu-a", "61000m", "100Gi"), podMetrics(NOW, "shop/web", "60000m", "90Gi"));
        f.requests();
        f.runner.runOnce();

        assertThat(f.requests()).filteredOn(r -> r.endsWith("/eviction")).containsExactly(
                "POST /api/v1/namespaces/ml/pods/job-d/eviction", "POST /api/v1/namespaces/ml/pods/job-b/eviction");
        assertThat(f.published("cpu-a", CPU)).containsExactly(null, null);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(f.events("ml"))
                .extracting(e -> e.getInvolvedObject().getName() + " " + e.getReason() + " " + e.getType())
                .containsExactlyInAnyOrder("job-d ElasticReclaim Warning", "job-b ElasticReclaim Warning"));
        Event d = f.events("ml").stream().filter(e -> e.getInvolvedObject().getName().equals("job-d")).findFirst()
                .orElseThrow();
        assertThat(d.getMessage()).isEqualTo("node cpu-a lends 0m of kubeai.io/elastic-cpu now but its elastic pods hold"
                + " 36000m: evicting ml/job-d (priority 0, started 2025-03-01T03:30:00Z), lowest priority and youngest first");
        assertThat(d.getInvolvedObject().getKind()).isEqualTo("Pod");
        assertThat(f.metrics.scrape()).contains("kubeai_elastic_evictions_total{node=\"cpu-a\"} 2.0")
                .contains("kubeai_elastic_reclaim_deferred_nodes 1.0");

        // Next interval: the two being evicted (still there, terminating) are neither evicted again nor
        // counted; the other two go.
        f.now.set(NOW.plusSeconds(60));
        f.metricsOnce(nodeMetrics(NOW.plusSeconds(50), "cpu-a", "61000m", "100Gi"),
                podMetrics(NOW.plusSeconds(50), "shop/web", "60000m", "90Gi"));
        f.runner.runOnce();
        assertThat(f.requests()).filteredOn(r -> r.endsWith("/eviction")).containsExactly(
                "POST /api/v1/namespaces/ml/pods/job-a/eviction", "POST /api/v1/namespaces/ml/pods/job-c/eviction");
        assertThat(f.runner.controller().evicting()).containsOnlyKeys("ml/job-a", "ml/job-b", "ml/job-c", "ml/job-d");

        // Once a pod is gone it is forgotten.
        client.pods().inNamespace("ml").withName("job-d").delete();
        await().atMost(Duration.ofSeconds(10)).until(() -> f.cache.pod("ml/job-d").isEmpty());
        f.now.set(NOW.plusSeconds(120));
        f.metricsOnce(nodeMetrics(NOW.plusSeconds(110), "cpu-a", "61000m", "100Gi"),
                podMetrics(NOW.plusSeconds(110), "shop/web", "60000m", "90Gi"));
        f.runner.runOnce();
        assertThat(f.runner.controller().evicting()).containsOnlyKeys("ml/job-a", "ml/job-b", "ml/job-c");
    }

    @Test
    void aSharpDropIsTakenBackStepByStep() {
        f.node("cpu-a", Map.of(CPU, "38400"));
        f.pod("shop", "web", "cpu-a", Map.of(), Map.of("cpu", "60"), 1000, "2025-03-01T00:00:00Z");
        for (int i = 0; i < 6; i++) {
            f.pod("ml", "job-" + i, "cpu-a", Map.of(), Map.of(CPU, "6000"), 0, "2025-03-01T0" + i + ":00:00Z");
            server.expect().post().withPath("/api/v1/namespaces/ml/pods/job-" + i + "/eviction").andReturn(201, "{}")
                    .always();
        }
        f.start(ElasticFixture.policy(10, 5, false, 9400));
        f.requests();
        for (int interval = 0; interval < 2; interval++) {
            java.time.Instant t = NOW.plusSeconds(60L * interval);
            f.now.set(t);
            f.metricsOnce(nodeMetrics(t, "cpu-a", "61000m", "100Gi"), podMetrics(t, "shop/web", "60000m", "90Gi"));
            f.runner.runOnce();
        }
        // 38 400m → 32 000m → 25 600m: one pod (the youngest) per step, not six at once.
        assertThat(f.published("cpu-a", CPU)).containsExactly("25600", "25600");
        assertThat(f.requests()).filteredOn(r -> r.endsWith("/eviction")).containsExactly(
                "POST /api/v1/namespaces/ml/pods/job-5/eviction", "POST /api/v1/namespaces/ml/pods/job-4/eviction");
    }

    @Test
    void anEvictionAPodDisruptionBudgetRefusesIsSaidAndRetriedNextInterval() {
        f.node("cpu-a", Map.of(CPU, "10000"));
        f.pod("shop", "web", "cpu-a", Map.of(), Map.of("cpu", "60"), 1000, "2025-03-01T00:00:00Z");
        f.pod("ml", "guarded", "cpu-a", Map.of(), Map.of(CPU, "9000"), 0, "2025-03-01T01:00:00Z");
        server.expect().post().withPath("/api/v1/namespaces/ml/pods/guarded/eviction").andReturn(429,
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"Cannot evict pod as it"
                        + " would violate the pod's disruption budget.\",\"reason\":\"TooManyRequests\",\"code\":429}")
                .always();
        f.start(ElasticFixture.policy(100, 5, false, 9400));
        f.requests();
        for (int interval = 0; interval < 2; interval++) {
            f.metricsOnce(nodeMetrics(NOW, "cpu-a", "61000m", "100Gi"), podMetrics(NOW, "shop/web", "60000m", "90Gi"));
            f.runner.runOnce();
        }
        assertThat(f.requests()).filteredOn(r -> r.endsWith("/eviction")).hasSize(2);
        assertThat(f.runner.controller().evicting()).isEmpty();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(f.events("ml")).isNotEmpty()
                .allSatisfy(e -> {
                    assertThat(e.getReason()).isEqualTo("ElasticReclaimBlocked");
                    assertThat(e.getMessage()).endsWith("; the eviction was refused (a PodDisruptionBudget forbids it"
                            + " now) and is retried next interval");
                }));
    }

    @Test
    void idleGpusOfOnlineServicesAreLentWhenTheOperatorTurnsItOn() throws Exception {
        HttpServer exporter = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] scrape = ElasticFixture.resource("/dcgm/a100-4gpu-pod-mapping.txt").getBytes(StandardCharsets.UTF_8);
        exporter.createContext("/metrics", x -> {
            x.sendResponseHeaders(200, scrape.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(scrape);
            }
        });
        exporter.start();
        try {
            f.node("gpu-node-07", Map.of("nvidia.com/gpu", "4"));
            f.pod("ml", "infer-0", "gpu-node-07", Map.of(), Map.of("cpu", "4", "nvidia.com/gpu", "2"), 1000,
                    "2025-03-01T00:00:00Z");
            f.pod("recsys", "ranker-7f9c-2xk4q", "gpu-node-07", Map.of(), Map.of("cpu", "2", "nvidia.com/gpu", "1"), 1000,
                    "2025-03-01T00:00:00Z");
            // dcgm-exporter's DaemonSet pod on the node, answering on the loopback.
            f.pod("gpu-operator", "nvidia-dcgm-exporter-x8k2f", "gpu-node-07", Map.of("app", "nvidia-dcgm-exporter"),
                    Map.of(), 0, "2025-03-01T00:00:00Z");
            f.start(ElasticFixture.policy(100, 5, true, exporter.getAddress().getPort()));
            f.metricsOnce(nodeMetrics(NOW, "gpu-node-07", "7000m", "30Gi"), podMetrics(NOW));
            f.runner.runOnce();
            // The first interval only started the scrape: nothing known yet, nothing lent.
            assertThat(f.published("gpu-node-07", GPU)).containsExactly(null, null);
            await().atMost(Duration.ofSeconds(10)).until(() -> f.runner.controller().gpuTelemetry()
                    .containsKey("gpu-node-07"));

            f.now.set(NOW.plusSeconds(60));
            f.metricsOnce(nodeMetrics(NOW.plusSeconds(50), "gpu-node-07", "7000m", "30Gi"), podMetrics(NOW));
            f.runner.runOnce();
            // GPU 0 (ml/infer-0, 0 %) and GPU 3 (recsys/ranker, 3 %) are idle; GPU 1 is busy, GPU 2 no one's.
            assertThat(f.published("gpu-node-07", GPU)).containsExactly("2", "2");
        } finally {
            exporter.stop(0);
        }
    }

    @Test
    void nothingRunsWhileAnotherReplicaLeads() {
        f.node("cpu-a", Map.of());
        f.start(ElasticFixture.policy(100, 5, false, 9400));
        f.runner.close();
        f.runner = ElasticRunner.create(client, f.cache, f.clock, ElasticFixture.policy(100, 5, false, 9400),
                new ControllerMetrics(), () -> false);
        f.requests();
        f.runner.runOnce();
        assertThat(f.requests()).noneMatch(r -> r.contains("metrics.k8s.io") || r.startsWith("PATCH"));
    }

    private static Pod elasticPod(String name, long cpuMillis) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("ml").endMetadata().withNewSpec()
                .addNewContainer().withName("main").withNewResources().withRequests(Map.of(CPU,
                        new Quantity(String.valueOf(cpuMillis)))).endResources().endContainer().endSpec().build();
    }
}
