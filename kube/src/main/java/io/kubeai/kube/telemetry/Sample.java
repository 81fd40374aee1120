package io.kubeai.kube.telemetry;

import java.util.Map;
import java.util.Objects;

/**
 * One sample of the exposition: a metric name, its labels (in the order written), its value and
 * its timestamp in milliseconds since the epoch, or null when the line has none.
 */
public record Sample(String name, Map<String, String> labels, double value, Long timestampMillis) {
    public Sample {
        Objects.requireNonNull(name, "name");
        labels = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(labels));
    }

    /** The value of label {@code name}, or "" when absent (as Prometheus treats it). */
    public String label(String name) {
        return labels.getOrDefault(name, "");
    }
}
