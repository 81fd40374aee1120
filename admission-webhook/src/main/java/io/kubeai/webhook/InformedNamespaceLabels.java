package io.kubeai.webhook;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Map;

/**
 * Namespace labels from an informer: a watch on namespaces, read from its local store (an
 * O(1) map look-up per review, no API call on the request path).
 */
public final class InformedNamespaceLabels implements NamespaceLabels, AutoCloseable {
    private final SharedIndexInformer<Namespace> informer;

    public InformedNamespaceLabels(KubernetesClient client) {
        this.informer = client.namespaces().inform();
    }

    @Override
    public Map<String, String> of(String namespace) {
        Namespace ns = informer.getStore().getByKey(namespace);
        if (ns == null || ns.getMetadata() == null || ns.getMetadata().getLabels() == null) {
            return Map.of();
        }
        return ns.getMetadata().getLabels();
    }

    @Override
    public boolean ready() {
        return informer.hasSynced();
    }

    @Override
    public void close() {
        informer.close();
    }
}
