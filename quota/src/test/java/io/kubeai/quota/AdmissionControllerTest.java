package io.kubeai.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.kubeai.core.cycle.CycleConfig;
import io.kubeai.core.cycle.CycleResult;
import io.kubeai.kube.ClusterCache;
import io.kubeai.kube.KubeAiNames;
import io.kubeai.kube.crd.PodGroup;
import io.kubeai.kube.crd.Queue;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class AdmissionControllerTest {
    KubernetesMockServer server;
    KubernetesClient client;
    ControllerFixture f;

    @BeforeEach
    void setUp() {
        f = new ControllerFixture(client);
        f.node("gpu-a", 4);
        f.node("gpu-b", 4);
        f.queue("team", null, 8);
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void aGangOfEightIsAdmittedWholeWithItsPlanWrittenBeforeTheGatesLift() {
        f.start();
        f.podGroup("train", "team", 8, null);
        f.gangPods("train", "w", 8, "team", 1, 0);
        CycleResult r = f.cycle(8);
        assertThat(r.admitted()).hasSize(1);
        List<Pod> pods = f.pods("w");
        assertThat(pods).hasSize(8).allSatisfy(p -> {
            assertThat(ControllerFixture.gated(p)).isFalse();
            assertThat(ControllerFixture.planned(p)).isIn("gpu-a", "gpu-b");
            assertThat(p.getMetadata().getAnnotations().get(KubeAiNames.ADMISSION_ID)).endsWith("/8");
        });
        assertThat(pods.stream().filter(p -> "gpu-a".equals(ControllerFixture.planned(p)))).hasSize(4);
        PodGroup pg = f.podGroupNamed("train");
        assertThat(pg.getStatus().getPhase()).isEqualTo("Admitted");
        assertThat(pg.getStatus().getPlan()).hasSize(8);
    }

    @Test
    void aGangThatCannotFitWholeHoldsNothingAndSaysWhy() {
        f.start();
        f.queue("big", null, 0);
        f.podGroup("huge", "team", 9, null);
        f.gangPods("huge", "h", 9, "team", 1, 0);
        CycleResult r = f.cycle(9);
        assertThat(r.admitted()).isEmpty();
        assertThat(f.pods("h")).allSatisfy(p -> {
            assertThat(ControllerFixture.gated(p)).isTrue();
            assertThat(ControllerFixture.planned(p)).isNull();
        });
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(f.podGroupNamed("huge").getStatus().getMessage())
                .isEqualTo("can never be admitted: the whole cluster has 8 nvidia.com/gpu, the workload needs 9"));
    }

    @Test
    void twoGangsThatTogetherOverflowTheClusterNeverBothHalfAdmit() {
        f.start();
        f.podGroup("one", "team", 6, null);
        f.podGroup("two", "team", 6, null);
        f.gangPods("one", "one", 6, "team", 1, 0);
        f.gangPods("two", "two", 6, "team", 1, 0);
        CycleResult r = f.cycle(12);
        assertThat(r.admitted()).hasSize(1);
        String winner = r.admitted().get(0).workload().id().endsWith("one") ? "one" : "two";
        String loser = winner.equals("one") ? "two" : "one";
        assertThat(f.pods(winner)).allSatisfy(p -> assertThat(ControllerFixture.gated(p)).isFalse());
        assertThat(f.pods(loser)).allSatisfy(p -> {
            assertThat(ControllerFixture.gated(p)).isTrue();
            assertThat(ControllerFixture.planned(p)).isNull();
        });
        // A second cycle sees the first gang's reservations and still admits nothing more.
        assertThat(f.cycle(12).admitted()).isEmpty();
    }

    @Test
    void aQueueBorrowsIdleCapacityAndTheOwnerReclaimsIt() {
        client.resources(Queue.class).withName("team").delete();
        f.queue("cv", null, 4);
        f.queue("nlp", null, 4);
        f.start();
        for (int i = 0; i < 8; i++) {
            f.gangPods(null, "cv" + i, 1, "cv", 1, 0);
        }
        CycleResult r = f.cycle(8);
        assertThat(r.admitted()).hasSize(8);
        await().untilAsserted(() -> assertThat(client.resources(Queue.class).withName("cv").get().getStatus().getGpusBorrowed())
                .isEqualTo("4"));
        for (int i = 0; i < 8; i++) {
            server.expect().post().withPath("/api/v1/namespaces/ml/pods/cv" + i + "-0/eviction").andReturn(201, "{}").always();
        }
        f.gangPods(null, "nlp", 1, "nlp", 1, 0);
        CycleResult r2 = f.cycle(9);
        assertThat(r2.preemptions()).hasSize(1);
        assertThat(r2.preemptions().get(0).victims()).hasSize(1);
        assertThat(r2.preemptions().get(0).victims().get(0).why()).isEqualTo("queue cv borrows capacity queue nlp is guaranteed");
        // The preemptor keeps its precedence into the next cycle, which builds a fresh state: it is
        // decided first there, before the borrowers that wait, and takes the room its victim frees.
        String preemptor = r2.preemptions().get(0).workload().id();
        assertThat(f.controller.precedenceLeft()).containsExactly(
                java.util.Map.entry(preemptor, CycleConfig.DEFAULT_PREEMPTOR_PRECEDENCE_CYCLES));
        CycleResult r3 = f.cycle(9);
        assertThat(r3.decisions().get(0).workload().id()).isEqualTo(preemptor);
        assertThat(r3.admitted()).as(r3.decisions().toString()).extracting(a -> a.workload().id()).contains(preemptor);
        assertThat(f.controller.precedenceLeft()).isEmpty();
    }

    @Test
    void anEvictionAPodDisruptionBudgetRefusesIsTriedOnceSaidAndRetriedNextCycle() throws Exception {
        client.resources(Queue.class).withName("team").delete();
        f.queue("cv", null, 4);
        f.queue("nlp", null, 4);
        f.start();
        for (int i = 0; i < 8; i++) {
            f.gangPods(null, "cv" + i, 1, "cv", 1, 0);
        }
        assertThat(f.cycle(8).admitted()).hasSize(8);
        // Every borrowed pod is guarded by a PodDisruptionBudget.
        for (int i = 0; i < 8; i++) {
            server.expect().post().withPath("/api/v1/namespaces/ml/pods/cv" + i + "-0/eviction").andReturn(429,
                    "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"Cannot evict pod as"
                            + " it would violate the pod's disruption budget.\",\"reason\":\"TooManyRequests\",\"code\":429}")
                    .always();
        }
        f.gangPods(null, "nlp", 1, "nlp", 1, 0);
        drainRequests();
        List<String> victims = new java.util.ArrayList<>();
        for (int cycle = 0; cycle < 2; cycle++) {
            CycleResult r = f.cycle(9);
            assertThat(r.preemptions()).hasSize(1);
            assertThat(r.preemptions().get(0).victims()).hasSize(1);
            String victim = r.preemptions().get(0).victims().get(0).workloadId();
            victims.add(victim);
            // Tried once per cycle, not retried with back-off on the controller's thread.
            assertThat(drainRequests()).filteredOn(x -> x.endsWith("/eviction"))
                    .containsExactly("POST /api/v1/namespaces/" + victim.replace("/", "/pods/") + "/eviction");
        }
        // The victim was not counted as leaving: the next cycle chose it again, and it still runs.
        assertThat(victims.get(1)).isEqualTo(victims.get(0));
        String name = victims.get(0).substring("ml/".length());
        assertThat(client.pods().inNamespace("ml").withName(name).get()).isNotNull();
        // One Event saying so, not one per cycle.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(client.v1().events().inNamespace("ml").list()
                .getItems()).filteredOn(e -> e.getReason().equals("EvictionBlocked")).singleElement().satisfies(e -> {
                    assertThat(e.getInvolvedObject().getName()).isEqualTo(name);
                    assertThat(e.getMessage()).isEqualTo("preempted to admit ml/nlp-0: queue cv borrows capacity queue nlp"
                            + " is guaranteed; evicting " + victims.get(0) + " was refused (a PodDisruptionBudget forbids it"
                            + " now); it is retried next cycle");
                }));
        assertThat(client.v1().events().inNamespace("ml").list().getItems())
                .noneMatch(e -> e.getReason().equals("Preempted"));
        assertThat(f.controller.metrics().scrape()).contains("kubeai_preemption_evictions_blocked_total{queue=\"cv\"} 2.0");
    }

    private List<String> drainRequests() throws InterruptedException {
        List<String> out = new java.util.ArrayList<>();
        io.fabric8.mockwebserver.http.RecordedRequest r;
        while ((r = server.takeRequest(1, java.util.concurrent.TimeUnit.MILLISECONDS)) != null) {
            out.add(r.getMethod() + " " + r.getPath());
        }
        return out;
    }

    @Test
    void theControllerIsNotSyncedUntilItsHandlersHaveAppliedWhatItsInformersListed() throws Exception {
        f.queue("second", null, 0);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean first = new java.util.concurrent.atomic.AtomicBoolean(true);
        ClusterCache cache = new ClusterCache(f.clock, Duration.ofSeconds(30));
        cache.markSynced();
        AdmissionController c = new AdmissionController(client, cache, f.clock,
                io.kubeai.core.config.SchedulingPolicy.DEFAULT, new ControllerMetrics(), "test");
        try {
            // The first queue's handler blocks: the informer has listed both, its handler applied one.
            c.watch(() -> {
                if (first.getAndSet(false)) {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> !c.synced());
            assertThat(c.reconcile().decisions()).isEmpty();
            release.countDown();
            await().atMost(Duration.ofSeconds(10)).until(c::synced);
        } finally {
            release.countDown();
            c.close();
        }
    }

    @Test
    void higherPriorityGoesFirstInAQueue() {
        f.start();
        f.gangPods("low", "low", 2, "team", 4, 0);
        f.gangPods("high", "high", 2, "team", 4, 100);
        CycleResult r = f.cycle(4);
        assertThat(r.admitted()).extracting(a -> a.workload().id()).containsExactly("ml/high");
    }

    @Test
    void aGangPastItsTimeoutGivesUpAndSaysSo() {
        f.start();
        f.podGroup("late", "team", 9, 60L);
        f.gangPods("late", "l", 9, "team", 1, 0);
        java.time.Instant created = java.time.Instant.parse(f.podGroupNamed("late").getMetadata().getCreationTimestamp());
        f.now.set(created.plusSeconds(61));
        f.cycle(9);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            PodGroup pg = f.podGroupNamed("late");
            assertThat(pg.getStatus().getPhase()).isEqualTo("Failed");
            assertThat(pg.getStatus().getMessage()).isEqualTo("gave up: waited 61 s, beyond its timeout of 60 s; it held nothing");
        });
    }

    @Test
    void membersStillBeingCreatedAreWaitedFor() {
        f.start();
        f.podGroup("partial", "team", 4, null);
        f.gangPods("partial", "p", 3, "team", 1, 0);
        CycleResult r = f.cycle(3);
        assertThat(r.decisions()).isEmpty();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(f.podGroupNamed("partial").getStatus().getMessage())
                .isEqualTo("3 of 4 pods exist; the gang waits for the rest to be created"));
    }

    @Test
    void anUnknownQueueIsNamed() {
        f.start();
        f.gangPods(null, "lost", 1, "nobody", 1, 0);
        CycleResult r = f.cycle(1);
        assertThat(r.waits().get(0).message()).isEqualTo("queue nobody does not exist; queues are [team]");
    }
}
