package io.kubeai.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubeai.core.config.SchedulingPolicy;
import io.kubeai.kube.ClusterCache;
import io.kubeai.quota.AdmissionController;
import io.kubeai.quota.ControllerMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** A read-only view of a live cluster for the operator tools: caches filled, no cycles run, nothing written. */
final class LiveCluster implements AutoCloseable {
    final KubernetesClient client;
    final ClusterCache cache;
    final AdmissionController controller;

    LiveCluster(KubernetesClient client, SchedulingPolicy policy, Duration timeout) {
        this.client = client;
        this.cache = new ClusterCache(Clock.systemUTC(), Duration.ofSeconds(30)).start(client);
        this.controller = new AdmissionController(client, cache, Clock.systemUTC(), policy, new ControllerMetrics(), "kubeai-cli")
                .watch(() -> { });
        Instant deadline = Instant.now().plus(timeout);
        while (!(cache.synced() && controller.synced())) {
            if (Instant.now().isAfter(deadline)) {
                close();
                throw new IllegalStateException("the cluster's pods, nodes, queues and PodGroups could not be listed within "
                        + timeout.toSeconds() + " s; check the kubeconfig and that the KubeAI CRDs are installed");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    @Override
    public void close() {
        controller.close();
        cache.close();
        client.close();
    }
}
