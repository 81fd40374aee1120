package io.kubeai.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What every pod of the chart must have: requests, probes on its own ports, no root, a budget. */
class WorkloadsTest {
    static Stream<Scenario> scenarios() {
        return Scenario.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void everyContainerRequestsResourcesAndIsProbedOnItsOwnPorts(Scenario scenario) {
        Rendered rendered = HelmChart.render(scenario.values());

        for (Rendered.Obj o : rendered.ofKind("Deployment")) {
            Container c = Workloads.container(rendered, o.name());
            assertThat(c.getResources().getRequests()).as("requests of %s", o).containsKeys("cpu", "memory");
            assertThat(c.getResources().getLimits()).as("limits of %s", o).containsKey("memory");
            List<String> portNames = c.getPorts().stream().map(ContainerPort::getName).toList();
            for (Probe probe : new Probe[] {c.getLivenessProbe(), c.getReadinessProbe(), c.getStartupProbe()}) {
                assertThat(probe).as("probes of %s", o).isNotNull();
                assertThat(probe.getHttpGet().getPort().getStrVal()).as("probe port of %s", o).isIn(portNames);
                assertThat(probe.getHttpGet().getPath()).startsWith("/");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void nothingRunsAsRootOrWithPrivileges(Scenario scenario) {
        Rendered rendered = HelmChart.render(scenario.values());

        for (Rendered.Obj o : rendered.ofKind("Deployment")) {
            PodSpec pod = Workloads.podSpec(rendered, o.name());
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).as("runAsNonRoot of %s", o).isTrue();
            assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(65532L);
            assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
            Container c = pod.getContainers().get(0);
            assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
            assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
            assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
            assertThat(c.getVolumeMounts()).as("a writable /tmp for %s", o).anyMatch(m -> m.getMountPath().equals("/tmp"));
            assertThat(pod.getServiceAccountName()).isEqualTo(o.name());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void everyDeploymentHasABudgetSelectingItsPodsUnlessTurnedOff(Scenario scenario) {
        Rendered rendered = HelmChart.render(scenario.values());

        for (Rendered.Obj o : rendered.ofKind("Deployment")) {
            Deployment d = o.as(Deployment.class);
            Map<String, String> labels = d.getSpec().getTemplate().getMetadata().getLabels();
            assertThat(labels).containsAllEntriesOf(d.getSpec().getSelector().getMatchLabels());
            List<PodDisruptionBudget> budgets = rendered.ofKind("PodDisruptionBudget").stream()
                    .map(p -> p.as(PodDisruptionBudget.class))
                    .filter(p -> labels.entrySet().containsAll(p.getSpec().getSelector().getMatchLabels().entrySet()))
                    .toList();
            if (scenario.name().equals("every option on") && o.name().endsWith("-webhook")) {
                assertThat(budgets).as("budgets of %s", o).isEmpty();
            } else {
                assertThat(budgets).as("budgets of %s", o).hasSize(1);
            }
        }
    }

    @Test
    void replicasAboveOneAreSpreadOverNodes() {
        Rendered rendered = HelmChart.render("scheduler: {replicas: 2}", "controller: {replicas: 3}",
                "webhook: {replicas: 2}");

        for (String name : List.of("kubeai-scheduler", "kubeai-controller", "kubeai-webhook")) {
            Deployment d = Workloads.deployment(rendered, name);
            assertThat(d.getSpec().getReplicas()).isGreaterThan(1);
            var term = d.getSpec().getTemplate().getSpec().getAffinity().getPodAntiAffinity()
                    .getPreferredDuringSchedulingIgnoredDuringExecution().get(0).getPodAffinityTerm();
            assertThat(term.getTopologyKey()).isEqualTo("kubernetes.io/hostname");
            assertThat(term.getLabelSelector().getMatchLabels()).isEqualTo(d.getSpec().getSelector().getMatchLabels());
        }
        assertThat(Workloads.podSpec(HelmChart.render(), "kubeai-controller").getAffinity()).isNull();
    }

    @Test
    void anAffinityGivenInValuesReplacesTheDefaultSpread() {
        Rendered rendered = HelmChart.render("""
                controller:
                  replicas: 2
                  affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: pool, operator: In, values: [system]}]}]}}}
                """);

        var affinity = Workloads.podSpec(rendered, "kubeai-controller").getAffinity();
        assertThat(affinity.getPodAntiAffinity()).isNull();
        assertThat(affinity.getNodeAffinity()).isNotNull();
    }

    @Test
    void budgetsTakeMinAvailableOverMaxUnavailable() {
        PodDisruptionBudget pdb = HelmChart.render("controller: {podDisruptionBudget: {minAvailable: 2}}")
                .one("PodDisruptionBudget", "kubeai-controller", PodDisruptionBudget.class);

        assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isEqualTo(2);
        assertThat(pdb.getSpec().getMaxUnavailable()).isNull();
    }

    @Test
    void theControllerRunsTheExtenderInProcessWithItsLeaseInTheReleaseNamespace() {
        Rendered rendered = HelmChart.render();

        assertThat(Workloads.args(rendered, "kubeai-controller")).containsExactly("controller",
                "--config=/etc/kubeai/policy/scheduling-policy.yaml", "--extender-port=8888", "--metrics-port=9090",
                "--lease-namespace=kubeai-system", "--lease-name=kubeai-controller", "--interval-seconds=5");
        assertThat(Workloads.container(rendered, "kubeai-controller").getImage()).isEqualTo("kubeai:0.1.0");
        assertThat(Workloads.container(rendered, "kubeai-webhook").getImage()).isEqualTo("kubeai:0.1.0");
    }

    @Test
    void theImageComesFromValues() {
        Rendered rendered = HelmChart.render("image: {repository: registry.example.com/ml/kubeai, tag: 0.2.0, pullPolicy: Always}");

        for (String name : List.of("kubeai-controller", "kubeai-webhook")) {
            Container c = Workloads.container(rendered, name);
            assertThat(c.getImage()).isEqualTo("registry.example.com/ml/kubeai:0.2.0");
            assertThat(c.getImagePullPolicy()).isEqualTo("Always");
        }
    }
}
