package io.kubeai.kube.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kubeai.core.config.ElasticPolicy;
import io.kubeai.kube.CachedPod;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DcgmEndpointsTest {
    static CachedPod exporter(String name, String ns, String node, String ip, String phase, String created,
            Map<String, String> labels) {
        return CachedPod.of(new PodBuilder().withNewMetadata().withName(name).withNamespace(ns).withLabels(labels)
                .withCreationTimestamp(created).endMetadata().withNewSpec().withNodeName(node).endSpec()
                .withNewStatus().withPodIP(ip).withPhase(phase).endStatus().build());
    }

    @Test
    void findsTheRunningExporterOfEachNode() {
        Map<String, String> app = Map.of("app", "nvidia-dcgm-exporter");
        List<CachedPod> pods = List.of(
                exporter("dcgm-a", "gpu-operator", "gpu-a", "10.0.1.7", "Running", "2025-03-01T08:00:00Z", app),
                exporter("dcgm-b-old", "gpu-operator", "gpu-b", "10.0.2.7", "Running", "2025-03-01T08:00:00Z", app),
                exporter("dcgm-b-new", "gpu-operator", "gpu-b", "10.0.2.8", "Running", "2025-03-01T09:00:00Z", app),
                exporter("dcgm-c", "gpu-operator", "gpu-c", "10.0.3.7", "Pending", "2025-03-01T08:00:00Z", app),
                exporter("dcgm-d", "gpu-operator", "gpu-d", "fd00::7", "Running", "2025-03-01T08:00:00Z", app),
                exporter("other", "gpu-operator", "gpu-e", "10.0.5.7", "Running", "2025-03-01T08:00:00Z", Map.of("app", "x")),
                exporter("dcgm-f", "monitoring", "gpu-f", "10.0.6.7", "Running", "2025-03-01T08:00:00Z", app));
        assertThat(DcgmEndpoints.of(pods, ElasticPolicy.DEFAULT.gpuTelemetry())).containsExactly(
                Map.entry("gpu-a", URI.create("http://10.0.1.7:9400/metrics")),
                Map.entry("gpu-b", URI.create("http://10.0.2.8:9400/metrics")),
                Map.entry("gpu-d", URI.create("http://[fd00::7]:9400/metrics")));
    }
}
