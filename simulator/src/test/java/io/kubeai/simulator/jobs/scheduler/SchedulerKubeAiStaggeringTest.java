package io.kubeai.simulator.jobs.scheduler;

import static io.kubeai.simulator.jobs.JobBuilder.job;
import static io.kubeai.simulator.jobs.JobFixtures.queue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubeai.core.cluster.Node;
import io.kubeai.core.window.QueueWindow;
import io.kubeai.core.window.Stagger;
import io.kubeai.core.window.TimeWindow;
import io.kubeai.simulator.jobs.JobSpec;
import io.kubeai.simulator.jobs.sim.JobSimulation;
import io.kubeai.simulator.jobs.sim.JobSimulationConfig;
import io.kubeai.simulator.jobs.sim.SimJob;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchedulerKubeAiStaggeringTest {
    private static final long H = 3600;
    private static final long GIB = 1L << 30;
    private static final List<Node> NODE = List.of(Node.of("n0", 16_000, 64 * GIB, 0, ""));
    private static final TimeWindow NIGHT = TimeWindow.daily(LocalTime.of(20, 0), LocalTime.of(8, 0), ZoneOffset.UTC);
    private static final TimeWindow PEAK = TimeWindow.daily(LocalTime.of(10, 0), LocalTime.of(16, 0), ZoneOffset.UTC);

    private static JobSimulation sim(List<JobSpec> jobs, Staggering s) {
        return new JobSimulation(jobs, NODE, List.of(queue("prod", 0), queue("dev", 0)), SchedulerKubeAi.factory(s),
                JobSimulationConfig.DEFAULT.withHorizon(2 * 86_400));
    }

    private static Staggering offPeakOnly() {
        return new Staggering(new Stagger(NIGHT, Duration.ofMinutes(30)), Map.of(), 0, 60);
    }

    private static JobSpec periodic(String id, long submit, long duration, long deadline) {
        return job(id).prod().queue("prod").at(submit).runs(duration).cpu(1000).build().withTiming(true, JobSpec.NO_TIME,
                deadline);
    }

    @Test
    void periodicProductionWaitsForTheOffPeakWindow() {
        JobSimulation s = sim(List.of(periodic("p", 9 * H, H, 86_400 + 8 * H)), offPeakOnly());
        s.run();
        assertThat(s.job("p").orElseThrow().firstStartSeconds()).isBetween(20 * H, 20 * H + 60);
    }

    @Test
    void aDeadlineThatCannotWaitStartsItAsLateAsItMayButNoLater() {
        // Due at 12:00, two hours long, 30 min margin: it must start by 09:30.
        JobSimulation s = sim(List.of(periodic("p", 9 * H, 2 * H, 12 * H)), offPeakOnly());
        s.run();
        SimJob p = s.job("p").orElseThrow();
        assertThat(p.firstStartSeconds()).isBetween(9 * H + 1800, 9 * H + 1800 + 60);
        assertThat(p.endSeconds()).isLessThanOrEqualTo(12 * H);
    }

    @Test
    void withoutStaggeringItRunsAtOnce() {
        JobSimulation s = sim(List.of(periodic("p", 9 * H, H, 86_400 + 8 * H)), Staggering.NONE);
        s.run();
        assertThat(s.job("p").orElseThrow().firstStartSeconds()).isBetween(9 * H, 9 * H + 10);
    }

    @Test
    void aClosingWindowEvictsWhatRunsInItsQueueWithinTheBudgetAndItRunsAgainWhenItOpens() {
        List<JobSpec> jobs = List.of(
                job("a").prod().queue("prod").at(9 * H).runs(5 * H).cpu(1000).build(),
                job("b").prod().queue("prod").at(9 * H).runs(5 * H).cpu(1000).build(),
                job("c").prod().queue("prod").at(9 * H).runs(5 * H).cpu(1000).build(),
                job("d").queue("dev").at(9 * H).runs(5 * H).cpu(1000).build());
        Staggering closing = new Staggering(Stagger.NONE, Map.of("prod", List.of(QueueWindow.closed(PEAK))), 1, 60);
        JobSimulation s = sim(jobs, closing);
        java.util.TreeMap<Long, Integer> evictedAt = new java.util.TreeMap<>();
        while (s.hasNext()) {
            JobSimulation.Step st = s.step();
            if (st.jobsEvicted() > 0) {
                evictedAt.merge(st.timeSeconds(), st.jobsEvicted(), Integer::sum);
            }
        }
        // From 10:00, one at a time, each in its own minute: never more than the budget per interval.
        assertThat(evictedAt.values()).containsExactly(1, 1, 1);
        assertThat(evictedAt.firstKey()).isEqualTo(10 * H);
        assertThat(evictedAt.keySet().stream().map(t -> Math.floorDiv(t, 60)).distinct()).hasSize(3);
        SchedulerKubeAi k = (SchedulerKubeAi) s.scheduler();
        assertThat(k.closingEvictions()).isEqualTo(3);
        for (String id : List.of("a", "b", "c")) {
            SimJob j = s.job(id).orElseThrow();
            assertThat(j.evictions()).as(id).isEqualTo(1);
            // Back when the window opens at 16:00, and done five hours later.
            assertThat(j.startSeconds()).as(id).isBetween(16 * H, 16 * H + 60);
            assertThat(j.status()).as(id).isEqualTo(SimJob.Status.DONE);
        }
        // The development job's queue never closed: it ran through.
        assertThat(s.job("d").orElseThrow().evictions()).isZero();
    }

    @Test
    void staggeringNeedsAHorizon() {
        assertThatThrownBy(() -> new JobSimulation(List.of(job("a").queue("prod").build()), NODE, List.of(queue("prod", 0)),
                SchedulerKubeAi.factory(offPeakOnly()), JobSimulationConfig.DEFAULT))
                .hasMessageContaining("horizon");
    }
}
