package io.kubeai.quota;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;

/**
 * The elastic publisher's and reclaimer's metrics, on the controller's registry (so that they
 * are served on the same {@code /metrics}).
 */
public final class ElasticMetrics {
    final Gauge published;
    final Gauge target;
    final Gauge unknown;
    final Counter patches;
    final Counter patchFailures;
    final Counter evictions;
    final Counter evictionsBlocked;
    final Gauge deferred;
    final Gauge scrapeFailing;
    final Counter intervals;

    public ElasticMetrics(ControllerMetrics on) {
        published = Gauge.builder().name("kubeai_elastic_published")
                .help("Elastic capacity published on the node's status (cpu in milli-cores, memory in bytes, gpu in devices)")
                .labelNames("node", "resource").register(on.registry);
        target = Gauge.builder().name("kubeai_elastic_target")
                .help("Elastic capacity by the formula, before smoothing (0 while unknown)")
                .labelNames("node", "resource").register(on.registry);
        unknown = Gauge.builder().name("kubeai_elastic_unknown")
                .help("1 while the node's elastic capacity of the resource is unknown (stale or missing metrics)")
                .labelNames("node", "resource").register(on.registry);
        patches = Counter.builder().name("kubeai_elastic_node_patches_total")
                .help("Node status patches that changed elastic capacity").register(on.registry);
        patchFailures = Counter.builder().name("kubeai_elastic_node_patch_failures_total")
                .help("Node status patches the API server refused; the next interval retries").register(on.registry);
        evictions = Counter.builder().name("kubeai_elastic_evictions_total")
                .help("Elastic pods evicted to give lent capacity back").labelNames("node").register(on.registry);
        evictionsBlocked = Counter.builder().name("kubeai_elastic_evictions_blocked_total")
                .help("Evictions of elastic pods a PodDisruptionBudget refused").register(on.registry);
        deferred = Gauge.builder().name("kubeai_elastic_reclaim_deferred_nodes")
                .help("Nodes still lending less than their elastic pods hold after the interval's eviction budget")
                .register(on.registry);
        scrapeFailing = Gauge.builder().name("kubeai_gpu_telemetry_scrape_failing")
                .help("1 while the last scrape of the node's dcgm-exporter failed").labelNames("node").register(on.registry);
        intervals = Counter.builder().name("kubeai_elastic_intervals_total")
                .help("Elastic intervals run").register(on.registry);
    }
}
