package io.kubeai.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ElasticPolicyTest {
    private static Map<String, Object> doc(Map<String, Object> elastic) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("apiVersion", "kubeai.io/v1alpha1");
        d.put("kind", "SchedulingPolicy");
        d.put("elastic", elastic);
        return d;
    }

    @Test
    void withoutAnElasticSectionElasticCapacityIsOff() {
        SchedulingPolicy p = SchedulingPolicy.fromTree(Map.of("apiVersion", "kubeai.io/v1alpha1", "kind", "SchedulingPolicy"));
        assertThat(p.elastic()).isEqualTo(ElasticPolicy.DEFAULT);
        assertThat(p).isEqualTo(SchedulingPolicy.DEFAULT);
        assertThat(p.elastic().enabled()).isFalse();
        assertThat(p.elastic().lendIdleGpus()).isFalse();
        assertThat(p.elastic().resources().cpu()).isEqualTo("kubeai.io/elastic-cpu");
        assertThat(p.elastic().resources().memory()).isEqualTo("kubeai.io/elastic-memory");
    }

    private static Map<String, Object> withWebhookResources(Map<String, Object> doc, String cpu, String memory) {
        doc.put("webhook", Map.of("elastic", Map.of("resources", Map.of("cpu", cpu, "memory", memory))));
        return doc;
    }

    @Test
    void theWebhookMustMoveRequestsToTheResourcesTheControllerPublishes() {
        Map<String, Object> d = withWebhookResources(doc(Map.of("enabled", true, "resources",
                Map.of("cpu", "kubernetes.io/batch-cpu", "memory", "kubernetes.io/batch-memory"))),
                "kubernetes.io/batch-cpu", "kubeai.io/elastic-memory");
        assertThatThrownBy(() -> SchedulingPolicy.fromTree(d))
                .isInstanceOf(ConfigValidationException.class)
                .hasMessageContaining("webhook.elastic.resources.memory")
                .hasMessageContaining("must equal elastic.resources.memory (kubernetes.io/batch-memory)")
                .hasMessageNotContaining("webhook.elastic.resources.cpu");
    }

    @Test
    void withElasticCapacityOffTheWebhookMayFeedAnotherPublisher() {
        // e.g. Koordinator's koordlet publishes kubernetes.io/batch-cpu and our controller publishes nothing
        SchedulingPolicy p = SchedulingPolicy.fromTree(withWebhookResources(doc(Map.of("enabled", false)),
                "kubernetes.io/batch-cpu", "kubernetes.io/batch-memory"));
        assertThat(p.webhook().elastic().cpuResource()).isEqualTo("kubernetes.io/batch-cpu");
        assertThat(p.elastic().resources().cpu()).isEqualTo("kubeai.io/elastic-cpu");
    }

    @Test
    void aFullSectionIsReadIntoValues() {
        ElasticPolicy e = SchedulingPolicy.fromTree(withWebhookResources(doc(Map.ofEntries(
                Map.entry("enabled", true),
                Map.entry("intervalSeconds", 30),
                Map.entry("reclaimThresholdPercent", 70),
                Map.entry("memoryPolicy", "Request"),
                Map.entry("metricsMaxAgeSeconds", 120),
                Map.entry("hysteresisPercent", 2.5),
                Map.entry("maxStepPercent", 20),
                Map.entry("reclaim", Map.of("enabled", false, "maxEvictionsPerInterval", 2)),
                Map.entry("resources", Map.of("cpu", "kubernetes.io/batch-cpu", "memory", "kubernetes.io/batch-memory")),
                Map.entry("lendIdleGpus", true),
                Map.entry("idleGpu", Map.of("maxUtilPercent", 1, "minFreeMemoryMiB", 20_000, "idleForSeconds", 1800)),
                Map.entry("gpuTelemetry", Map.of("namespace", "monitoring", "labelSelector",
                        "app.kubernetes.io/name=dcgm-exporter, team = gpu", "port", 9401, "path", "/metrics",
                        "timeoutMillis", 1500)))), "kubernetes.io/batch-cpu", "kubernetes.io/batch-memory")).elastic();
        assertThat(e).isEqualTo(new ElasticPolicy(true, 30, 70, 70, ElasticPolicy.MemoryPolicy.REQUEST, 120, 2.5, 20,
                new ElasticPolicy.Reclaim(false, 2),
                new ElasticPolicy.ResourceNames("kubernetes.io/batch-cpu", "kubernetes.io/batch-memory",
                        "kubeai.io/elastic-gpu"),
                true, new ElasticPolicy.IdleGpu(1, 20_000, 1800),
                new ElasticPolicy.GpuTelemetry("monitoring", Map.of("app.kubernetes.io/name", "dcgm-exporter", "team", "gpu"),
                        9401, "/metrics", 1500)));
    }

    @Test
    void memoryKeepsItsOwnThresholdWhenSet() {
        ElasticPolicy e = SchedulingPolicy.fromTree(doc(Map.of("reclaimThresholdPercent", 70,
                "memoryReclaimThresholdPercent", 50))).elastic();
        assertThat(e.cpuReclaimThresholdPercent()).isEqualTo(70);
        assertThat(e.memoryReclaimThresholdPercent()).isEqualTo(50);
    }

    @Test
    void everyErrorInTheElasticSectionIsReportedWithItsPath() {
        assertThatThrownBy(() -> SchedulingPolicy.fromTree(doc(Map.ofEntries(
                Map.entry("enabled", "yes"),
                Map.entry("intervalSeconds", 2),
                Map.entry("reclaimThresholdPercent", 120),
                Map.entry("memoryPolicy", "maxUsageRequest"),
                Map.entry("hysteresisPercent", 60),
                Map.entry("maxStepPercent", 0),
                Map.entry("burst", true),
                Map.entry("reclaim", Map.of("maxEvictionsPerInterval", -1)),
                Map.entry("resources", Map.of("cpu", "cpu", "memory", "batch memory", "gpu", "kubeai.io/elastic-cpu")),
                Map.entry("idleGpu", Map.of("maxUtilPercent", 101)),
                Map.entry("gpuTelemetry", Map.of("namespace", "GPU_Operator", "labelSelector", "app in (dcgm)",
                        "path", "metrics", "timeoutMillis", 60_000)))))).isInstanceOfSatisfying(
                ConfigValidationException.class, ex -> assertThat(ex.errors()).extracting(ValidationError::toString)
                        .containsExactlyInAnyOrder(
                                "elastic.enabled: expected true or false, found \"yes\"",
                                "elastic.intervalSeconds: must be within 5..3600, was 2",
                                "elastic.reclaimThresholdPercent: must be within 0..100, was 120",
                                "elastic.memoryPolicy: \"maxUsageRequest\" is not one of [usage, request]",
                                "elastic.hysteresisPercent: must be within 0.0..50.0, was 60.0",
                                "elastic.maxStepPercent: must be above 0: a step of 0 would never publish anything",
                                "elastic.burst: unknown field; expected one of [enabled, gpuTelemetry, hysteresisPercent,"
                                        + " idleGpu, intervalSeconds, lendIdleGpus, maxStepPercent, memoryPolicy,"
                                        + " memoryReclaimThresholdPercent, metricsMaxAgeSeconds, reclaim,"
                                        + " reclaimThresholdPercent, resources]",
                                "elastic.reclaim.maxEvictionsPerInterval: must be within 0..10000, was -1",
                                "elastic.resources.cpu: \"cpu\" is a resource Kubernetes or the device plugin already"
                                        + " counts; elastic capacity needs a name of its own, such as kubeai.io/elastic-cpu",
                                "elastic.resources.memory: \"batch memory\" is not an extended resource name (domain/name,"
                                        + " e.g. kubeai.io/elastic-memory)",
                                "elastic.resources.gpu: \"kubeai.io/elastic-cpu\" is already the name of cpu; each"
                                        + " resource needs its own name",
                                "elastic.idleGpu.maxUtilPercent: must be within 0..100, was 101",
                                "elastic.gpuTelemetry.namespace: \"GPU_Operator\" is not a namespace name",
                                "elastic.gpuTelemetry.labelSelector: \"app in (dcgm)\" is not a selector of label=value"
                                        + " pairs separated by commas",
                                "elastic.gpuTelemetry.path: \"metrics\" is not an absolute URL path",
                                "elastic.gpuTelemetry.timeoutMillis: must be shorter than intervalSeconds (60 s), was"
                                        + " 60000 ms: a scrape must end before the next one starts"));
    }

    @Test
    void metricsMayNotGoStaleWithinOneInterval() {
        assertThatThrownBy(() -> SchedulingPolicy.fromTree(doc(Map.of("intervalSeconds", 120, "metricsMaxAgeSeconds", 60))))
                .isInstanceOfSatisfying(ConfigValidationException.class, ex -> assertThat(ex.errors())
                        .extracting(ValidationError::toString).containsExactly("elastic.metricsMaxAgeSeconds: must be at"
                                + " least intervalSeconds (120), was 60: GPU telemetry scraped in one interval is read in"
                                + " the next and would always be stale"));
    }

    @Test
    void aSectionThatIsNotAMappingIsNamed() {
        assertThatThrownBy(() -> SchedulingPolicy.fromTree(doc(Map.of("resources", List.of("a/b")))))
                .isInstanceOfSatisfying(ConfigValidationException.class, ex -> assertThat(ex.errors())
                        .extracting(ValidationError::toString).containsExactly("elastic.resources: expected a mapping,"
                                + " found a list"));
    }
}
