package io.kubeai.webhook;

import java.util.Map;

/**
 * The labels of a namespace, where the webhook can know them. The webhook needs no API server to
 * answer a review: without one, every namespace has no labels and configuration decides alone.
 */
public interface NamespaceLabels {
    NamespaceLabels NONE = new NamespaceLabels() {
        @Override
        public Map<String, String> of(String namespace) {
            return Map.of();
        }

        @Override
        public boolean ready() {
            return true;
        }
    };

    /** The namespace's labels; empty when unknown. Never blocks. */
    Map<String, String> of(String namespace);

    /** Whether the labels are known (an informer has synced). */
    boolean ready();

    /** Fixed labels, for tests and benchmarks. */
    static NamespaceLabels fixed(Map<String, Map<String, String>> byNamespace) {
        Map<String, Map<String, String>> copy = Map.copyOf(byNamespace);
        return new NamespaceLabels() {
            @Override
            public Map<String, String> of(String namespace) {
                return copy.getOrDefault(namespace, Map.of());
            }

            @Override
            public boolean ready() {
                return true;
            }
        };
    }
}
