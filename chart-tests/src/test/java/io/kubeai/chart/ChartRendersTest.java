package io.kubeai.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.schema.validator.ValidationMessage;
import io.fabric8.kubernetes.schema.validator.ValidationReport;
import io.fabric8.kubernetes.schema.validator.Validator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chart lints and renders with every scenario's values, and every object it renders is valid
 * against the Kubernetes schemas, offline (fabric8's kubernetes-model-validator, whose schemas
 * include Kubernetes' own and, from OpenShift's, the Prometheus Operator's ServiceMonitor and
 * PrometheusRule). cert-manager's Issuer and Certificate are not among them: the validator cannot
 * check them, and they are checked field by field in {@link WebhookTest}.
 */
class ChartRendersTest {
    /** Kinds the validator has no schema for; everything else must validate. */
    static final Set<String> NOT_VALIDATED = Set.of("cert-manager.io/v1 Issuer", "cert-manager.io/v1 Certificate");

    private static Validator validator;

    @BeforeAll
    static void validator() {
        validator = Validator.newInstance();
    }

    static Stream<Scenario> scenarios() {
        return Scenario.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void lintsStrictlyWithoutErrors(Scenario scenario) {
        LintResult lint = HelmChart.lint(scenario.values());

        assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
        assertThat(lint.getMessages()).as("helm lint messages").noneMatch(m -> m.contains("[ERROR]")
                || m.contains("[WARNING]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void everyRenderedObjectIsValidAgainstTheKubernetesSchemas(Scenario scenario) throws IOException {
        Rendered rendered = HelmChart.render(scenario.values());

        List<String> errors = new ArrayList<>();
        int validated = 0;
        for (Rendered.Obj o : rendered.objects()) {
            if (NOT_VALIDATED.contains(o.apiVersion() + " " + o.kind())) {
                continue;
            }
            ValidationReport report = validator.validate(o.yaml());
            validated++;
            for (ValidationMessage m : report.getMessages()) {
                if (m.getLevel() == ValidationMessage.Level.ERROR && !integerInIntOrString(o, m)) {
                    errors.add(o + ": " + m.getMessage());
                }
            }
        }
        assertThat(errors).as("schema errors").isEmpty();
        assertThat(validated).as("objects validated").isGreaterThanOrEqualTo(15);
    }

    /**
     * The validator's schemas type Kubernetes' IntOrString as a string, so it reports an integer
     * where Kubernetes takes either. A PodDisruptionBudget's maxUnavailable and minAvailable are the
     * chart's only integers in such fields, and there a string must be a percentage: "1" would be
     * refused by the API server. These two reports, and no others, are accepted.
     */
    static boolean integerInIntOrString(Rendered.Obj o, ValidationMessage m) {
        return o.kind().equals("PodDisruptionBudget")
                && m.getMessage().matches("\\[Path '/spec/(maxUnavailable|minAvailable)'\\] Instance type \\(integer\\) "
                        + "does not match any allowed primitive type \\(allowed: \\[\"string\"\\]\\)");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void everyObjectIsNamedOnceAndLivesInTheReleaseNamespace(Scenario scenario) {
        Rendered rendered = HelmChart.render(scenario.values());

        Set<String> seen = new HashSet<>();
        for (Rendered.Obj o : rendered.objects()) {
            assertThat(seen.add(o.apiVersion() + " " + o.kind() + " " + o.namespace() + "/" + o.name()))
                    .as("rendered twice: %s", o).isTrue();
            assertThat(o.name()).as("name of %s", o).matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?").hasSizeLessThan(64);
            assertThat(o.<java.util.Map<String, String>>at("metadata.labels"))
                    .as("labels of %s", o).containsEntry("app.kubernetes.io/instance", HelmChart.RELEASE);
            boolean clusterScoped = Set.of("ClusterRole", "ClusterRoleBinding", "MutatingWebhookConfiguration",
                    "ValidatingWebhookConfiguration").contains(o.kind());
            if (clusterScoped) {
                assertThat(o.namespace()).as("namespace of %s", o).isNull();
            } else if (o.source().endsWith("scheduler-rbac.yaml") && o.kind().equals("RoleBinding")
                    && "kube-system".equals(o.namespace())) {
                assertThat(o.<String>at("roleRef.name")).isEqualTo("extension-apiserver-authentication-reader");
            } else if (o.source().endsWith("grafana-dashboard.yaml")) {
                assertThat(o.namespace()).isNotNull();
            } else {
                assertThat(o.namespace()).as("namespace of %s", o).isEqualTo(HelmChart.NAMESPACE);
            }
        }
    }

    @Test
    void theValidatorCatchesAnInvalidObject() throws IOException {
        String deployment = HelmChart.render().one("Deployment", "kubeai-controller").yaml();
        assertThat(deployment).contains("replicas: 1\n");

        assertThat(validator.validate(deployment).hasErrors()).isFalse();
        assertThat(validator.validate(deployment.replace("replicas: 1\n", "replicas: one\n")).hasErrors()).isTrue();
    }

    /**
     * What the validator checks beyond Kubernetes' own kinds: the Prometheus Operator's, yes; a kind
     * it has no schema for passes silently, which is why cert-manager's are listed in NOT_VALIDATED.
     */
    @Test
    void theValidatorChecksPrometheusOperatorKindsButNotCertManagers() throws IOException {
        assertThat(validator.validate("""
                apiVersion: monitoring.coreos.com/v1
                kind: ServiceMonitor
                metadata: {name: x}
                spec: {endpoints: not-a-list, selector: {}}
                """).hasErrors()).isTrue();
        assertThat(validator.validate("""
                apiVersion: cert-manager.io/v1
                kind: Certificate
                metadata: {name: x}
                spec: {secretName: [not, a, string]}
                """).getMessages()).isEmpty();
    }

    @Test
    void rendersTheComponentsWithDefaultValues() {
        Rendered rendered = HelmChart.render();

        assertThat(rendered.ofKind("Deployment")).extracting(Rendered.Obj::name)
                .containsExactlyInAnyOrder("kubeai-scheduler", "kubeai-controller", "kubeai-webhook");
        assertThat(rendered.ofKind("ServiceAccount")).extracting(Rendered.Obj::name)
                .containsExactlyInAnyOrder("kubeai-scheduler", "kubeai-controller", "kubeai-webhook");
        assertThat(rendered.ofKind("Service")).extracting(Rendered.Obj::name)
                .containsExactlyInAnyOrder("kubeai-extender", "kubeai-webhook");
        assertThat(rendered.ofKind("PodDisruptionBudget")).hasSize(3);
        assertThat(rendered.ofKind("MutatingWebhookConfiguration")).hasSize(1);
        assertThat(rendered.ofKind("ValidatingWebhookConfiguration")).hasSize(1);
        assertThat(rendered.objects()).extracting(Rendered.Obj::kind)
                .doesNotContain("ServiceMonitor", "PrometheusRule", "NetworkPolicy", "Certificate", "Issuer");
    }

    @Test
    void theSchemaRejectsAMisspelledValue() {
        assertThatThrownBy(() -> HelmChart.render("webhook: {failurPolicy: Fail}"))
                .hasMessageContaining("failurPolicy");
    }

    @Test
    void theSchemaRejectsAFailurePolicyTheApiServerDoesNotKnow() {
        assertThatThrownBy(() -> HelmChart.render("webhook: {failurePolicy: Retry}"))
                .hasMessageContaining("failurePolicy");
    }

    @Test
    void theSchemaRejectsATimeoutAboveThirtySeconds() {
        assertThatThrownBy(() -> HelmChart.render("webhook: {timeoutSeconds: 31}"))
                .hasMessageContaining("timeoutSeconds");
    }

    @Test
    void monitoringWithMetricsOffIsRefusedWithAReason() {
        assertThatThrownBy(() -> HelmChart.render("metrics: {enabled: false, serviceMonitor: {enabled: true}}"))
                .hasMessageContaining("need metrics.enabled=true");
    }
}
