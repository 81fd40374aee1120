package io.kubeai.chart;

import java.util.List;

/** A named set of values the chart is rendered with; the tests run each check on every one. */
record Scenario(String name, String... values) {
    /** A CA certificate, base64 PEM, for the scenario that brings its own Secret (any valid PEM will do). */
    static final String SOME_CA_BUNDLE = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJ4ekNDQVcyZ0F3SUJBZ0lVCi0tLS0tRU5EIENFUlRJRklDQVRFLS0tLS0K";

    static List<Scenario> all() {
        return List.of(
                new Scenario("default values"),
                new Scenario("TLS from cert-manager, self-signed Issuer", """
                        webhook: {tls: {mode: certManager}}
                        """),
                new Scenario("TLS from cert-manager, a ClusterIssuer", """
                        webhook: {tls: {mode: certManager, certManager: {issuerRef: {kind: ClusterIssuer, name: corp-ca}}}}
                        """),
                new Scenario("TLS from a Secret of your own", """
                        webhook: {tls: {mode: secret, secretName: my-webhook-tls, caBundle: %s}}
                        """.formatted(SOME_CA_BUNDLE)),
                new Scenario("metrics off", """
                        metrics: {enabled: false}
                        """),
                new Scenario("metrics with ServiceMonitor, PrometheusRule and Grafana dashboard", """
                        metrics:
                          serviceMonitor: {enabled: true, labels: {release: prometheus}}
                          prometheusRule: {enabled: true, labels: {release: prometheus}}
                          grafanaDashboard: {enabled: true, namespace: monitoring}
                        """),
                new Scenario("HA: three replicas of everything, failurePolicy Fail", """
                        scheduler: {replicas: 3}
                        controller: {replicas: 3}
                        webhook: {replicas: 3, failurePolicy: Fail, timeoutSeconds: 3}
                        """),
                new Scenario("no webhook", """
                        webhook: {enabled: false}
                        """),
                new Scenario("every option on", """
                        fullnameOverride: ai
                        commonLabels: {team: platform}
                        imagePullSecrets: [{name: regcred}]
                        image: {repository: registry.example.com/kubeai, tag: "1.2.3"}
                        scheduler:
                          extender: {managedResources: [{name: kubeai.io/elastic-cpu, ignoredByScheduler: true}]}
                          extraArgs: ["--kube-api-qps=100"]
                          podDisruptionBudget: {minAvailable: 1}
                          priorityClassName: system-cluster-critical
                        controller:
                          extenderPort: 8899
                          metricsPort: 9191
                          publishElasticCapacity: true
                          readSchedulerPluginsPodGroups: false
                          extraEnv: [{name: TZ, value: UTC}]
                          nodeSelector: {node-role.kubernetes.io/control-plane: ""}
                          tolerations: [{key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}]
                        webhook:
                          readNamespaces: true
                          excludeNamespaces: [monitoring, cert-manager]
                          podDisruptionBudget: {enabled: false}
                        networkPolicy: {enabled: true, extenderFrom: [{namespaceSelector: {matchLabels: {name: monitoring}}}]}
                        metrics:
                          serviceMonitor: {enabled: true}
                          prometheusRule: {enabled: true, extraRules: [{alert: Custom, expr: vector(1) == 0}]}
                          grafanaDashboard: {enabled: true}
                        """));
    }

    @Override
    public String toString() {
        return name;
    }
}
