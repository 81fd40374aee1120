package io.kubeai.kube.elastic;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.kubeai.core.elastic.Usage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The metrics API as metrics-server answers it, recorded, through fabric8's {@code top()}. */
@EnableKubernetesMockClient(crud = true)
class MetricsApiTest {
    static final String NODES = "/apis/metrics.k8s.io/v1beta1/nodes";
    static final String PODS = "/apis/metrics.k8s.io/v1beta1/pods";

    KubernetesMockServer server;
    KubernetesClient client;

    static String resource(String name) {
        try (InputStream in = MetricsApiTest.class.getResourceAsStream("/metrics/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void readsNodeAndPodUsageWithTheirTimestamps() {
        server.expect().get().withPath(NODES).andReturn(200, resource("node-metrics.json")).always();
        server.expect().get().withPath(PODS).andReturn(200, resource("pod-metrics.json")).always();
        MetricsApi.Snapshot s = MetricsApi.read(client);
        assertThat(s.error()).isNull();
        assertThat(s.nodes()).containsOnlyKeys("cpu-a", "cpu-b");
        assertThat(s.nodes().get("cpu-a")).isEqualTo(new MetricsApi.Reading(new Usage(9_002, 40L << 30),
                Instant.parse("2025-03-01T09:59:51Z")));
        assertThat(s.nodes().get("cpu-b").usage()).isEqualTo(new Usage(1_500, 8L << 30));
        // A pod's usage is the sum of its containers', nanocores rounded up to milli-cores.
        assertThat(s.pods().get("shop/web-6d4cf56db6-x7x2k")).isEqualTo(new MetricsApi.Reading(
                new Usage(5_499 + 502, (24L << 30) + (128L << 20)), Instant.parse("2025-03-01T09:59:51Z")));
        assertThat(s.pods().get("ml/train-0").usage()).isEqualTo(new Usage(2_000, 4L << 30));
        assertThat(s.pods()).as("an item that cannot be read is left out").containsOnlyKeys("shop/web-6d4cf56db6-x7x2k",
                "ml/train-0");
    }

    @Test
    void withoutMetricsServerTheSnapshotIsEmptyAndSaysWhy() {
        server.expect().get().withPath(NODES).andReturn(404, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":"
                + "\"Failure\",\"message\":\"the server could not find the requested resource\",\"reason\":\"NotFound\","
                + "\"code\":404}").always();
        server.expect().get().withPath(PODS).andReturn(503, "service unavailable").always();
        long start = System.nanoTime();
        MetricsApi.Snapshot s;
        try (KubernetesClient once = io.kubeai.kube.OneTryClient.of(client, java.time.Duration.ofSeconds(5))) {
            s = MetricsApi.read(once);
        }
        assertThat((System.nanoTime() - start) / 1_000_000).as("no retries with back-off").isLessThan(3_000);
        assertThat(s.nodes()).isEmpty();
        assertThat(s.pods()).isEmpty();
        assertThat(s.error()).startsWith("node metrics: ").contains("; pod metrics: ");
    }
}
