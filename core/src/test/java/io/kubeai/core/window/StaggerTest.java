package io.kubeai.core.window;

import static io.kubeai.core.window.TimeWindowTest.BERLIN;
import static io.kubeai.core.window.TimeWindowTest.local;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubeai.core.queue.QueueSpec;
import io.kubeai.core.resource.ResourceLimits;
import io.kubeai.core.resource.ResourceList;
import io.kubeai.core.workload.Timing;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StaggerTest {
    static final TimeWindow OFF_PEAK = TimeWindow.daily(LocalTime.of(0, 0), LocalTime.of(7, 0), BERLIN);
    static final Stagger STAGGER = new Stagger(OFF_PEAK, Duration.ofMinutes(30));

    @Test
    void aProductionPeriodicJobWaitsForTheOffPeakWindow() {
        Timing t = new Timing("prod", true, null, null, 3600);
        var d = STAGGER.deferral(t, local("2026-06-10T15:00")).orElseThrow();
        assertThat(d.until()).isEqualTo(local("2026-06-11T00:00"));
        assertThat(d.reason()).startsWith("deferred until " + local("2026-06-11T00:00") + ": the off-peak window");
        assertThat(STAGGER.deferral(t, local("2026-06-11T01:00"))).isEmpty();
    }

    @Test
    void itsDeadlineBringsItForwardWhenTheWindowIsTooLate() {
        // Due at 20:00 and runs 3 h: it must start by 17:00, 16:30 with the margin.
        Timing t = new Timing("prod", true, null, local("2026-06-10T20:00"), 3 * 3600);
        var d = STAGGER.deferral(t, local("2026-06-10T15:00")).orElseThrow();
        assertThat(d.until()).isEqualTo(local("2026-06-10T16:30"));
        assertThat(STAGGER.deferral(t, local("2026-06-10T16:30"))).isEmpty();
    }

    @Test
    void developmentAndOneOffJobsAreNotDeferredByTheRule() {
        assertThat(STAGGER.deferral(new Timing("dev", true, null, null, 60), local("2026-06-10T15:00"))).isEmpty();
        assertThat(STAGGER.deferral(new Timing("prod", false, null, null, 60), local("2026-06-10T15:00"))).isEmpty();
        assertThat(Stagger.NONE.deferral(new Timing("prod", true, null, null, 60), local("2026-06-10T15:00"))).isEmpty();
    }

    @Test
    void anExplicitNotBeforeIsKept() {
        Timing t = new Timing("dev", false, local("2026-06-10T18:00"), null, 60);
        assertThat(STAGGER.deferral(t, local("2026-06-10T15:00")).orElseThrow().until()).isEqualTo(local("2026-06-10T18:00"));
        assertThat(STAGGER.deferral(t, local("2026-06-10T18:00"))).isEmpty();
    }

    @Test
    void queueWindowsScaleByDayAndCloseByNight() {
        QueueSpec dev = QueueSpec.named("dev").min(ResourceList.of(ResourceList.GPU, 8_000L))
                .max(ResourceLimits.of(ResourceList.GPU, 16_000L)).build();
        TimeWindow day = TimeWindow.daily(LocalTime.of(8, 0), LocalTime.of(20, 0), BERLIN);
        TimeWindow night = TimeWindow.daily(LocalTime.of(22, 0), LocalTime.of(6, 0), BERLIN);
        Map<String, List<QueueWindow>> w = Map.of("dev", List.of(QueueWindow.scale(day, 2, 2), QueueWindow.closed(night)));
        QueueWindows.AtInstant noon = QueueWindows.at(List.of(dev), w, local("2026-06-10T12:00"));
        assertThat(noon.specs().get(0).min().get(ResourceList.GPU)).isEqualTo(16_000);
        assertThat(noon.specs().get(0).max().limit(ResourceList.GPU)).isEqualTo(32_000);
        assertThat(noon.closed()).isEmpty();
        QueueWindows.AtInstant evening = QueueWindows.at(List.of(dev), w, local("2026-06-10T21:00"));
        assertThat(evening.specs().get(0)).isEqualTo(dev);
        Instant midnight = local("2026-06-11T00:30");
        assertThat(QueueWindows.at(List.of(dev), w, midnight).closed().get("dev"))
                .isEqualTo("queue dev is closed by its window daily 22:00–06:00 Europe/Berlin until " + local("2026-06-11T06:00"));
    }
}
