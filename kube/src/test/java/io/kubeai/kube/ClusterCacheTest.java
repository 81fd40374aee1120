package io.kubeai.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kubeai.core.resource.PodRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class ClusterCacheTest {
    KubernetesClient client;

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-29T10:00:00Z"));
    private final InstantSource clock = () -> now.get();

    @Test
    void boundPodsHoldTheirNodeAndFinishedOnesDoNot() {
        ClusterCache cache = new ClusterCache(clock, Duration.ofSeconds(30));
        cache.upsertNode(node("n1", "16", 4));
        cache.upsertPod(pod("a", "n1", "4", 2, null));
        cache.upsertPod(pod("b", null, "4", 1, null));
        assertThat(cache.podCount()).isEqualTo(1);
        assertThat(cache.<Long>read(s -> s.node("n1").orElseThrow().cpuFreeMillis())).isEqualTo(12_000);
        cache.upsertPod(pod("a", "n1", "4", 2, "Succeeded"));
        assertThat(cache.podCount()).isZero();
        assertThat(cache.<Integer>read(s -> s.node("n1").orElseThrow().gpusWithFree(1000))).isEqualTo(4);
    }

    @Test
    void anAssumptionHoldsUntilConfirmedForgottenOrExpired() {
        ClusterCache cache = new ClusterCache(clock, Duration.ofSeconds(30));
        cache.upsertNode(node("n1", "16", 4));
        PodRequest r = PodRequest.cpuOnly(4000, 0).withGpus(2, 1000);
        cache.assume("ml/x", "n1", r, 0b0011);
        assertThat(cache.<Integer>read(s -> s.node("n1").orElseThrow().gpusWithFree(1000))).isEqualTo(2);
        // The informer sees the binding: confirmed, no longer an assumption, still holding.
        cache.upsertPod(pod("x", "n1", "4", 2, null));
        assertThat(cache.assumedCount()).isZero();
        assertThat(cache.podCount()).isEqualTo(1);

        cache.assume("ml/y", "n1", r, 0b1100);
        cache.forget("ml/y");
        assertThat(cache.podCount()).isEqualTo(1);

        cache.assume("ml/z", "n1", r, 0b1100);
        now.set(now.get().plusSeconds(29));
        assertThat(cache.expireAssumptions()).isZero();
        now.set(now.get().plusSeconds(1));
        assertThat(cache.expireAssumptions()).isEqualTo(1);
        assertThat(cache.podCount()).isEqualTo(1);
    }

    @Test
    void aNodeHeartbeatDoesNotRebuildButACapacityChangeDoes() {
        ClusterCache cache = new ClusterCache(clock, Duration.ofSeconds(30));
        cache.upsertNode(node("n1", "16", 4));
        cache.upsertPod(pod("a", "n1", "4", 2, null));
        long before = cache.<Long>read(s -> s.version());
        io.fabric8.kubernetes.api.model.Node heartbeat = node("n1", "16", 4);
        heartbeat.getMetadata().setResourceVersion("999");
        cache.upsertNode(heartbeat);
        assertThat(cache.<Long>read(s -> s.version())).isEqualTo(before);
        cache.upsertNode(node("n1", "32", 4));
        assertThat(cache.<Long>read(s -> s.node("n1").orElseThrow().cpuFreeMillis())).isEqualTo(28_000);
        assertThat(cache.podCount()).isEqualTo(1);
        cache.deleteNode("n1");
        assertThat(cache.nodeCount()).isZero();
        assertThat(cache.podCount()).isZero();
    }

    @Test
    void aPodTheNodeCannotHoldIsStillCountedAndTheNodeIsFull() {
        ClusterCache cache = new ClusterCache(clock, Duration.ofSeconds(30));
        cache.upsertNode(node("n1", "2", 1));
        cache.upsertPod(pod("big", "n1", "4", 0, null));
        assertThat(cache.podCount()).isEqualTo(1);
        assertThat(cache.<Boolean>read(s -> s.node("n1").orElseThrow().fits(PodRequest.cpuOnly(1, 0)))).isFalse();
    }

    @Test
    void informersKeepTheCacheCurrent() {
        client.nodes().resource(node("n1", "16", 4)).create();
        client.pods().inNamespace("ml").resource(pod("a", "n1", "4", 1, null)).create();
        try (ClusterCache cache = new ClusterCache(clock, Duration.ofSeconds(30)).start(client)) {
            await().atMost(Duration.ofSeconds(10)).until(cache::synced);
            await().until(() -> cache.podCount() == 1);
            client.pods().inNamespace("ml").resource(pod("b", "n1", "4", 1, null)).create();
            await().until(() -> cache.podCount() == 2);
            client.pods().inNamespace("ml").withName("a").delete();
            await().until(() -> cache.podCount() == 1);
            assertThat(cache.podsPerNode()).isEqualTo(Map.of("n1", 1));
        }
    }

    static io.fabric8.kubernetes.api.model.Node node(String name, String cpu, int gpus) {
        return new NodeBuilder().withNewMetadata().withName(name).endMetadata().withNewStatus()
                .withAllocatable(Map.of("cpu", new Quantity(cpu), "memory", new Quantity("64Gi"),
                        KubeAiNames.GPU_RESOURCE, new Quantity(String.valueOf(gpus))))
                .endStatus().build();
    }

    static Pod pod(String name, String node, String cpu, int gpus, String phase) {
        Map<String, Quantity> lim = new HashMap<>();
        if (gpus > 0) {
            lim.put(KubeAiNames.GPU_RESOURCE, new Quantity(String.valueOf(gpus)));
        }
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("ml").endMetadata().withNewSpec()
                .withNodeName(node).addNewContainer().withName("c").withNewResources()
                .withRequests(Map.of("cpu", new Quantity(cpu))).withLimits(lim).endResources().endContainer().endSpec()
                .withNewStatus().withPhase(phase).endStatus().build();
    }
}
