package io.kubeai.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
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
        ClusterCache started = null;
        AdmissionController watching = null;
        try {
            started = new ClusterCache(Clock.systemUTC(), Duration.ofSeconds(30)).start(client);
            watching = new AdmissionController(client, started, Clock.systemUTC(), policy, new ControllerMetrics(),
                    "kubeai-cli").watch(() -> { });
        } catch (KubernetesClientException e) {
            if (watching != null) {
                watching.close();
            }
            if (started != null) {
                started.close();
            }
            client.close();
            throw unreachable(client, e.getMessage(), e);
        }
        this.cache = started;
        this.controller = watching;
        Instant deadline = Instant.now().plus(timeout);
        while (!(cache.synced() && controller.synced())) {
            if (Instant.now().isAfter(deadline)) {
                close();
                throw unreachable(client, "the cluster's pods, nodes, queues and PodGroups could not be listed within "
                        + timeout.toSeconds() + " s; check the kubeconfig and that the KubeAI CRDs are installed", null);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    private static ClusterUnreachableException unreachable(KubernetesClient client, String why, Throwable cause) {
        return new ClusterUnreachableException("cannot reach the cluster at " + client.getMasterUrl() + ": " + why, cause);
    }

    @Override
    public void close() {
        controller.close();
        cache.close();
        client.close();
    }
}
