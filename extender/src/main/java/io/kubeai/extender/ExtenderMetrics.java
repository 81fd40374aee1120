package io.kubeai.extender;

import io.kubeai.kube.ClusterCache;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The extender's Prometheus metrics, under {@code kubeai_extender_}. */
public final class ExtenderMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests;
    private final Histogram latency;
    private final Counter rejections;

    public ExtenderMetrics(ClusterCache cache) {
        requests = Counter.builder().name("kubeai_extender_requests_total")
                .help("Extender calls by verb and HTTP status code").labelNames("verb", "code").register(registry);
        latency = Histogram.builder().name("kubeai_extender_request_duration_seconds")
                .help("Time to answer an extender call, in the server").labelNames("verb")
                .classicUpperBounds(0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 0.5, 2.5)
                .register(registry);
        rejections = Counter.builder().name("kubeai_extender_filtered_nodes_total")
                .help("Nodes filtered out, by whether preemption could help").labelNames("kind").register(registry);
        GaugeWithCallback.builder().name("kubeai_extender_cache_nodes").help("Nodes in the cluster cache")
                .callback(cb -> cb.call(cache.nodeCount())).register(registry);
        GaugeWithCallback.builder().name("kubeai_extender_cache_pods").help("Pods holding capacity in the cluster cache")
                .callback(cb -> cb.call(cache.podCount())).register(registry);
        GaugeWithCallback.builder().name("kubeai_extender_cache_assumed_pods")
                .help("Pods bound by the extender and not yet seen bound").callback(cb -> cb.call(cache.assumedCount()))
                .register(registry);
    }

    public void observe(String verb, int code, long nanos) {
        requests.labelValues(verb, String.valueOf(code)).inc();
        latency.labelValues(verb).observe(nanos / 1e9);
    }

    public void filtered(int resolvable, int unresolvable) {
        if (resolvable > 0) {
            rejections.labelValues("preemption_may_help").inc(resolvable);
        }
        if (unresolvable > 0) {
            rejections.labelValues("unresolvable").inc(unresolvable);
        }
    }

    /** The registry in the Prometheus text format. */
    public String scrape() {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
            return out.toString(java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
