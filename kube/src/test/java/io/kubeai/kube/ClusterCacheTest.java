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

    @Test
    void theInformersStoresHoldKeysAndTheCacheASlimPodWhileUpdatesAndDeletesStillArrive() {
        client.nodes().resource(node("n1", "16", 4)).create();
        client.pods().inNamespace("ml").resource(pod("a", "n1", "4", 1, null)).create();
        try (ClusterCache cache = new ClusterCache(clock, Duration.ofSeconds(30)).start(client)) {
            await().atMost(Duration.ofSeconds(10)).until(cache::synced);
            // Synced means applied: the listed pod and node are already in the cache.
            assertThat(cache.podCount()).isEqualTo(1);
            assertThat(cache.nodeCount()).isEqualTo(1);
            for (var informer : cache.informers()) {
                assertThat(informer.getStore().list()).isNotEmpty().allSatisfy(o -> {
                    io.fabric8.kubernetes.api.model.HasMetadata m = (io.fabric8.kubernetes.api.model.HasMetadata) o;
                    assertThat(m.getMetadata().getName()).isIn("a", "n1");
                    assertThat(m.getMetadata().getResourceVersion()).isNotNull();
                    assertThat(m.getMetadata().getLabels()).isNullOrEmpty();
                    if (m instanceof Pod p) {
                        assertThat(p.getSpec()).isNull();
                        assertThat(p.getStatus()).isNull();
                    } else {
                        assertThat(((io.fabric8.kubernetes.api.model.Node) m).getStatus()).isNull();
                    }
                });
            }
            // An update reaches the cache (the store told it from a re-list by resource version).
            client.pods().inNamespace("ml").withName("a").edit(p -> {
                p.getMetadata().setAnnotations(Map.of(KubeAiNames.GPU_DEVICES, "3", "other.io/big", "x".repeat(1000)));
                return p;
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> cache.pod("ml/a").map(CachedPod::gpuDevices).orElse(0) == 0b1000);
            assertThat(cache.pod("ml/a").orElseThrow().annotations()).containsOnlyKeys(KubeAiNames.GPU_DEVICES);
            client.pods().inNamespace("ml").withName("a").delete();
            await().atMost(Duration.ofSeconds(10)).until(() -> cache.pod("ml/a").isEmpty() && cache.podCount() == 0);
        }
    }

    @Test
    void aSlimPodKeepsWhatBindPreemptAndTheControllerRead() {
        Pod p = new PodBuilder().withNewMetadata().withName("w-0").withNamespace("ml").withUid("u-1")
                .withCreationTimestamp("2026-11-29T09:00:00Z").withLabels(Map.of(KubeAiNames.GANG, "train", "app", "x"))
                .withAnnotations(Map.of(KubeAiNames.PLANNED_NODE, "n1", "kubectl.kubernetes.io/last-applied-configuration",
                        "{...}"))
                .withDeletionTimestamp("2026-11-29T09:05:00Z").endMetadata()
                .withNewSpec().withPriority(7).addNewSchedulingGate().withName(KubeAiNames.SCHEDULING_GATE).endSchedulingGate()
                .addNewContainer().withName("c").withImage("trainer").withNewResources()
                .withRequests(Map.of("cpu", new Quantity("2"))).endResources().endContainer().endSpec()
                .withNewStatus().withPhase("Pending").withPodIP("10.0.0.9").withStartTime("2026-11-29T09:01:00Z").endStatus()
                .build();
        CachedPod c = CachedPod.of(p);
        assertThat(c.key()).isEqualTo("ml/w-0");
        assertThat(c.uid()).isEqualTo("u-1");
        assertThat(c.nodeName()).isNull();
        assertThat(c.bound()).isFalse();
        assertThat(c.gated()).isTrue();
        assertThat(c.deleting()).isTrue();
        assertThat(c.priority()).isEqualTo(7);
        assertThat(c.request().cpuMillis()).isEqualTo(2000);
        assertThat(c.gang()).isEqualTo(KubeConversions.gang(p).orElseThrow());
        assertThat(c.labels()).isEqualTo(Map.of(KubeAiNames.GANG, "train", "app", "x"));
        assertThat(c.annotations()).isEqualTo(Map.of(KubeAiNames.PLANNED_NODE, "n1"));
        assertThat(c.podIp()).isEqualTo("10.0.0.9");
        assertThat(c.startTime()).isEqualTo("2026-11-29T09:01:00Z");
        assertThat(c.creationTimestamp()).isEqualTo("2026-11-29T09:00:00Z");
        p.getStatus().setPhase("Succeeded");
        p.getSpec().setNodeName("n1");
        assertThat(CachedPod.of(p).holdsNode()).isNull();
        assertThat(CachedPod.of(p).terminal()).isTrue();
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
