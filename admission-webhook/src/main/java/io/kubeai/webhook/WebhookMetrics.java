package io.kubeai.webhook;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The webhook's Prometheus metrics, under {@code kubeai_webhook_}. */
public final class WebhookMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter reviews;
    private final Counter mutations;
    private final Histogram latency;
    private final Counter tlsReloads;
    private final Gauge certificateExpiry;

    public WebhookMetrics() {
        reviews = Counter.builder().name("kubeai_webhook_reviews_total")
                .help("Requests by endpoint, reviewed object kind, outcome (patched, allowed, denied, bad_request, "
                        + "too_large, not_found) and HTTP status code")
                .labelNames("endpoint", "kind", "outcome", "code").register(registry);
        mutations = Counter.builder().name("kubeai_webhook_mutations_total")
                .help("Pod mutations made, by kind (schedulerName, queue, tier, periodic, pinned, elastic, regular, "
                        + "priority, gate)")
                .labelNames("mutation").register(registry);
        latency = Histogram.builder().name("kubeai_webhook_review_duration_seconds")
                .help("Time to answer a review, in the server (parse, decide, write)").labelNames("endpoint")
                .classicUpperBounds(0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.05, 0.25, 1)
                .register(registry);
        tlsReloads = Counter.builder().name("kubeai_webhook_tls_reloads_total")
                .help("Serving certificate reloads after the PEM files changed, by result (ok, error)")
                .labelNames("result").register(registry);
        certificateExpiry = Gauge.builder().name("kubeai_webhook_tls_certificate_expiry_timestamp_seconds")
                .help("When the serving certificate in use expires (notAfter), in Unix seconds").register(registry);
    }

    public void observe(String endpoint, String kind, String outcome, int code, long nanos, List<String> made) {
        reviews.labelValues(endpoint, kind, outcome, String.valueOf(code)).inc();
        latency.labelValues(endpoint).observe(nanos / 1e9);
        for (String m : made) {
            mutations.labelValues(m).inc();
        }
    }

    public void tlsReloaded(boolean ok) {
        tlsReloads.labelValues(ok ? "ok" : "error").inc();
    }

    public void certificateExpiresAt(long epochSeconds) {
        certificateExpiry.set(epochSeconds);
    }

    /** The registry in the Prometheus text format. */
    public String scrape() {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
