package io.kubeai.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;

/**
 * A client like another but that tries each call once and gives up after {@code timeout}.
 * fabric8 retries a 429 (how the Eviction API refuses an eviction a PodDisruptionBudget forbids)
 * and a 503 (how an aggregated API that is down answers, the metrics API among them) with a
 * growing back-off, by default about twenty seconds per call; a periodic loop that retries on
 * its next interval anyway must not wait that long. The caller closes it.
 */
public final class OneTryClient {
    private OneTryClient() {
    }

    public static KubernetesClient of(KubernetesClient base, Duration timeout) {
        Config c = new ConfigBuilder(base.getConfiguration()).withRequestRetryBackoffLimit(0)
                .withRequestTimeout((int) timeout.toMillis()).withConnectionTimeout((int) timeout.toMillis()).build();
        return new KubernetesClientBuilder().withConfig(c).build();
    }
}
