package io.kubeai.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ServiceReference;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The webhook's Deployment, Service, certificate and the configurations that send pods, Queues and
 * PodGroups to it must agree with each other for the API server to reach it at all.
 */
class WebhookTest {
    /** One entry of either configuration, whichever kind it came from. */
    record Hook(String name, String failurePolicy, Integer timeoutSeconds, ServiceReference service, String caBundle,
            List<LabelSelectorRequirement> namespaceSelector, List<String> resources, List<String> operations) {
        static Hook of(MutatingWebhook w) {
            return new Hook(w.getName(), w.getFailurePolicy(), w.getTimeoutSeconds(), w.getClientConfig().getService(),
                    w.getClientConfig().getCaBundle(), w.getNamespaceSelector().getMatchExpressions(),
                    w.getRules().stream().flatMap(r -> r.getResources().stream()).toList(),
                    w.getRules().stream().flatMap(r -> r.getOperations().stream()).toList());
        }

        static Hook of(ValidatingWebhook w) {
            return new Hook(w.getName(), w.getFailurePolicy(), w.getTimeoutSeconds(), w.getClientConfig().getService(),
                    w.getClientConfig().getCaBundle(), w.getNamespaceSelector().getMatchExpressions(),
                    w.getRules().stream().flatMap(r -> r.getResources().stream()).toList(),
                    w.getRules().stream().flatMap(r -> r.getOperations().stream()).toList());
        }
    }

    static Stream<Scenario> scenarios() {
        return Scenario.all().stream().filter(s -> !s.name().equals("no webhook"));
    }

    static List<Hook> hooks(Rendered rendered) {
        List<Hook> hooks = new ArrayList<>();
        rendered.ofKind("MutatingWebhookConfiguration").forEach(o -> o.as(MutatingWebhookConfiguration.class)
                .getWebhooks().forEach(w -> hooks.add(Hook.of(w))));
        rendered.ofKind("ValidatingWebhookConfiguration").forEach(o -> o.as(ValidatingWebhookConfiguration.class)
                .getWebhooks().forEach(w -> hooks.add(Hook.of(w))));
        return hooks;
    }

    static String webhookDeployment(Rendered rendered) {
        return rendered.ofKind("Deployment").stream().map(Rendered.Obj::name).filter(n -> n.endsWith("-webhook"))
                .findFirst().orElseThrow();
    }

    @AfterEach
    void forgetSecrets() {
        FakeApiServer.get().clear();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void everyWebhookReachesTheWebhookContainerThroughItsService(Scenario scenario) {
        Rendered rendered = HelmChart.render(scenario.values());
        String deployment = webhookDeployment(rendered);
        Container container = Workloads.container(rendered, deployment);

        List<Hook> hooks = hooks(rendered);
        assertThat(hooks).extracting(Hook::name).containsExactly("pods.mutate.kubeai.io", "pods.validate.kubeai.io",
                "scheduling.validate.kubeai.io");
        for (Hook hook : hooks) {
            ServiceReference ref = hook.service();
            assertThat(ref.getNamespace()).isEqualTo(HelmChart.NAMESPACE);
            assertThat(ref.getPath()).isEqualTo(hook.name().contains("mutate") ? "/mutate" : "/validate");
            Service service = rendered.one("Service", ref.getName(), Service.class);
            ServicePort port = service.getSpec().getPorts().stream().filter(p -> p.getPort().equals(ref.getPort()))
                    .findFirst().orElseThrow(() -> new AssertionError("the Service has no port " + ref.getPort()));
            assertThat(Workloads.deployment(rendered, deployment).getSpec().getTemplate().getMetadata().getLabels())
                    .containsAllEntriesOf(service.getSpec().getSelector());
            int containerPort = container.getPorts().stream()
                    .filter(p -> p.getName().equals(port.getTargetPort().getStrVal())).findFirst().orElseThrow()
                    .getContainerPort();
            assertThat(Workloads.flag(rendered, deployment, "--port")).isEqualTo(String.valueOf(containerPort));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void theWebhookIsStartedWithTheCertificateAndPolicyItIsGiven(Scenario scenario) {
        Rendered rendered = HelmChart.render(scenario.values());
        String deployment = webhookDeployment(rendered);
        PodSpec pod = Workloads.podSpec(rendered, deployment);

        assertThat(Workloads.args(rendered, deployment)).first().isEqualTo("webhook");
        Volume tls = volumeHolding(pod, Workloads.flag(rendered, deployment, "--tls-cert"));
        assertThat(volumeHolding(pod, Workloads.flag(rendered, deployment, "--tls-key"))).isEqualTo(tls);
        assertThat(Workloads.flag(rendered, deployment, "--tls-cert")).endsWith("/tls.crt");
        assertThat(Workloads.flag(rendered, deployment, "--tls-key")).endsWith("/tls.key");
        String secretName = tls.getSecret().getSecretName();
        if (scenario.name().contains("Secret of your own")) {
            assertThat(secretName).isEqualTo("my-webhook-tls");
        } else if (scenario.name().contains("cert-manager")) {
            assertThat(rendered.ofKind("Certificate")).singleElement()
                    .satisfies(c -> assertThat(c.<String>at("spec.secretName")).isEqualTo(secretName));
        } else {
            assertThat(rendered.has("Secret", secretName)).isTrue();
        }
        Volume policy = volumeHolding(pod, Workloads.flag(rendered, deployment, "--config"));
        assertThat(rendered.has("ConfigMap", policy.getConfigMap().getName())).isTrue();
    }

    private static Volume volumeHolding(PodSpec pod, String file) {
        VolumeMount mount = pod.getContainers().get(0).getVolumeMounts().stream()
                .filter(m -> file.startsWith(m.getMountPath() + "/")).findFirst()
                .orElseThrow(() -> new AssertionError(file + " is on no mounted volume"));
        return pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void kubeSystemAndTheReleaseNamespaceAreNeverSentToTheWebhook(Scenario scenario) {
        for (Hook hook : hooks(HelmChart.render(scenario.values()))) {
            assertThat(hook.namespaceSelector()).singleElement().satisfies(r -> {
                assertThat(r.getKey()).isEqualTo("kubernetes.io/metadata.name");
                assertThat(r.getOperator()).isEqualTo("NotIn");
                assertThat(r.getValues()).contains("kube-system", HelmChart.NAMESPACE);
            });
        }
    }

    @Test
    void moreNamespacesCanBeExcluded() {
        for (Hook hook : hooks(HelmChart.render("webhook: {excludeNamespaces: [monitoring, kube-system]}"))) {
            assertThat(hook.namespaceSelector().get(0).getValues())
                    .containsExactly("kube-system", HelmChart.NAMESPACE, "monitoring");
        }
    }

    @Test
    void podsAreMutatedAtCreateAndValidatedWithQueuesAndPodGroups() {
        List<Hook> hooks = hooks(HelmChart.render());

        assertThat(hooks).extracting(Hook::resources, Hook::operations).containsExactly(
                org.assertj.core.groups.Tuple.tuple(List.of("pods"), List.of("CREATE")),
                org.assertj.core.groups.Tuple.tuple(List.of("pods"), List.of("CREATE", "UPDATE")),
                org.assertj.core.groups.Tuple.tuple(List.of("queues", "podgroups"), List.of("CREATE", "UPDATE")));
        MutatingWebhook mutate = HelmChart.render().one("MutatingWebhookConfiguration", "kubeai-webhook",
                MutatingWebhookConfiguration.class).getWebhooks().get(0);
        assertThat(mutate.getSideEffects()).isEqualTo("None");
        assertThat(mutate.getAdmissionReviewVersions()).containsExactly("v1");
        assertThat(mutate.getReinvocationPolicy()).isEqualTo("IfNeeded");
    }

    @Test
    void failurePolicyAndTimeoutComeFromValues() {
        assertThat(hooks(HelmChart.render())).extracting(Hook::failurePolicy, Hook::timeoutSeconds)
                .containsOnly(org.assertj.core.groups.Tuple.tuple("Ignore", 5));
        assertThat(hooks(HelmChart.render("webhook: {failurePolicy: Fail, timeoutSeconds: 2}")))
                .extracting(Hook::failurePolicy, Hook::timeoutSeconds)
                .containsOnly(org.assertj.core.groups.Tuple.tuple("Fail", 2));
    }

    @Test
    void aChartGeneratedCertificateIsSignedByTheCaTheApiServerIsGiven() throws Exception {
        Rendered rendered = HelmChart.render();
        Secret secret = rendered.one("Secret", "kubeai-webhook-tls", Secret.class);
        assertThat(secret.getType()).isEqualTo("kubernetes.io/tls");

        X509Certificate ca = certificate(secret.getData().get("ca.crt"));
        X509Certificate served = certificate(secret.getData().get("tls.crt"));
        served.verify(ca.getPublicKey());
        served.checkValidity(new Date());
        assertThat(served.getSubjectAlternativeNames().stream().map(san -> String.valueOf(san.get(1))))
                .contains("kubeai-webhook.kubeai-system.svc");
        assertThat(new String(Base64.getDecoder().decode(secret.getData().get("tls.key"))))
                .contains("PRIVATE KEY-----");
        assertThat(hooks(rendered)).extracting(Hook::caBundle).containsOnly(secret.getData().get("ca.crt"));
    }

    @Test
    void anUpgradeKeepsTheCertificateAlreadyInTheCluster() {
        Secret first = HelmChart.render().one("Secret", "kubeai-webhook-tls", Secret.class);
        FakeApiServer.get().putSecret(HelmChart.NAMESPACE, "kubeai-webhook-tls", Yaml.json(first));

        Rendered upgrade = HelmChart.render();

        assertThat(upgrade.one("Secret", "kubeai-webhook-tls", Secret.class).getData()).isEqualTo(first.getData());
        assertThat(hooks(upgrade)).extracting(Hook::caBundle).containsOnly(first.getData().get("ca.crt"));
    }

    @Test
    void withoutASecretInTheClusterEachRenderingGeneratesANewCertificate() {
        String first = HelmChart.render().one("Secret", "kubeai-webhook-tls", Secret.class).getData().get("tls.crt");
        String second = HelmChart.render().one("Secret", "kubeai-webhook-tls", Secret.class).getData().get("tls.crt");

        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void certManagerIssuesTheCertificateAndInjectsItsCa() {
        Rendered rendered = HelmChart.render("webhook: {tls: {mode: certManager}}");

        assertThat(rendered.ofKind("Secret")).isEmpty();
        Rendered.Obj certificate = rendered.one("Certificate", "kubeai-webhook");
        assertThat(certificate.<List<String>>at("spec.dnsNames")).contains("kubeai-webhook.kubeai-system.svc");
        assertThat(certificate.<String>at("spec.issuerRef.kind")).isEqualTo("Issuer");
        Rendered.Obj issuer = rendered.one("Issuer", certificate.at("spec.issuerRef.name"));
        assertThat(issuer.<Map<String, Object>>at("spec")).containsKey("selfSigned");
        for (String kind : List.of("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration")) {
            Map<String, String> annotations = rendered.one(kind, "kubeai-webhook").at("metadata.annotations");
            assertThat(annotations).containsEntry("cert-manager.io/inject-ca-from", "kubeai-system/kubeai-webhook");
        }
        assertThat(hooks(rendered)).extracting(Hook::caBundle).containsOnlyNulls();
    }

    @Test
    void certManagerCanUseAnIssuerOfYourOwn() {
        Rendered rendered = HelmChart.render(
                "webhook: {tls: {mode: certManager, certManager: {issuerRef: {kind: ClusterIssuer, name: corp-ca}}}}");

        assertThat(rendered.ofKind("Issuer")).isEmpty();
        assertThat(rendered.one("Certificate", "kubeai-webhook").<Map<String, Object>>at("spec.issuerRef"))
                .isEqualTo(Map.of("kind", "ClusterIssuer", "name", "corp-ca"));
    }

    @Test
    void aSecretOfYourOwnIsMountedAndItsCaTrusted() {
        Rendered rendered = HelmChart.render("webhook: {tls: {mode: secret, secretName: my-tls, caBundle: "
                + Scenario.SOME_CA_BUNDLE + "}}");

        assertThat(rendered.ofKind("Secret")).isEmpty();
        assertThat(rendered.ofKind("Certificate")).isEmpty();
        assertThat(hooks(rendered)).extracting(Hook::caBundle).containsOnly(Scenario.SOME_CA_BUNDLE);
    }

    @Test
    void withoutTheWebhookNothingOfItIsRendered() {
        Rendered rendered = HelmChart.render("webhook: {enabled: false}");

        assertThat(rendered.objects()).noneMatch(o -> o.name().contains("webhook"));
        assertThat(rendered.ofKind("MutatingWebhookConfiguration")).isEmpty();
        assertThat(rendered.ofKind("ValidatingWebhookConfiguration")).isEmpty();
    }

    private static X509Certificate certificate(String base64Pem) throws Exception {
        byte[] pem = Base64.getDecoder().decode(base64Pem);
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem));
    }
}
