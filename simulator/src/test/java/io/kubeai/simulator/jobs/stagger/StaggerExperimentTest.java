package io.kubeai.simulator.jobs.stagger;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeai.simulator.jobs.JobSpec;
import io.kubeai.simulator.jobs.metrics.JobRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

class StaggerExperimentTest {
    private static final long DAY = 86_400;
    private static final long H = 3600;

    private static StaggerExperiment.Spec tiny() {
        return StaggerExperiment.Spec.defaults().withNodes(6)
                .withWork(new StaggerWork(6, 1, 3, 0.15, 0.2, 2, 100, 2 * H, 1.0)).withThreads(1);
    }

    @Test
    void oursRunsProductionOffPeakAndNoStaggeringRunsItWhenFired() {
        StaggerExperiment.Spec spec = tiny();
        List<JobSpec> work = spec.work().generate();
        StaggerExperiment.Run none = StaggerExperiment.runOne(spec, work, StaggerExperiment.Policy.NONE);
        StaggerExperiment.Run ours = StaggerExperiment.runOne(spec, work, StaggerExperiment.Policy.OURS);
        List<JobRecord> oursProd = prod(ours);
        assertThat(oursProd).isNotEmpty();
        // Due at 08:00 the next day and at most two hours long: none of them must start by day.
        assertThat(oursProd).filteredOn(JobRecord::started).allSatisfy(j -> {
            long tod = j.firstStartSeconds() % DAY;
            assertThat(tod >= 20 * H || tod < 8 * H).as(j.id() + " started at " + j.firstStartSeconds()).isTrue();
        });
        assertThat(prod(none)).filteredOn(JobRecord::started)
                .anySatisfy(j -> assertThat(j.firstStartSeconds() % DAY).isBetween(8 * H, 20 * H));
        // Both runs see every production job and count its deadline.
        assertThat(none.prodDue()).isEqualTo(ours.prodDue()).isPositive();
    }

    @Test
    void theSameSpecGivesTheSameFigures() {
        StaggerExperiment.Spec spec = tiny();
        List<JobSpec> work = spec.work().generate();
        StaggerExperiment.Run a = StaggerExperiment.runOne(spec, work, StaggerExperiment.Policy.OURS);
        StaggerExperiment.Run b = StaggerExperiment.runOne(spec, work, StaggerExperiment.Policy.OURS);
        assertThat(b.metrics().jobs()).isEqualTo(a.metrics().jobs());
        assertThat(b.stats()).isEqualTo(a.stats());
        assertThat(b.prodMissed()).isEqualTo(a.prodMissed());
    }

    private static List<JobRecord> prod(StaggerExperiment.Run r) {
        return r.metrics().jobs().stream().filter(j -> StaggerWork.kind(j.id()).equals(StaggerWork.PROD)).toList();
    }
}
