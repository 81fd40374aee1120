package io.kubeai.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubeai.core.config.ConfigValidationException;
import io.kubeai.core.config.SchedulingPolicy;
import io.kubeai.core.config.ValidationError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.dataformat.yaml.YAMLMapper;

class PolicyFileTest {
    @TempDir
    Path dir;

    @Test
    void theShippedSamplePolicyIsValidAndEqualsTheDefaults() {
        assertThat(PolicyFile.load(Path.of("..", "deploy", "scheduling-policy.yaml"))).isEqualTo(SchedulingPolicy.DEFAULT);
    }

    @Test
    void everyErrorIsReportedWithItsPath() throws IOException {
        Path f = write("""
                apiVersion: kubeai.io/v1
                kind: SchedulingPolicy
                placement:
                  policy: Tetris
                  weight: 3
                queueing:
                  agingIntervalSeconds: soon
                preemption:
                  enabled: yes please
                  maxVictims: -1
                  preemptorPrecedenceCycles: -2
                """);
        assertThatThrownBy(() -> PolicyFile.load(f)).isInstanceOfSatisfying(ConfigValidationException.class, e ->
                assertThat(e.errors()).extracting(ValidationError::toString).containsExactlyInAnyOrder(
                        "apiVersion: \"kubeai.io/v1\" is not supported; expected kubeai.io/v1alpha1",
                        "placement.weight: unknown field; expected one of [policy]",
                        "placement.policy: \"Tetris\" is not one of [Random, DotProd, GpuClustering, GpuPacking, BestFit, FGD]",
                        "queueing.agingIntervalSeconds: expected an integer, found \"soon\"",
                        "preemption.enabled: expected true or false, found \"yes please\"",
                        "preemption.maxVictims: must be within 0..10000, was -1",
                        "preemption.preemptorPrecedenceCycles: must be within 0..10000, was -2"));
    }

    @Test
    void preemptorPrecedenceIsReadIntoTheCycle() throws IOException {
        Path f = write("""
                apiVersion: kubeai.io/v1alpha1
                kind: SchedulingPolicy
                preemption:
                  preemptorPrecedenceCycles: 0
                """);
        assertThat(PolicyFile.load(f).cycle()).isEqualTo(SchedulingPolicy.DEFAULT.cycle().withPreemptorPrecedence(0));
    }

    @Test
    void aYamlSyntaxErrorNamesFileLineAndColumn() throws IOException {
        Path f = write("apiVersion: kubeai.io/v1alpha1\nkind: SchedulingPolicy\nplacement: [unclosed\n");
        assertThatThrownBy(() -> PolicyFile.load(f)).isInstanceOfSatisfying(ConfigValidationException.class, e -> {
            assertThat(e.errors()).hasSize(1);
            assertThat(e.errors().get(0).path()).startsWith(f + ":3:");
            assertThat(e.errors().get(0).message()).startsWith("not valid YAML");
        });
    }

    @Test
    void valuesAreReadCaseInsensitivelyForChoices() throws IOException {
        Path f = write("apiVersion: kubeai.io/v1alpha1\nkind: SchedulingPolicy\nplacement:\n  policy: fgd\n");
        assertThat(PolicyFile.load(f).placementPolicy()).isEqualTo("FGD");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theSampleSchedulerConfigurationCallsTheExtenderOnEveryVerb() throws IOException {
        Map<String, Object> cfg = YAMLMapper.builder().build()
                .readValue(Files.readString(Path.of("..", "deploy", "kube-scheduler-config.yaml")), Map.class);
        assertThat(cfg).containsEntry("apiVersion", "kubescheduler.config.k8s.io/v1")
                .containsEntry("kind", "KubeSchedulerConfiguration");
        List<Map<String, Object>> profiles = (List<Map<String, Object>>) cfg.get("profiles");
        assertThat(profiles).extracting(p -> p.get("schedulerName")).containsExactly(KubeAiNames.SCHEDULER_NAME);
        Map<String, Object> ext = ((List<Map<String, Object>>) cfg.get("extenders")).get(0);
        assertThat(ext).containsEntry("filterVerb", "filter").containsEntry("prioritizeVerb", "prioritize")
                .containsEntry("bindVerb", "bind").containsEntry("preemptVerb", "preempt")
                .containsEntry("nodeCacheCapable", true).containsEntry("ignorable", false);
        assertThat((String) ext.get("urlPrefix")).endsWith(":8888/scheduler");
    }

    private Path write(String content) throws IOException {
        Path f = dir.resolve("policy.yaml");
        Files.writeString(f, content);
        return f;
    }
}
