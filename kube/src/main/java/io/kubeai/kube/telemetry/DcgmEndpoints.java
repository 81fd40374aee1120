package io.kubeai.kube.telemetry;

import io.fabric8.kubernetes.api.model.Pod;
import io.kubeai.core.config.ElasticPolicy;
import java.net.URI;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where each node's dcgm-exporter answers: the running pods of the configured
 * namespace and labels (its DaemonSet), one per node, at {@code http://podIP:port/path}. A node
 * with two such pods (a rollout) takes the one created last. O(pods).
 */
public final class DcgmEndpoints {
    private DcgmEndpoints() {
    }

    public static Map<String, URI> of(Collection<Pod> pods, ElasticPolicy.GpuTelemetry where) {
        Map<String, Pod> byNode = new TreeMap<>();
        for (Pod p : pods) {
            if (p.getMetadata() == null || !where.namespace().equals(p.getMetadata().getNamespace())) {
                continue;
            }
            Map<String, String> labels = p.getMetadata().getLabels() == null ? Map.of() : p.getMetadata().getLabels();
            if (!labels.entrySet().containsAll(where.podLabels().entrySet())) {
                continue;
            }
            String node = p.getSpec() == null ? null : p.getSpec().getNodeName();
            String ip = p.getStatus() == null ? null : p.getStatus().getPodIP();
            String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
            if (node == null || node.isEmpty() || ip == null || ip.isEmpty() || !"Running".equals(phase)
                    || p.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            byNode.merge(node, p, (a, b) -> created(b).compareTo(created(a)) > 0 ? b : a);
        }
        Map<String, URI> out = new TreeMap<>();
        byNode.forEach((node, p) -> {
            String ip = p.getStatus().getPodIP();
            String host = ip.contains(":") ? "[" + ip + "]" : ip;
            out.put(node, URI.create("http://" + host + ":" + where.port() + where.path()));
        });
        return out;
    }

    private static String created(Pod p) {
        String c = p.getMetadata().getCreationTimestamp();
        return c == null ? "" : c;
    }
}
