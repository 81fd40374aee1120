package io.kubeai.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.kubeai.core.cycle.CycleConfig;
import io.kubeai.core.config.ElasticPolicy;
import io.kubeai.core.config.SchedulingPolicy;
import io.kubeai.core.config.StaggerPolicy;
import io.kubeai.core.config.WebhookPolicy;
import io.kubeai.core.cycle.CycleResult;
import io.kubeai.core.cycle.Decision;
import io.kubeai.core.window.TimeWindow;
import io.kubeai.kube.KubeAiNames;
import io.kubeai.kube.crd.PodGroup;
import io.kubeai.kube.crd.Queue;
import io.kubeai.kube.crd.QueueResourceStatus;
import io.kubeai.kube.crd.QueueWindowSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Staggering applied live: queue windows closing and scaling queues at the clock's instant,
 * budgeted evictions when a window closes a queue, deferral by timing annotations and the
 * production window, on the mock API server with a clock the test moves.
 */
@EnableKubernetesMockClient(crud = true)
class StaggeringControllerTest {
    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    KubernetesMockServer server;
    KubernetesClient client;
    ControllerFixture f;
    /** A day after the mock server's creation stamps (the real time), so every wait is positive. */
    final LocalDate day = LocalDate.now(SHANGHAI).plusDays(2);

    @BeforeEach
    void setUp() {
        f = new ControllerFixture(client);
        f.node("gpu-a", 4);
        f.node("gpu-b", 4);
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    static QueueWindowSpec window(String start, String end, String zone, String action) {
        QueueWindowSpec w = new QueueWindowSpec();
        w.setStart(start);
        w.setEnd(end);
        w.setTimeZone(zone);
        w.setAction(action);
        return w;
    }

    static QueueWindowSpec closingAndEvicting(String start, String end, String zone) {
        QueueWindowSpec w = window(start, end, zone, "Close");
        w.setEvictRunning(true);
        return w;
    }

    static SchedulingPolicy policy(TimeWindow prodWindow, int evictionsPerMinute) {
        return new SchedulingPolicy("BestFit", CycleConfig.DEFAULT, WebhookPolicy.DEFAULT, ElasticPolicy.DEFAULT,
                new StaggerPolicy(prodWindow == null ? Map.of() : Map.of("prod", prodWindow), 600,
                        new StaggerPolicy.ClosingEvictions(60, evictionsPerMinute)));
    }

    void at(LocalTime t, ZoneId zone) {
        f.now.set(ZonedDateTime.of(day, t, zone).toInstant());
    }

    /** The eviction requests the mock server received since the last call, as pod names. */
    List<String> evictions() {
        List<String> out = new ArrayList<>();
        try {
            RecordedRequest r;
            while ((r = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
                if ("POST".equals(r.getMethod()) && r.getPath().endsWith("/eviction")) {
                    String[] parts = r.getPath().split("/");
                    out.add(parts[parts.length - 2]);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out;
    }

    /** Five single pods j0..j4 (priority 0..4) admitted to {@code queue} and seen admitted by the caches. */
    void fiveRunning(String queue) {
        for (int i = 0; i < 5; i++) {
            f.gangPods(null, "j" + i, 1, queue, 1, i);
        }
        assertThat(f.cycle(5).admitted()).hasSize(5);
        await().atMost(Duration.ofSeconds(10)).until(() -> f.cache.allPods().stream().allMatch(p ->
                p.annotation(KubeAiNames.ADMISSION_ID) != null && !p.gated()));
        for (int i = 0; i < 5; i++) {
            server.expect().post().withPath("/api/v1/namespaces/ml/pods/j" + i + "-0/eviction").andReturn(201, "{}").always();
        }
    }

    static List<Decision.Wait> waitsOf(CycleResult r, String id) {
        return r.waits().stream().filter(w -> w.workload().id().equals(id)).toList();
    }

    List<Event> events(String reason) {
        return client.v1().events().inNamespace("ml").list().getItems().stream().filter(e -> reason.equals(e.getReason()))
                .toList();
    }

    @Test
    void aQueueClosingAt0800LocalStopsAdmissionsAndEvictsWithinBudgetOverSeveralIntervals() {
        f.policy = policy(null, 2);
        f.queue("dev", null, 8, List.of(closingAndEvicting("08:00", "20:00", "Asia/Shanghai")));
        at(LocalTime.of(7, 59), SHANGHAI);
        f.start();
        fiveRunning("dev");
        evictions();

        // 08:00 local: nothing more is admitted, and two workloads leave, lowest priority first.
        at(LocalTime.of(8, 0), SHANGHAI);
        f.gangPods(null, "late", 1, "dev", 1, 10);
        CycleResult r = f.cycle(6);
        assertThat(r.admitted()).isEmpty();
        assertThat(waitsOf(r, "ml/late-0")).singleElement().satisfies(w -> {
            assertThat(w.why()).isEqualTo(Decision.WaitReason.QUEUE_CLOSED);
            assertThat(w.message()).startsWith("queue dev is closed by its window daily 08:00–20:00 Asia/Shanghai until "
                    + ZonedDateTime.of(day, LocalTime.of(20, 0), SHANGHAI).toInstant());
        });
        assertThat(evictions()).containsExactly("j0-0", "j1-0");

        // Later in the same interval: the budget is spent.
        at(LocalTime.of(8, 0, 30), SHANGHAI);
        f.controller.reconcile();
        assertThat(evictions()).isEmpty();

        // The next intervals: two more, then the last.
        at(LocalTime.of(8, 1), SHANGHAI);
        f.controller.reconcile();
        assertThat(evictions()).containsExactly("j2-0", "j3-0");
        at(LocalTime.of(8, 2), SHANGHAI);
        f.controller.reconcile();
        assertThat(evictions()).containsExactly("j4-0");
        at(LocalTime.of(8, 3), SHANGHAI);
        assertThat(f.controller.reconcile().admitted()).isEmpty();
        assertThat(evictions()).isEmpty();

        assertThat(events("WindowClosed")).hasSize(5).allSatisfy(e -> assertThat(e.getMessage()).startsWith(
                "evicted: queue dev is closed by its window daily 08:00–20:00 Asia/Shanghai until ")
                .endsWith("; at most 2 workloads leave per 60 s, lowest priority and most recently admitted first"));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            QueueResourceStatus s = client.resources(Queue.class).withName("dev").get().getStatus();
            assertThat(s.getOpen()).isFalse();
            assertThat(s.getWindow()).isEqualTo("Close daily 08:00–20:00 Asia/Shanghai (evicting running work) until "
                    + ZonedDateTime.of(day, LocalTime.of(20, 0), SHANGHAI).toInstant());
        });
    }

    @Test
    void anEvictionAPodDisruptionBudgetRefusesIsRetriedTheNextIntervalNotInALoop() {
        f.policy = policy(null, 2);
        f.queue("dev", null, 8, List.of(closingAndEvicting("08:00", "20:00", "Asia/Shanghai")));
        at(LocalTime.of(7, 59), SHANGHAI);
        f.start();
        server.expect().post().withPath("/api/v1/namespaces/ml/pods/j0-0/eviction").andReturn(429,
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"Cannot evict pod as it"
                        + " would violate the pod's disruption budget.\",\"reason\":\"TooManyRequests\",\"code\":429}")
                .always();
        fiveRunning("dev");
        evictions();

        at(LocalTime.of(8, 0), SHANGHAI);
        f.controller.reconcile();
        // j0 refused (one try), j1 evicted: one of the two in this interval's budget is spent.
        assertThat(evictions()).containsExactly("j0-0", "j1-0");
        assertThat(events("EvictionBlocked")).singleElement().satisfies(e -> assertThat(e.getMessage())
                .startsWith("evicting 1 of 1 pods was refused (a PodDisruptionBudget forbids it now, or the API server"
                        + " failed); retried in 60 s: queue dev is closed"));
        for (int s = 10; s < 60; s += 10) {
            at(LocalTime.of(8, 0, s), SHANGHAI);
            f.controller.reconcile();
        }
        // Within the interval j0 is not tried again; the remaining budget went to j2.
        assertThat(evictions()).containsExactly("j2-0");
        // 08:01:00: j1's slot is free again (j2's is until 08:01:10) and j0, the lowest priority, is retried once.
        at(LocalTime.of(8, 1), SHANGHAI);
        f.controller.reconcile();
        assertThat(evictions()).containsExactly("j0-0");
        at(LocalTime.of(8, 1, 5), SHANGHAI);
        f.controller.reconcile();
        assertThat(evictions()).containsExactly("j3-0");
        assertThat(f.controller.metrics().scrape()).contains("kubeai_window_evicted_workloads_total{queue=\"dev\"} 3.0")
                .contains("kubeai_window_evictions_blocked_total{queue=\"dev\"} 2.0");
    }

    @Test
    void aDeadlineBringsADeferredProductionJobForwardAndOneWithoutStaysDeferred() {
        TimeWindow night = TimeWindow.daily(LocalTime.of(22, 0), LocalTime.of(6, 0), SHANGHAI);
        f.policy = policy(night, 5);
        f.queue("batch", null, 8);
        at(LocalTime.of(10, 0), SHANGHAI);
        f.start();
        Instant deadline = ZonedDateTime.of(day, LocalTime.of(14, 0), SHANGHAI).toInstant();
        f.podGroup("report", "batch", 2, null);
        f.gangPods("report", "r", 2, "batch", 1, 0, Map.of(KubeAiNames.TIER, "prod"), Map.of(KubeAiNames.PERIODIC, "true",
                KubeAiNames.DEADLINE, deadline.atZone(SHANGHAI).toOffsetDateTime().toString(),
                KubeAiNames.EXPECTED_DURATION, "2h"));
        f.podGroup("nightly", "batch", 1, null);
        f.gangPods("nightly", "n", 1, "batch", 1, 0, Map.of(KubeAiNames.TIER, "prod"),
                Map.of(KubeAiNames.PERIODIC, "true"));
        Instant mustStart = ZonedDateTime.of(day, LocalTime.of(11, 50), SHANGHAI).toInstant();
        Instant tonight = ZonedDateTime.of(day, LocalTime.of(22, 0), SHANGHAI).toInstant();

        CycleResult r = f.cycle(3);
        assertThat(r.admitted()).isEmpty();
        assertThat(waitsOf(r, "ml/report")).singleElement().satisfies(w -> {
            assertThat(w.why()).isEqualTo(Decision.WaitReason.DEFERRED);
            assertThat(w.message()).isEqualTo("deferred until " + mustStart + ": the off-peak window daily 22:00–06:00"
                    + " Asia/Shanghai, or earlier when its deadline " + deadline + " requires");
        });
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            PodGroup pg = f.podGroupNamed("report");
            assertThat(pg.getStatus().getPhase()).isEqualTo("Pending");
            assertThat(pg.getStatus().getConditions()).singleElement().satisfies(c -> {
                assertThat(c.getReason()).isEqualTo("DEFERRED");
                assertThat(c.getMessage()).startsWith("deferred until " + mustStart);
            });
        });

        at(LocalTime.of(11, 49, 59), SHANGHAI);
        assertThat(f.controller.reconcile().admitted()).isEmpty();
        // 2 h before the deadline, less the 10-minute margin: it starts, off-peak or not.
        at(LocalTime.of(11, 50), SHANGHAI);
        CycleResult r2 = f.controller.reconcile();
        assertThat(r2.admitted()).extracting(a -> a.workload().id()).containsExactly("ml/report");
        assertThat(waitsOf(r2, "ml/nightly")).singleElement().satisfies(w -> assertThat(w.message())
                .isEqualTo("deferred until " + tonight + ": the off-peak window daily 22:00–06:00 Asia/Shanghai"));
        at(LocalTime.of(22, 0), SHANGHAI);
        assertThat(f.controller.reconcile().admitted()).extracting(a -> a.workload().id()).containsExactly("ml/nightly");
    }

    @Test
    void aNotBeforeAnnotationDefersAJobOfAnyTier() {
        f.queue("dev", null, 8);
        at(LocalTime.of(9, 0), SHANGHAI);
        f.start();
        Instant notBefore = ZonedDateTime.of(day, LocalTime.of(9, 30), SHANGHAI).toInstant();
        f.gangPods(null, "later", 1, "dev", 1, 0, Map.of(KubeAiNames.TIER, "dev"),
                Map.of(KubeAiNames.NOT_BEFORE, notBefore.toString()));
        CycleResult r = f.cycle(1);
        assertThat(waitsOf(r, "ml/later-0")).singleElement().satisfies(w -> assertThat(w.message())
                .isEqualTo("deferred until " + notBefore + ": its not-before time " + notBefore));
        at(LocalTime.of(9, 30), SHANGHAI);
        assertThat(f.controller.reconcile().admitted()).hasSize(1);
    }

    @Test
    void onTheDaylightSavingChangeDayAWindowKeepsItsWallClockHours() {
        // 2027-03-28: Berlin moves from +01:00 to +02:00 at 02:00. 06:30Z is 07:30 the day before, 08:30 that day.
        f.queue("dev", null, 8, List.of(window("08:00", "20:00", "Europe/Berlin", "Close")));
        f.now.set(Instant.parse("2027-03-27T06:30:00Z"));
        f.start();
        f.gangPods(null, "sat", 1, "dev", 1, 0);
        assertThat(f.cycle(1).admitted()).hasSize(1);

        f.now.set(Instant.parse("2027-03-28T06:30:00Z"));
        f.gangPods(null, "sun", 1, "dev", 1, 0);
        CycleResult r = f.cycle(2);
        assertThat(r.admitted()).isEmpty();
        assertThat(waitsOf(r, "ml/sun-0")).singleElement().satisfies(w -> {
            assertThat(w.why()).isEqualTo(Decision.WaitReason.QUEUE_CLOSED);
            assertThat(w.message()).endsWith(" until 2027-03-28T18:00:00Z");
        });
        // A Close window without evictRunning leaves running work alone.
        assertThat(evictions()).isEmpty();
        f.now.set(Instant.parse("2027-03-28T18:00:00Z"));
        assertThat(f.controller.reconcile().admitted()).extracting(a -> a.workload().id()).containsExactly("ml/sun-0");
        assertThat(BERLIN.getRules().isDaylightSavings(Instant.parse("2027-03-28T06:30:00Z"))).isTrue();
    }

    @Test
    void badTimingAnnotationsHoldTheGangAndNameTheAnnotationAndValueWithoutStoppingOthers() {
        f.queue("dev", null, 8);
        at(LocalTime.of(9, 0), SHANGHAI);
        f.start();
        f.podGroup("bad", "dev", 1, null);
        f.gangPods("bad", "b", 1, "dev", 1, 0, Map.of(), Map.of(KubeAiNames.DEADLINE, "tomorrow",
                KubeAiNames.EXPECTED_DURATION, "-5m"));
        f.gangPods(null, "good", 1, "dev", 1, 0);
        CycleResult r = f.cycle(2);
        assertThat(r.admitted()).extracting(a -> a.workload().id()).containsExactly("ml/good-0");
        String want = "held until fixed: pod ml/b-0 annotation kubeai.io/deadline: \"tomorrow\" is not an RFC 3339 time"
                + " with an offset, such as 2026-03-30T22:00:00+08:00 or 2026-03-30T14:00:00Z; pod ml/b-0 annotation"
                + " kubeai.io/expected-duration: \"-5m\" is negative; a duration is how long the workload runs";
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            PodGroup pg = f.podGroupNamed("bad");
            assertThat(pg.getStatus().getPhase()).isEqualTo("Pending");
            assertThat(pg.getStatus().getConditions()).singleElement().satisfies(c -> {
                assertThat(c.getReason()).isEqualTo("InvalidTiming");
                assertThat(c.getMessage()).isEqualTo(want);
            });
        });
        assertThat(events("InvalidTiming")).singleElement().satisfies(e -> {
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getMessage()).isEqualTo(want);
        });
        // Not reported again while nothing changes.
        f.controller.reconcile();
        assertThat(events("InvalidTiming")).hasSize(1);
        assertThat(f.controller.metrics().scrape())
                .contains("kubeai_pending_workloads{queue=\"dev\",reason=\"InvalidTiming\"} 1.0");
    }

    @Test
    void aQueueWhoseWindowsCannotBeReadAdmitsNothingAndItsStatusSaysWhy() {
        f.queue("dev", null, 8, List.of(window("08:00", "20:00", "Europe/Berlin", "Scale"),
                window("25:00", "06:00", "Mars/Olympus", "Close")));
        at(LocalTime.of(9, 0), SHANGHAI);
        f.start();
        f.gangPods(null, "p", 1, "dev", 1, 0);
        CycleResult r = f.cycle(1);
        assertThat(waitsOf(r, "ml/p-0")).singleElement().satisfies(w -> {
            assertThat(w.why()).isEqualTo(Decision.WaitReason.QUEUE_CLOSED);
            assertThat(w.message()).startsWith("queue dev admits nothing until its spec.windows is fixed: queue dev ")
                    .contains("spec.windows[0].action: a Scale window needs minScale, maxScale or both")
                    .contains("spec.windows[1].start: \"25:00\"")
                    .contains("spec.windows[1].timeZone: \"Mars/Olympus\"");
        });
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            QueueResourceStatus s = client.resources(Queue.class).withName("dev").get().getStatus();
            assertThat(s.getOpen()).isFalse();
            assertThat(s.getMessage()).startsWith("spec.windows cannot be used, so the queue admits nothing: queue dev ");
        });
    }

    @Test
    void aScaleWindowRaisesMaxByDayAndTheStatusShowsTheEffectiveLimits() {
        QueueWindowSpec byDay = window("08:00", "20:00", "Asia/Shanghai", "Scale");
        byDay.setMinScale(0.5);
        byDay.setMaxScale(2.0);
        io.kubeai.kube.crd.Queue q = new io.kubeai.kube.crd.Queue();
        q.getMetadata().setName("dev");
        io.kubeai.kube.crd.QueueResourceSpec spec = new io.kubeai.kube.crd.QueueResourceSpec();
        spec.setMin(Map.of(KubeAiNames.GPU_RESOURCE, new io.fabric8.kubernetes.api.model.Quantity("2")));
        spec.setMax(Map.of(KubeAiNames.GPU_RESOURCE, new io.fabric8.kubernetes.api.model.Quantity("2")));
        spec.setWindows(List.of(byDay));
        q.setSpec(spec);
        client.resources(Queue.class).resource(q).create();
        at(LocalTime.of(7, 0), SHANGHAI);
        f.start();
        for (int i = 0; i < 4; i++) {
            f.gangPods(null, "d" + i, 1, "dev", 1, 0);
        }
        // At night max is 2; by day 4.
        assertThat(f.cycle(4).admitted()).hasSize(2);
        at(LocalTime.of(8, 0), SHANGHAI);
        assertThat(f.controller.reconcile().admitted()).hasSize(2);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            QueueResourceStatus s = client.resources(Queue.class).withName("dev").get().getStatus();
            assertThat(s.getOpen()).isTrue();
            assertThat(s.getWindow()).isEqualTo("Scale min ×0.5, max ×2 daily 08:00–20:00 Asia/Shanghai until "
                    + ZonedDateTime.of(day, LocalTime.of(20, 0), SHANGHAI).toInstant());
            assertThat(s.getEffectiveMin()).containsEntry(KubeAiNames.GPU_RESOURCE,
                    new io.fabric8.kubernetes.api.model.Quantity("1"));
            assertThat(s.getEffectiveMax()).containsEntry(KubeAiNames.GPU_RESOURCE,
                    new io.fabric8.kubernetes.api.model.Quantity("4"));
        });
        // kubeai queues: max as scaled now, and the window.
        QueueView.Row row = QueueView.rows(f.controller.snapshot(f.now.get().getEpochSecond()).orElseThrow()).get(0);
        assertThat(row.max()).containsEntry(KubeAiNames.GPU_RESOURCE, "4");
        assertThat(row.window()).startsWith("Scale min ×0.5, max ×2 daily 08:00–20:00 Asia/Shanghai until ");
    }
}
