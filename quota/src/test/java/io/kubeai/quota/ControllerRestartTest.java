package io.kubeai.quota;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kubeai.core.cycle.CycleResult;
import io.kubeai.kube.KubeAiNames;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A controller stopped at each point of an admission, and a new one started on the same API
 * server: every gang ends admitted exactly once or cleanly pending, and no capacity is counted
 * twice. The crash points are reproduced by writing exactly what the controller had written when
 * it stopped.
 */
@EnableKubernetesMockClient(crud = true)
class ControllerRestartTest {
    KubernetesClient client;
    ControllerFixture f;

    @BeforeEach
    void setUp() {
        f = new ControllerFixture(client);
        f.node("gpu-a", 4);
        f.node("gpu-b", 4);
        f.queue("team", null, 8);
        f.podGroup("g", "team", 4, null);
        f.gangPods("g", "g", 4, "team", 1, 0);
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void stoppedWhileWritingThePlanTheAdmissionIsRolledBackThenRedoneOnce() {
        // Two of four members got their plan before the crash; no gate was lifted.
        annotate(List.of("g-0", "g-1"), "crashed/4", "gpu-a");
        f.start();
        CycleResult first = f.cycle(4);
        assertThat(first.admitted()).isEmpty();
        assertThat(f.pods("g")).allSatisfy(p -> {
            assertThat(ControllerFixture.gated(p)).isTrue();
            assertThat(ControllerFixture.planned(p)).isNull();
        });
        CycleResult second = f.cycle(4);
        assertThat(second.admitted()).hasSize(1);
        assertThat(admissionIds()).hasSize(1).doesNotContain("crashed/4");
        assertThat(f.pods("g")).allSatisfy(p -> assertThat(ControllerFixture.gated(p)).isFalse());
    }

    @Test
    void stoppedAfterThePlanWasWrittenTheNewLeaderLiftsTheGatesWithoutAdmittingAgain() {
        annotate(List.of("g-0", "g-1", "g-2", "g-3"), "done/4", "gpu-a");
        f.start();
        CycleResult r = f.cycle(4);
        assertThat(r.admitted()).isEmpty();
        assertThat(f.pods("g")).allSatisfy(p -> assertThat(ControllerFixture.gated(p)).isFalse());
        assertThat(admissionIds()).containsExactly("done/4");
        assertNoDoubleCounting();
    }

    @Test
    void stoppedAfterSomeGatesWereLiftedTheRestAreLiftedAndNothingIsCountedTwice() {
        annotate(List.of("g-0", "g-1", "g-2", "g-3"), "half/4", "gpu-a");
        liftGate("g-0");
        liftGate("g-1");
        f.start();
        assertThat(f.cycle(4).admitted()).isEmpty();
        assertThat(f.pods("g")).allSatisfy(p -> assertThat(ControllerFixture.gated(p)).isFalse());
        assertThat(admissionIds()).containsExactly("half/4");
        assertNoDoubleCounting();
    }

    @Test
    void aRestartBetweenTwoCyclesChangesNothing() {
        f.start();
        assertThat(f.cycle(4).admitted()).hasSize(1);
        f.restart();
        assertThat(f.cycle(4).admitted()).isEmpty();
        assertThat(admissionIds()).hasSize(1);
        assertNoDoubleCounting();
    }

    /** The recovered gang holds gpu-a's 4 GPUs: another gang of 4 fits gpu-b, a fifth GPU does not. */
    private void assertNoDoubleCounting() {
        f.podGroup("next", "team", 4, null);
        f.gangPods("next", "n", 4, "team", 1, 0);
        assertThat(f.cycle(8).admitted()).hasSize(1);
        f.gangPods(null, "extra", 1, "team", 1, 0);
        CycleResult r = f.cycle(9);
        assertThat(r.admitted()).isEmpty();
        assertThat(f.cache.<Long>read(s -> s.allocatedGpuMillis())).isEqualTo(8_000L);
    }

    private void annotate(List<String> names, String admissionId, String node) {
        for (String n : names) {
            client.pods().inNamespace("ml").withName(n).edit(p -> {
                p.getMetadata().setAnnotations(new java.util.HashMap<>(Map.of(KubeAiNames.ADMISSION_ID, admissionId,
                        KubeAiNames.PLANNED_NODE, node)));
                return p;
            });
        }
    }

    private void liftGate(String name) {
        client.pods().inNamespace("ml").withName(name).edit(p -> {
            p.getSpec().getSchedulingGates().clear();
            return p;
        });
    }

    private List<String> admissionIds() {
        return f.pods("g").stream().map(Pod::getMetadata).map(m -> m.getAnnotations().get(KubeAiNames.ADMISSION_ID))
                .distinct().collect(Collectors.toList());
    }
}
