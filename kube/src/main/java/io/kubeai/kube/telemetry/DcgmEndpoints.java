package io.kubeai.kube.telemetry;

import io.kubeai.core.config.ElasticPolicy;
import io.kubeai.kube.CachedPod;
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

    public static Map<String, URI> of(Collection<CachedPod> pods, ElasticPolicy.GpuTelemetry where) {
        Map<String, CachedPod> byNode = new TreeMap<>();
        for (CachedPod p : pods) {
            if (!where.namespace().equals(p.namespace())
                    || !p.labels().entrySet().containsAll(where.podLabels().entrySet())) {
                continue;
            }
            String node = p.nodeName();
            String ip = p.podIp();
            if (node == null || ip == null || ip.isEmpty() || !"Running".equals(p.phase()) || p.deleting()) {
                continue;
            }
            byNode.merge(node, p, (a, b) -> created(b).compareTo(created(a)) > 0 ? b : a);
        }
        Map<String, URI> out = new TreeMap<>();
        byNode.forEach((node, p) -> {
            String ip = p.podIp();
            String host = ip.contains(":") ? "[" + ip + "]" : ip;
            out.put(node, URI.create("http://" + host + ":" + where.port() + where.path()));
        });
        return out;
    }

    private static String created(CachedPod p) {
        String c = p.creationTimestamp();
        return c == null ? "" : c;
    }
}
