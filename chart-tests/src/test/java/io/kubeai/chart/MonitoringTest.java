package io.kubeai.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Metrics on and off; ServiceMonitors that scrape ports that exist; rules and a dashboard on real metric names. */
class MonitoringTest {
    static final String ALL_ON = """
            metrics:
              serviceMonitor: {enabled: true}
              prometheusRule: {enabled: true}
              grafanaDashboard: {enabled: true}
            """;

    /** The metric names the processes export (ControllerMetrics, ExtenderMetrics, WebhookMetrics). */
    static final Set<String> EXPORTED = Set.of("kubeai_pending_workloads", "kubeai_admission_wait_seconds",
            "kubeai_admitted_workloads_total", "kubeai_preempted_workloads_total", "kubeai_expired_workloads_total",
            "kubeai_quota_usage", "kubeai_admission_cycles_total", "kubeai_admission_cycle_duration_seconds",
            "kubeai_extender_requests_total", "kubeai_extender_request_duration_seconds",
            "kubeai_extender_filtered_nodes_total", "kubeai_extender_cache_nodes", "kubeai_extender_cache_pods",
            "kubeai_extender_cache_assumed_pods", "kubeai_webhook_reviews_total", "kubeai_webhook_mutations_total",
            "kubeai_webhook_review_duration_seconds", "kubeai_webhook_tls_reloads_total",
            "kubeai_webhook_tls_certificate_expiry_timestamp_seconds");

    private static final Pattern METRIC = Pattern.compile("kubeai_[a-z_]+");

    @Test
    void withMetricsOffTheControllerServesNoMetricsPort() {
        Rendered rendered = HelmChart.render("metrics: {enabled: false}");

        assertThat(Workloads.flag(rendered, "kubeai-controller", "--metrics-port")).isEqualTo("0");
        assertThat(Workloads.container(rendered, "kubeai-controller").getPorts()).extracting("name")
                .containsExactly("extender");
        assertThat(rendered.one("Service", "kubeai-extender", Service.class).getSpec().getPorts())
                .extracting(ServicePort::getName).containsExactly("extender");
        assertThat(rendered.objects()).extracting(Rendered.Obj::kind).doesNotContain("ServiceMonitor", "PrometheusRule");
    }

    @Test
    void withMetricsOnTheExtenderServiceExposesTheMetricsPort() {
        Rendered rendered = HelmChart.render();

        assertThat(rendered.one("Service", "kubeai-extender", Service.class).getSpec().getPorts())
                .extracting(ServicePort::getName, ServicePort::getPort)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("extender", 8888),
                        org.assertj.core.groups.Tuple.tuple("metrics", 9090));
    }

    @Test
    void everyServiceMonitorScrapesANamedPortOfAServiceItSelects() {
        Rendered rendered = HelmChart.render(ALL_ON);

        List<Rendered.Obj> monitors = rendered.ofKind("ServiceMonitor");
        assertThat(monitors).extracting(Rendered.Obj::name)
                .containsExactlyInAnyOrder("kubeai-controller", "kubeai-webhook", "kubeai-scheduler");
        for (Rendered.Obj monitor : monitors) {
            Map<String, String> selector = monitor.at("spec.selector.matchLabels");
            List<Service> services = rendered.ofKind("Service").stream().map(s -> s.as(Service.class))
                    .filter(s -> s.getMetadata().getLabels().entrySet().containsAll(selector.entrySet())).toList();
            assertThat(services).as("Services %s selects", monitor).hasSize(1);
            Set<String> ports = services.get(0).getSpec().getPorts().stream().map(ServicePort::getName)
                    .collect(Collectors.toSet());
            List<Map<String, Object>> endpoints = monitor.at("spec.endpoints");
            assertThat(endpoints).isNotEmpty().allSatisfy(e -> assertThat(ports).contains((String) e.get("port")));
        }
        assertThat(rendered.one("ServiceMonitor", "kubeai-controller").<List<Map<String, Object>>>at("spec.endpoints"))
                .extracting(e -> e.get("port")).containsExactly("metrics", "extender");
    }

    @Test
    void theSchedulerIsScrapedOnlyWhenAsked() {
        Rendered rendered = HelmChart.render(ALL_ON, "metrics: {serviceMonitor: {scrapeScheduler: false}}");

        assertThat(rendered.has("ServiceMonitor", "kubeai-scheduler")).isFalse();
        assertThat(rendered.has("Service", "kubeai-scheduler")).isFalse();
    }

    @Test
    void theAlertsAndTheDashboardQueryOnlyMetricsTheProcessesExport() {
        Rendered rendered = HelmChart.render(ALL_ON);

        List<Map<String, Object>> rules = rendered.one("PrometheusRule", "kubeai").at("spec.groups.0.rules");
        assertThat(rules).extracting(r -> r.get("alert")).contains("KubeAIControllerDown", "KubeAIAdmissionStalled",
                "KubeAIWebhookDown", "KubeAIWebhookCertificateExpiresSoon");
        for (Map<String, Object> rule : rules) {
            assertThat(metrics((String) rule.get("expr"))).as("alert %s", rule.get("alert")).isSubsetOf(EXPORTED);
        }
        String dashboard = rendered.one("ConfigMap", "kubeai-dashboard").<Map<String, String>>at("data").get("kubeai.json");
        Map<String, Object> json = Yaml.map(dashboard);
        assertThat(json).containsEntry("uid", "kubeai-scheduler");
        List<Map<String, Object>> panels = Yaml.at(json, "panels");
        long queries = 0;
        for (Map<String, Object> panel : panels) {
            List<Map<String, Object>> targets = Yaml.at(panel, "targets");
            for (Map<String, Object> target : targets == null ? List.<Map<String, Object>>of() : targets) {
                assertThat(metrics((String) target.get("expr"))).as("panel %s", panel.get("title")).isNotEmpty()
                        .isSubsetOf(histogramBases(EXPORTED));
                queries++;
            }
        }
        assertThat(queries).isGreaterThan(10);
        Map<String, String> labels = rendered.one("ConfigMap", "kubeai-dashboard").at("metadata.labels");
        assertThat(labels).containsEntry("grafana_dashboard", "1");
    }

    @Test
    void theAlertsFollowTheWebhooksFailurePolicy() {
        String fail = HelmChart.renderText(ALL_ON, "webhook: {failurePolicy: Fail}");
        String ignore = HelmChart.renderText(ALL_ON);

        assertThat(fail).contains("With failurePolicy Fail, pod creation fails");
        assertThat(ignore).contains("With failurePolicy Ignore, pods are created without the admission gate");
    }

    private static Set<String> metrics(String expr) {
        Set<String> names = new java.util.TreeSet<>();
        Matcher m = METRIC.matcher(expr);
        while (m.find()) {
            names.add(m.group().replaceAll("_(bucket|sum|count)$", ""));
        }
        return names;
    }

    private static Set<String> histogramBases(Set<String> names) {
        return names;
    }
}
