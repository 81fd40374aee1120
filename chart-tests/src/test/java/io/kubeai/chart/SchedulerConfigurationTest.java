package io.kubeai.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The second kube-scheduler's KubeSchedulerConfiguration, read back from the rendered ConfigMap:
 * its extender block must reach the extender through the rendered Service, whatever the names
 * and ports.
 */
class SchedulerConfigurationTest {
    static Stream<Scenario> scenarios() {
        return Scenario.all().stream();
    }

    /** The KubeSchedulerConfiguration the scheduler Deployment is started with. */
    static Map<String, Object> configuration(Rendered rendered) {
        String deployment = rendered.ofKind("Deployment").stream().map(Rendered.Obj::name)
                .filter(n -> n.endsWith("-scheduler")).findFirst().orElseThrow();
        PodSpec pod = Workloads.podSpec(rendered, deployment);
        Container c = pod.getContainers().get(0);
        String configFlag = Workloads.flag(rendered, deployment, "--config");
        VolumeMount mount = c.getVolumeMounts().stream().filter(m -> configFlag.startsWith(m.getMountPath() + "/"))
                .findFirst().orElseThrow(() -> new AssertionError("--config=" + configFlag + " is on no mounted volume"));
        Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
        ConfigMap cm = rendered.one("ConfigMap", volume.getConfigMap().getName(), ConfigMap.class);
        String key = configFlag.substring(mount.getMountPath().length() + 1);
        assertThat(cm.getData()).as("ConfigMap %s", cm.getMetadata().getName()).containsKey(key);
        return Yaml.map(cm.getData().get(key));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void theExtenderUrlReachesTheExtenderThroughTheRenderedService(Scenario scenario) {
        Rendered rendered = HelmChart.render(scenario.values());
        Map<String, Object> config = configuration(rendered);

        assertThat(config).containsEntry("apiVersion", "kubescheduler.config.k8s.io/v1")
                .containsEntry("kind", "KubeSchedulerConfiguration");
        List<Map<String, Object>> extenders = Yaml.at(config, "extenders");
        assertThat(extenders).hasSize(1);
        URI url = URI.create((String) extenders.get(0).get("urlPrefix"));
        assertThat(url.getScheme()).isEqualTo("http");
        assertThat(url.getPath()).isEqualTo("/scheduler");
        String[] host = url.getHost().split("\\.");
        assertThat(host).as("host <service>.<namespace>.svc").hasSize(3);
        assertThat(host[1]).isEqualTo(HelmChart.NAMESPACE);
        assertThat(host[2]).isEqualTo("svc");

        // The Service named in the URL, in the release namespace, with the URL's port...
        Service service = rendered.one("Service", host[0], Service.class);
        assertThat(service.getMetadata().getNamespace()).isEqualTo(host[1]);
        ServicePort port = service.getSpec().getPorts().stream().filter(p -> p.getPort() == url.getPort()).findFirst()
                .orElseThrow(() -> new AssertionError("Service " + host[0] + " has no port " + url.getPort()));
        // ...selects the controller's pods...
        String controller = rendered.ofKind("Deployment").stream().map(Rendered.Obj::name)
                .filter(n -> n.endsWith("-controller")).findFirst().orElseThrow();
        Map<String, String> podLabels = Workloads.deployment(rendered, controller).getSpec().getTemplate().getMetadata()
                .getLabels();
        assertThat(podLabels).containsAllEntriesOf(service.getSpec().getSelector());
        // ...on the container port the extender is told to listen on.
        Container container = Workloads.container(rendered, controller);
        ContainerPort target = container.getPorts().stream()
                .filter(p -> p.getName().equals(port.getTargetPort().getStrVal())).findFirst()
                .orElseThrow(() -> new AssertionError("no container port named " + port.getTargetPort()));
        assertThat(Workloads.args(rendered, controller)).first().isEqualTo("controller");
        assertThat(Workloads.flag(rendered, controller, "--extender-port"))
                .isEqualTo(String.valueOf(target.getContainerPort()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void theSchedulerRunsOnlyTheKubeaiProfileWithEveryExtenderVerb(Scenario scenario) {
        Map<String, Object> config = configuration(HelmChart.render(scenario.values()));

        assertThat(Yaml.<List<Map<String, Object>>>at(config, "profiles")).extracting(p -> p.get("schedulerName"))
                .containsExactly("kubeai-scheduler");
        Map<String, Object> extender = Yaml.at(config, "extenders.0");
        assertThat(extender).containsEntry("filterVerb", "filter").containsEntry("prioritizeVerb", "prioritize")
                .containsEntry("bindVerb", "bind").containsEntry("preemptVerb", "preempt")
                .containsEntry("nodeCacheCapable", true).containsEntry("enableHTTPS", false);
        assertThat(config).containsEntry("percentageOfNodesToScore", 100);
        assertThat(Yaml.<Boolean>at(config, "leaderElection.leaderElect")).isTrue();
        assertThat(Yaml.<String>at(config, "leaderElection.resourceNamespace")).isEqualTo(HelmChart.NAMESPACE);
    }

    @Test
    void extenderSettingsComeFromValues() {
        Map<String, Object> extender = Yaml.at(configuration(HelmChart.render("""
                scheduler:
                  extender:
                    weight: 3
                    httpTimeout: 2500ms
                    ignorable: true
                    managedResources: [{name: kubeai.io/elastic-cpu, ignoredByScheduler: true}]
                """)), "extenders.0");

        assertThat(extender).containsEntry("weight", 3).containsEntry("httpTimeout", "2500ms")
                .containsEntry("ignorable", true)
                .containsEntry("managedResources", List.of(Map.of("name", "kubeai.io/elastic-cpu", "ignoredByScheduler", true)));
    }

    @Test
    void byDefaultTheExtenderIsCalledForEveryPodAndCannotBeSkipped() {
        Map<String, Object> extender = Yaml.at(configuration(HelmChart.render()), "extenders.0");

        assertThat(extender).doesNotContainKey("managedResources").containsEntry("ignorable", false)
                .containsEntry("weight", 5).containsEntry("httpTimeout", "5s");
    }

    /** Release "kubeai" in "kubeai-system" is the installation deploy/kube-scheduler-config.yaml describes. */
    @Test
    void theDefaultReleaseRendersTheSampleConfigurationOfDeploy() throws Exception {
        Map<String, Object> sample = Yaml.map(java.nio.file.Files.readString(
                HelmChart.repository().resolve("deploy/kube-scheduler-config.yaml")));
        Map<String, Object> rendered = configuration(HelmChart.render());

        assertThat(Yaml.<Object>at(rendered, "extenders")).isEqualTo(Yaml.at(sample, "extenders"));
        assertThat(Yaml.<Object>at(rendered, "profiles")).isEqualTo(Yaml.at(sample, "profiles"));
        assertThat(Yaml.<Object>at(rendered, "leaderElection.resourceName"))
                .isEqualTo(Yaml.at(sample, "leaderElection.resourceName"));
    }

    @Test
    void theSchedulerImageIsTheOfficialOneAtTheVersionGiven() {
        Rendered rendered = HelmChart.render("scheduler: {image: {tag: v1.31.4}}");

        assertThat(Workloads.container(rendered, "kubeai-scheduler").getImage())
                .isEqualTo("registry.k8s.io/kube-scheduler:v1.31.4");
        assertThat(Workloads.container(rendered, "kubeai-scheduler").getCommand()).containsExactly("kube-scheduler");
    }

    @Test
    void aChangedConfigurationRollsTheSchedulerPods() {
        String before = Workloads.deployment(HelmChart.render(), "kubeai-scheduler").getSpec().getTemplate()
                .getMetadata().getAnnotations().get("checksum/config");
        String after = Workloads.deployment(HelmChart.render("scheduler: {extender: {weight: 7}}"), "kubeai-scheduler")
                .getSpec().getTemplate().getMetadata().getAnnotations().get("checksum/config");

        assertThat(before).isNotBlank().isNotEqualTo(after);
    }

    @Test
    void theNetworkPolicyLetsOnlyTheSchedulerReachTheExtender() {
        Rendered rendered = HelmChart.render("networkPolicy: {enabled: true}");
        io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy policy = rendered.one("NetworkPolicy",
                "kubeai-controller", io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class);

        assertThat(policy.getSpec().getPodSelector().getMatchLabels())
                .isEqualTo(Workloads.deployment(rendered, "kubeai-controller").getSpec().getSelector().getMatchLabels());
        var extender = policy.getSpec().getIngress().get(0);
        assertThat(extender.getPorts()).extracting(p -> p.getPort().getIntVal()).containsExactly(8888);
        assertThat(extender.getFrom()).singleElement().satisfies(peer -> assertThat(peer.getPodSelector().getMatchLabels())
                .isEqualTo(Workloads.deployment(rendered, "kubeai-scheduler").getSpec().getSelector().getMatchLabels()));
        assertThat(policy.getSpec().getIngress().get(1).getFrom()).isEmpty();
        assertThat(policy.getSpec().getIngress().get(1).getPorts()).extracting(p -> p.getPort().getIntVal())
                .containsExactly(9090);
    }
}
