package io.kubeai.kube.elastic;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kubeai.core.config.ElasticPolicy;
import io.kubeai.core.elastic.ElasticAmounts;
import io.kubeai.core.elastic.ElasticCycle;
import io.kubeai.core.elastic.ElasticPod;
import io.kubeai.core.elastic.GpuTelemetry;
import io.kubeai.core.elastic.PodUsage;
import io.kubeai.core.elastic.Usage;
import io.kubeai.kube.CachedPod;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ElasticInputsTest {
    static final ElasticPolicy.ResourceNames NAMES = ElasticPolicy.DEFAULT.resources();
    static final Instant T = Instant.parse("2025-03-01T10:00:00Z");

    static Node node(String name, Map<String, String> capacity, Map<String, String> allocatable) {
        Map<String, Quantity> c = new HashMap<>();
        capacity.forEach((k, v) -> c.put(k, new Quantity(v)));
        Map<String, Quantity> a = new HashMap<>();
        allocatable.forEach((k, v) -> a.put(k, new Quantity(v)));
        return new NodeBuilder().withNewMetadata().withName(name).endMetadata().withNewStatus().withCapacity(c)
                .withAllocatable(a).endStatus().build();
    }

    static CachedPod pod(String name, String node, Map<String, String> labels, Map<String, String> requests, int priority,
            String started) {
        return CachedPod.of(fabric8Pod(name, node, labels, requests, priority, started));
    }

    static Pod fabric8Pod(String name, String node, Map<String, String> labels, Map<String, String> requests, int priority,
            String started) {
        Map<String, Quantity> r = new HashMap<>();
        requests.forEach((k, v) -> r.put(k, new Quantity(v)));
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("ml").withLabels(labels)
                .withCreationTimestamp("2025-03-01T00:00:00Z").endMetadata().withNewSpec().withNodeName(node)
                .withPriority(priority).addNewContainer().withName("c").withNewResources().withRequests(r).endResources()
                .endContainer().endSpec().withNewStatus().withPhase("Running").withStartTime(started).endStatus().build();
    }

    @Test
    void buildsEachNodesInputFromItsStatusItsPodsAndTheirMetrics() {
        Node n = node("cpu-a", Map.of("cpu", "64", "memory", "256Gi"), Map.of("cpu", "63", "memory", "250Gi",
                "kubeai.io/elastic-cpu", "20000", "kubeai.io/elastic-memory", "107374182400", "nvidia.com/gpu", "8"));
        CachedPod web = pod("web", "cpu-a", Map.of(), Map.of("cpu", "8", "memory", "16Gi"), 1000, "2025-03-01T01:00:00Z");
        CachedPod labelled = pod("job-a", "cpu-a", Map.of("kubeai.io/elastic", "true"), Map.of("cpu", "100m"), 0,
                "2025-03-01T02:00:00Z");
        CachedPod byResource = pod("job-b", "cpu-a", Map.of(), Map.of("kubeai.io/elastic-cpu", "4000",
                "kubeai.io/elastic-memory", "8Gi"), 0, "2025-03-01T03:00:00Z");
        CachedPod elsewhere = pod("far", "cpu-b", Map.of(), Map.of("cpu", "1"), 0, null);
        CachedPod pending = pod("pending", null, Map.of(), Map.of("cpu", "1"), 0, null);
        MetricsApi.Snapshot m = new MetricsApi.Snapshot(Map.of("cpu-a", new MetricsApi.Reading(new Usage(12_000, 40L << 30), T)),
                Map.of("ml/web", new MetricsApi.Reading(new Usage(3_000, 10L << 30), T)), null);
        GpuTelemetry gpus = new GpuTelemetry(T, List.of());

        List<ElasticCycle.NodeInput> in = ElasticInputs.nodes(List.of(n), List.of(web, labelled, byResource, elsewhere,
                pending), m, Map.of("cpu-a", gpus), NAMES);
        assertThat(in).hasSize(1);
        ElasticCycle.NodeInput a = in.get(0);
        assertThat(a.usage().capacity()).isEqualTo(new Usage(64_000, 256L << 30));
        assertThat(a.usage().allocatable()).isEqualTo(new Usage(63_000, 250L << 30));
        assertThat(a.usage().used()).isEqualTo(new Usage(12_000, 40L << 30));
        assertThat(a.usage().measuredAt()).isEqualTo(T);
        assertThat(a.usage().pods()).containsExactlyInAnyOrder(
                new PodUsage("ml/web", false, new Usage(8_000, 16L << 30), new Usage(3_000, 10L << 30), T),
                PodUsage.unmeasured("ml/job-a", true, new Usage(100, 0)),
                PodUsage.unmeasured("ml/job-b", true, Usage.ZERO));
        assertThat(a.gpuCount()).isEqualTo(8);
        assertThat(a.gpuTelemetry()).isSameAs(gpus);
        assertThat(a.published()).isEqualTo(new ElasticAmounts(20_000, 100L << 30, 0));
    }

    @Test
    void aNodeWithoutCapacityInItsStatusUsesItsAllocatable() {
        Node n = node("mock", Map.of(), Map.of("cpu", "8", "memory", "32Gi"));
        ElasticCycle.NodeInput in = ElasticInputs.nodes(List.of(n), List.of(), new MetricsApi.Snapshot(Map.of(), Map.of(),
                "down"), Map.of(), NAMES).get(0);
        assertThat(in.usage().capacity()).isEqualTo(new Usage(8_000, 32L << 30));
        assertThat(in.usage().used()).isNull();
        assertThat(in.gpuTelemetry()).isNull();
    }

    @Test
    void elasticPodsAreThoseLabelledOrRequestingElasticResourcesLessThoseLeaving() {
        CachedPod web = pod("web", "cpu-a", Map.of(), Map.of("cpu", "8"), 1000, "2025-03-01T01:00:00Z");
        CachedPod labelled = pod("job-a", "cpu-a", Map.of("kubeai.io/elastic", "true"), Map.of("cpu", "100m"), 0,
                "2025-03-01T02:00:00Z");
        CachedPod byResource = pod("job-b", "cpu-a", Map.of(), Map.of("kubeai.io/elastic-cpu", "4000", "kubeai.io/elastic-gpu", "1"),
                5, null);
        CachedPod leaving = pod("job-c", "cpu-a", Map.of("kubeai.io/elastic", "true"), Map.of(), 0, null);
        Pod finished = fabric8Pod("job-d", "cpu-a", Map.of("kubeai.io/elastic", "true"), Map.of(), 0, null);
        finished.getStatus().setPhase("Succeeded");
        CachedPod done = CachedPod.of(finished);
        assertThat(ElasticInputs.elasticPods(List.of(web, labelled, byResource, leaving, done), NAMES, Set.of("ml/job-c")))
                .containsExactly(
                        new ElasticPod("ml/job-a", "cpu-a", 0, Instant.parse("2025-03-01T02:00:00Z"), ElasticAmounts.ZERO),
                        new ElasticPod("ml/job-b", "cpu-a", 5, Instant.parse("2025-03-01T00:00:00Z"),
                                new ElasticAmounts(4_000, 0, 1)));
    }

    @Test
    void koordinatorNamesAreReadWhenConfigured() {
        ElasticPolicy.ResourceNames batch = new ElasticPolicy.ResourceNames(ElasticPolicy.KOORDINATOR_CPU,
                ElasticPolicy.KOORDINATOR_MEMORY, "kubeai.io/elastic-gpu");
        CachedPod p = pod("be", "n", Map.of(), Map.of("kubernetes.io/batch-cpu", "2000", "kubernetes.io/batch-memory", "4Gi"), 0,
                null);
        assertThat(ElasticInputs.elasticPods(List.of(p), batch, Set.of()).get(0).holds())
                .isEqualTo(new ElasticAmounts(2_000, 4L << 30, 0));
        Node n = node("n", Map.of(), Map.of("cpu", "8", "memory", "32Gi", "kubernetes.io/batch-cpu", "3000"));
        assertThat(ElasticInputs.published(n, batch)).isEqualTo(new ElasticAmounts(3_000, 0, 0));
    }
}
