package io.kubeai.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSchedulingGateBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kubeai.kube.KubeAiNames;
import io.kubeai.kube.crd.PodGroup;
import io.kubeai.quota.WorkloadDurations.Estimate;
import io.kubeai.quota.WorkloadDurations.Source;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@EnableKubernetesMockClient(crud = true)
class WorkloadDurationsTest {
    KubernetesClient client;
    ControllerFixture f;

    @BeforeEach
    void setUp() {
        f = new ControllerFixture(client);
        f.node("gpu-a", 8);
        f.queue("q", null, 8);
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    /** A member pod: gated (pending) or bound and started {@code startedAgo} ago (running). */
    private void pod(String name, String gang, Map<String, String> annotations, Long activeDeadlineSeconds,
            Duration startedAgo) {
        Map<String, String> ann = new HashMap<>(annotations);
        PodBuilder b = new PodBuilder().withNewMetadata().withName(name).withNamespace("ml")
                .withLabels(Map.of(KubeAiNames.QUEUE, "q", KubeAiNames.GANG, gang)).withAnnotations(ann)
                .withCreationTimestamp(f.now.get().toString()).endMetadata()
                .withNewSpec().withActiveDeadlineSeconds(activeDeadlineSeconds).addNewContainer().withName("c")
                .withImage("x").withNewResources().withLimits(Map.of(KubeAiNames.GPU_RESOURCE, new Quantity("1")))
                .endResources().endContainer().endSpec();
        if (startedAgo == null) {
            b.editSpec().withSchedulingGates(new PodSchedulingGateBuilder().withName(KubeAiNames.SCHEDULING_GATE).build())
                    .endSpec();
        } else {
            ann.put(KubeAiNames.ADMISSION_ID, "uid-" + gang + "/1");
            b.editMetadata().withAnnotations(ann).endMetadata().editSpec().withNodeName("gpu-a").endSpec()
                    .withNewStatus().withPhase("Running").withStartTime(f.now.get().minus(startedAgo).toString())
                    .endStatus();
        }
        Pod p = b.build();
        client.pods().inNamespace("ml").resource(p).create();
    }

    private WorkloadDurations.Estimates estimates(int pods) {
        f.start();
        org.awaitility.Awaitility.await().until(() -> f.cache.allPods().size() == pods);
        AdmissionController.Snapshot s = f.controller.snapshot(f.now.get().getEpochSecond()).orElseThrow();
        return WorkloadDurations.of(s, f.now.get().getEpochSecond(), 3600);
    }

    @Test
    void eachRuleInTurn() {
        pod("a-0", "annotated", Map.of(KubeAiNames.EXPECTED_DURATION, "30m"), null, null);
        pod("a-1", "annotated", Map.of(KubeAiNames.EXPECTED_DURATION, "2h"), 60L, null);
        pod("d-0", "deadline", Map.of(), 900L, null);
        pod("d-1", "deadline", Map.of(), 600L, null);
        pod("n-0", "nothing", Map.of(), null, null);
        pod("r-0", "running", Map.of(KubeAiNames.EXPECTED_DURATION, "1h"), null, Duration.ofMinutes(20));
        pod("o-0", "overran", Map.of(KubeAiNames.EXPECTED_DURATION, "10m"), null, Duration.ofMinutes(20));

        WorkloadDurations.Estimates e = estimates(7);

        // The largest annotation of the gang, over any deadline.
        assertThat(e.of("ml/annotated")).isEqualTo(new Estimate("ml/annotated", false, 7200, 0, Source.ANNOTATION));
        // The first deadline ends the gang.
        assertThat(e.of("ml/deadline")).isEqualTo(new Estimate("ml/deadline", false, 600, 0, Source.ACTIVE_DEADLINE));
        assertThat(e.of("ml/nothing")).isEqualTo(new Estimate("ml/nothing", false, 3600, 0, Source.ASSUMED));
        assertThat(e.of("ml/running")).isEqualTo(new Estimate("ml/running", true, 3600, 1200, Source.ANNOTATION));
        assertThat(e.of("ml/running").remainingSeconds()).isEqualTo(2400);
        assertThat(e.of("ml/overran").remainingSeconds()).isZero();
        assertThat(e.of("ml/overran").overran()).isTrue();
        assertThat(e.countBySource()).containsEntry(Source.ANNOTATION, 3).containsEntry(Source.ACTIVE_DEADLINE, 1)
                .containsEntry(Source.ASSUMED, 1);
        assertThat(e.warnings()).isEmpty();
    }

    @Test
    void aPodGroupAnnotationComesFirst() {
        f.podGroup("pg", "q", 1, null);
        client.resources(PodGroup.class).inNamespace("ml").withName("pg").edit(pg -> {
            pg.getMetadata().setAnnotations(Map.of(KubeAiNames.EXPECTED_DURATION, "45m"));
            return pg;
        });
        pod("pg-0", "pg", Map.of(KubeAiNames.EXPECTED_DURATION, "3h"), null, null);

        WorkloadDurations.Estimates e = estimates(1);

        assertThat(e.of("ml/pg")).isEqualTo(new Estimate("ml/pg", false, 2700, 0, Source.ANNOTATION));
    }

    @Test
    void anAnnotationThatDoesNotParseIsReportedAndTheNextRuleApplies() {
        // Running: a pending gang with this annotation is held by the controller (InvalidTiming)
        // and is not in the snapshot's pending work at all.
        pod("b-0", "bad", Map.of(KubeAiNames.EXPECTED_DURATION, "soon"), 120L, Duration.ofMinutes(1));

        WorkloadDurations.Estimates e = estimates(1);

        assertThat(e.of("ml/bad")).isEqualTo(new Estimate("ml/bad", true, 120, 60, Source.ACTIVE_DEADLINE));
        assertThat(e.warnings()).containsExactly("pod ml/b-0: kubeai.io/expected-duration \"soon\" is not a duration;"
                + " expected a Go duration such as 90m, 1h30m or 45s, or whole seconds such as 5400; ignored");
    }

    @ParameterizedTest(name = "{0} is {1} s")
    @CsvSource({"45s, 45", "90m, 5400", "2h30m, 9000", "1d, 86400", "1d2h3m4s, 93784", "PT1H30M, 5400", " 2h , 7200"})
    void durationsAsPeopleWriteThem(String text, long seconds) {
        assertThat(WorkloadDurations.parseSeconds(text)).isEqualTo(seconds);
    }

    @ParameterizedTest(name = "\"{0}\" is refused")
    @ValueSource(strings = {"", "soon", "10", "1m1h", "1h1h", "5 m", "-5m", "1.5h", "PTxH", "99999999999999999999d"})
    void whatIsNotADurationIsRefused(String text) {
        assertThatThrownBy(() -> WorkloadDurations.parseSeconds(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a duration");
    }

    @Test
    void aZeroDurationIsRefused() {
        assertThatThrownBy(() -> WorkloadDurations.parseSeconds("0s")).hasMessageContaining("is not a positive duration");
    }

    @ParameterizedTest(name = "{0} s reads {1}")
    @CsvSource({"0, 0s", "45, 45s", "60, 1m", "125, 2m5s", "3600, 1h", "5400, 1h30m", "5430, 1h30m", "86400, 1d",
        "93784, 1d2h"})
    void secondsAsPeopleReadThem(long seconds, String text) {
        assertThat(WorkloadDurations.format(seconds)).isEqualTo(text);
    }
}
