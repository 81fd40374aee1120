package io.kubeai.kube.elastic;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.ContainerMetrics;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.NodeMetrics;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kubeai.core.elastic.Usage;
import io.kubeai.kube.InvalidObjectException;
import io.kubeai.kube.KubeConversions;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Node and pod usage from the resource metrics API ({@code metrics.k8s.io/v1beta1}, served by
 * metrics-server), through fabric8's {@code client.top()}: two LIST calls, all nodes and all
 * pods. A pod's usage is the sum of its containers'. An item that cannot be read (no timestamp,
 * a bad quantity) is left out, which makes it count as unmeasured; a failed call leaves its
 * half empty and says why in {@link Snapshot#error()}, which makes every node count as
 * unmeasured. Never throws for what the API answers. Give it a {@link io.kubeai.kube.OneTryClient}:
 * fabric8 otherwise retries a 503 (metrics-server down) for about twenty seconds.
 */
public final class MetricsApi {
    private static final Logger LOG = Logger.getLogger(MetricsApi.class.getName());

    private MetricsApi() {
    }

    /** One measurement and when metrics-server took it. */
    public record Reading(Usage usage, Instant at) {
    }

    /**
     * @param nodes by node name
     * @param pods by {@code namespace/name}
     * @param error why a call failed; null when both answered
     */
    public record Snapshot(Map<String, Reading> nodes, Map<String, Reading> pods, String error) {
        public Snapshot {
            nodes = Map.copyOf(nodes);
            pods = Map.copyOf(pods);
        }
    }

    public static Snapshot read(KubernetesClient client) {
        Map<String, Reading> nodes = new HashMap<>();
        Map<String, Reading> pods = new HashMap<>();
        StringBuilder error = new StringBuilder();
        try {
            for (NodeMetrics m : client.top().nodes().metrics().getItems()) {
                String name = m.getMetadata() == null ? null : m.getMetadata().getName();
                Reading r = reading("node metrics " + name, m.getTimestamp(), () -> List.of(usage(m.getUsage())), name);
                if (r != null) {
                    nodes.put(name, r);
                }
            }
        } catch (KubernetesClientException e) {
            error.append("node metrics: ").append(e.getMessage());
        }
        try {
            for (PodMetrics m : client.top().pods().metrics().getItems()) {
                String ns = m.getMetadata() == null ? null : m.getMetadata().getNamespace();
                String name = m.getMetadata() == null ? null : m.getMetadata().getName();
                String key = (ns == null ? "default" : ns) + "/" + name;
                List<Map<String, Quantity>> containers = m.getContainers() == null ? List.of()
                        : m.getContainers().stream().map(ContainerMetrics::getUsage).toList();
                Reading r = reading("pod metrics " + key, m.getTimestamp(), () -> containers.stream()
                        .map(MetricsApi::usage).toList(), name);
                if (r != null) {
                    pods.put(key, r);
                }
            }
        } catch (KubernetesClientException e) {
            error.append(error.length() == 0 ? "" : "; ").append("pod metrics: ").append(e.getMessage());
        }
        if (error.length() > 0) {
            LOG.log(Level.WARNING, "the metrics API did not answer in full: {0}", error);
        }
        return new Snapshot(nodes, pods, error.length() == 0 ? null : error.toString());
    }

    private static Reading reading(String what, String timestamp, java.util.function.Supplier<List<Usage>> parts,
            String name) {
        if (name == null || timestamp == null) {
            LOG.log(Level.FINE, "{0}: no name or timestamp, ignored", what);
            return null;
        }
        try {
            Instant at = Instant.parse(timestamp);
            Usage sum = Usage.ZERO;
            for (Usage u : parts.get()) {
                sum = sum.plus(u);
            }
            return new Reading(sum, at);
        } catch (DateTimeParseException e) {
            LOG.log(Level.FINE, "{0}: timestamp \"{1}\" unreadable, ignored", new Object[] {what, timestamp});
            return null;
        } catch (InvalidObjectException e) {
            LOG.log(Level.FINE, "{0}: {1}, ignored", new Object[] {what, e.getMessage()});
            return null;
        }
    }

    private static Usage usage(Map<String, Quantity> u) {
        if (u == null) {
            return Usage.ZERO;
        }
        return new Usage(KubeConversions.millis(u.get("cpu"), "usage.cpu"), KubeConversions.units(u.get("memory"),
                "usage.memory"));
    }
}
