package io.kubeai.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Least privilege: each component gets exactly what it uses, by name, never a wildcard. */
class RbacTest {
    /** A rule flattened for comparison: apiGroups | resources | resourceNames | verbs. */
    record Rule(String apiGroups, String resources, String resourceNames, String verbs) {
        static Rule of(PolicyRule r) {
            return new Rule(String.join(",", r.getApiGroups()), String.join(",", r.getResources()),
                    String.join(",", r.getResourceNames()), String.join(",", r.getVerbs()));
        }
    }

    static Stream<Scenario> scenarios() {
        return Scenario.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void noRoleUsesAWildcard(Scenario scenario) {
        Rendered rendered = HelmChart.render(scenario.values());

        List<PolicyRule> rules = new ArrayList<>();
        rendered.ofKind("ClusterRole").forEach(o -> rules.addAll(o.as(ClusterRole.class).getRules()));
        rendered.ofKind("Role").forEach(o -> rules.addAll(o.as(Role.class).getRules()));
        assertThat(rules).isNotEmpty();
        for (PolicyRule r : rules) {
            assertThat(Stream.of(r.getApiGroups(), r.getResources(), r.getVerbs(), r.getResourceNames(),
                    r.getNonResourceURLs()).flatMap(List::stream)).as("rule %s", r).noneMatch(s -> s.contains("*"));
            assertThat(r.getVerbs()).as("rule %s", r).doesNotContain("delete", "deletecollection", "escalate", "bind",
                    "impersonate");
            assertThat(r.getResources()).as("rule %s", r).doesNotContain("secrets", "configmaps", "roles",
                    "clusterroles", "rolebindings", "clusterrolebindings");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void everyBindingNamesARenderedServiceAccountAndAnExistingRole(Scenario scenario) {
        Rendered rendered = HelmChart.render(scenario.values());
        Set<String> systemClusterRoles = Set.of("system:kube-scheduler", "system:volume-scheduler");

        for (Rendered.Obj o : rendered.ofKind("ClusterRoleBinding")) {
            ClusterRoleBinding b = o.as(ClusterRoleBinding.class);
            assertServiceAccountsRendered(rendered, b.getSubjects());
            RoleRef ref = b.getRoleRef();
            assertThat(ref.getKind()).isEqualTo("ClusterRole");
            assertThat(systemClusterRoles.contains(ref.getName()) || rendered.has("ClusterRole", ref.getName()))
                    .as("%s refers to ClusterRole %s", o, ref.getName()).isTrue();
        }
        for (Rendered.Obj o : rendered.ofKind("RoleBinding")) {
            RoleBinding b = o.as(RoleBinding.class);
            assertServiceAccountsRendered(rendered, b.getSubjects());
            if ("kube-system".equals(o.namespace())) {
                assertThat(b.getRoleRef().getName()).isEqualTo("extension-apiserver-authentication-reader");
            } else {
                assertThat(rendered.has("Role", b.getRoleRef().getName())).as("%s refers to a rendered Role", o).isTrue();
            }
        }
    }

    private static void assertServiceAccountsRendered(Rendered rendered, List<Subject> subjects) {
        assertThat(subjects).isNotEmpty().allSatisfy(s -> {
            assertThat(s.getKind()).isEqualTo("ServiceAccount");
            assertThat(s.getNamespace()).isEqualTo(HelmChart.NAMESPACE);
            assertThat(rendered.has("ServiceAccount", s.getName())).as("ServiceAccount %s", s.getName()).isTrue();
        });
    }

    @Test
    void theControllerMayDoWhatAdmissionAndTheExtenderDoAndNothingElse() {
        Rendered rendered = HelmChart.render();

        assertThat(rules(rendered.one("ClusterRole", "kubeai-controller", ClusterRole.class).getRules())).containsExactly(
                new Rule("", "pods", "", "get,list,watch,patch,update"),
                new Rule("", "pods/eviction", "", "create"),
                new Rule("", "pods/binding", "", "create"),
                new Rule("", "nodes", "", "get,list,watch"),
                new Rule("", "events", "", "create,patch"),
                new Rule("scheduling.kubeai.io", "queues,podgroups", "", "get,list,watch"),
                new Rule("scheduling.kubeai.io", "queues/status,podgroups/status", "", "patch,update"),
                new Rule("topology.node.k8s.io", "noderesourcetopologies", "", "get,list,watch"),
                new Rule("scheduling.x-k8s.io", "podgroups", "", "get,list,watch"));
        assertThat(rules(rendered.one("Role", "kubeai-controller-lease", Role.class).getRules())).containsExactly(
                new Rule("coordination.k8s.io", "leases", "", "create"),
                new Rule("coordination.k8s.io", "leases", "kubeai-controller", "get,update,patch"));
        assertThat(rendered.one("ClusterRoleBinding", "kubeai-controller", ClusterRoleBinding.class).getSubjects())
                .extracting(Subject::getName).containsExactly("kubeai-controller");
    }

    @Test
    void publishingElasticCapacityAddsPatchOnNodeStatusAndReadingMetricsOnly() {
        List<Rule> without = rules(HelmChart.render().one("ClusterRole", "kubeai-controller", ClusterRole.class)
                .getRules());
        List<Rule> with = rules(HelmChart.render("controller: {publishElasticCapacity: true}")
                .one("ClusterRole", "kubeai-controller", ClusterRole.class).getRules());

        assertThat(with).containsAll(without);
        assertThat(with.stream().filter(r -> !without.contains(r))).containsExactly(
                new Rule("", "nodes/status", "", "patch"),
                new Rule("metrics.k8s.io", "nodes,pods", "", "get,list"));
    }

    @Test
    void nodeResourceTopologiesCanBeLeftUnread() {
        List<Rule> rules = rules(HelmChart.render("controller: {readNodeResourceTopology: false}")
                .one("ClusterRole", "kubeai-controller", ClusterRole.class).getRules());

        assertThat(rules).extracting(Rule::apiGroups).doesNotContain("topology.node.k8s.io");
    }

    @Test
    void schedulerPluginsPodGroupsCanBeLeftUnread() {
        List<Rule> rules = rules(HelmChart.render("controller: {readSchedulerPluginsPodGroups: false}")
                .one("ClusterRole", "kubeai-controller", ClusterRole.class).getRules());

        assertThat(rules).extracting(Rule::apiGroups).doesNotContain("scheduling.x-k8s.io");
    }

    @Test
    void theSchedulerIsBoundToTheBootstrapSchedulerRolesAndOwnsOnlyItsLease() {
        Rendered rendered = HelmChart.render();

        assertThat(rendered.ofKind("ClusterRoleBinding").stream().map(o -> o.as(ClusterRoleBinding.class))
                .filter(b -> b.getSubjects().get(0).getName().equals("kubeai-scheduler"))
                .map(b -> b.getRoleRef().getName()))
                .containsExactlyInAnyOrder("system:kube-scheduler", "system:volume-scheduler");
        assertThat(rules(rendered.one("Role", "kubeai-scheduler-lease", Role.class).getRules())).containsExactly(
                new Rule("coordination.k8s.io", "leases", "", "create"),
                new Rule("coordination.k8s.io", "leases", "kubeai-scheduler", "get,update"));
        RoleBinding reader = rendered.one("RoleBinding", "kubeai-scheduler-kubeai-system-authentication-reader",
                RoleBinding.class);
        assertThat(reader.getMetadata().getNamespace()).isEqualTo("kube-system");
        assertThat(reader.getRoleRef().getKind()).isEqualTo("Role");
        assertThat(HelmChart.render("scheduler: {authenticationReader: false}").ofKind("RoleBinding"))
                .noneMatch(o -> "kube-system".equals(o.namespace()));
    }

    @Test
    void theLeaseRolesNameTheLeasesTheProcessesAreToldToUse() {
        Rendered rendered = HelmChart.render("controller: {leaseName: ctl-lock}", "scheduler: {leaseName: sched-lock}");

        assertThat(rules(rendered.one("Role", "kubeai-controller-lease", Role.class).getRules()))
                .contains(new Rule("coordination.k8s.io", "leases", "ctl-lock", "get,update,patch"));
        assertThat(Workloads.args(rendered, "kubeai-controller")).contains("--lease-name=ctl-lock",
                "--lease-namespace=kubeai-system");
        assertThat(rules(rendered.one("Role", "kubeai-scheduler-lease", Role.class).getRules()))
                .contains(new Rule("coordination.k8s.io", "leases", "sched-lock", "get,update"));
        assertThat(SchedulerConfigurationTest.configuration(rendered))
                .extracting(c -> Yaml.at(c, "leaderElection.resourceName"), c -> Yaml.at(c, "leaderElection.resourceNamespace"))
                .containsExactly("sched-lock", "kubeai-system");
    }

    @Test
    void theWebhookHasNoApiAccessUnlessItReadsNamespaces() {
        Rendered byDefault = HelmChart.render();
        assertThat(byDefault.has("ClusterRole", "kubeai-webhook")).isFalse();
        assertThat(byDefault.objects()).filteredOn(o -> o.kind().endsWith("Binding"))
                .noneMatch(o -> o.yaml().contains("name: kubeai-webhook\n"));
        assertThat(Workloads.podSpec(byDefault, "kubeai-webhook").getAutomountServiceAccountToken()).isFalse();

        Rendered reading = HelmChart.render("webhook: {readNamespaces: true}");
        assertThat(rules(reading.one("ClusterRole", "kubeai-webhook", ClusterRole.class).getRules())).containsExactly(
                new Rule("", "namespaces", "", "get,list,watch"));
        assertThat(Workloads.podSpec(reading, "kubeai-webhook").getAutomountServiceAccountToken()).isTrue();
    }

    private static List<Rule> rules(List<PolicyRule> rules) {
        return rules.stream().map(Rule::of).toList();
    }
}
