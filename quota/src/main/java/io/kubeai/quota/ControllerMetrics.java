package io.kubeai.quota;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The controller's metrics, in the spirit of Kueue's, under {@code kubeai_}. */
public final class ControllerMetrics {
    final PrometheusRegistry registry = new PrometheusRegistry();
    final Gauge pending = Gauge.builder().name("kubeai_pending_workloads")
            .help("Workloads waiting, by queue and reason").labelNames("queue", "reason").register(registry);
    final Histogram waitSeconds = Histogram.builder().name("kubeai_admission_wait_seconds")
            .help("Time from creation to admission").labelNames("queue")
            .classicUpperBounds(1, 5, 15, 60, 300, 900, 3600, 4 * 3600, 24 * 3600).register(registry);
    final Counter admitted = Counter.builder().name("kubeai_admitted_workloads_total")
            .help("Workloads admitted").labelNames("queue").register(registry);
    final Counter preempted = Counter.builder().name("kubeai_preempted_workloads_total")
            .help("Workloads evicted to make room").labelNames("queue").register(registry);
    final Counter closingEvicted = Counter.builder().name("kubeai_window_evicted_workloads_total")
            .help("Workloads evicted because a Close window of their queue opened").labelNames("queue").register(registry);
    final Counter closingBlocked = Counter.builder().name("kubeai_window_evictions_blocked_total")
            .help("Window-closing evictions refused (a PodDisruptionBudget forbade them); retried next interval")
            .labelNames("queue").register(registry);
    final Counter evictionsBlocked = Counter.builder().name("kubeai_preemption_evictions_blocked_total")
            .help("Preemptions whose eviction the API server refused (a PodDisruptionBudget), retried next cycle")
            .labelNames("queue").register(registry);
    final Counter expired = Counter.builder().name("kubeai_expired_workloads_total")
            .help("Workloads that waited past their timeout").labelNames("queue").register(registry);
    final Gauge quotaUsage = Gauge.builder().name("kubeai_quota_usage")
            .help("Resources held by admitted workloads, by queue and resource (cpu in cores, memory in bytes, "
                    + "nvidia.com/gpu in GPUs)").labelNames("queue", "resource").register(registry);
    final Counter cycles = Counter.builder().name("kubeai_admission_cycles_total").help("Admission cycles run")
            .register(registry);
    final Histogram cycleSeconds = Histogram.builder().name("kubeai_admission_cycle_duration_seconds")
            .help("Time of one admission cycle, snapshot to decisions").classicUpperBounds(0.001, 0.01, 0.05, 0.1, 0.5, 1, 5)
            .register(registry);

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
