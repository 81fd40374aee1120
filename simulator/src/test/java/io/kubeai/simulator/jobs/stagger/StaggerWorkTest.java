package io.kubeai.simulator.jobs.stagger;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeai.simulator.jobs.JobSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class StaggerWorkTest {
    private static final long DAY = 86_400;
    private static final long H = 3600;
    private static final StaggerWork WORK = new StaggerWork(10, 3, 7, 0.2, 0.3, 3, 500, 4 * H, 1.0);

    @Test
    void productionRepeatsDailyFiredByDayAndDueNextMorning() {
        List<JobSpec> prod = WORK.generate().stream().filter(j -> StaggerWork.kind(j.id()).equals(StaggerWork.PROD))
                .toList();
        assertThat(prod).isNotEmpty().allSatisfy(j -> {
            long day = j.submitSeconds() / DAY;
            assertThat(j.periodic()).isTrue();
            assertThat(j.tier()).isEqualTo(JobSpec.TIER_PROD);
            assertThat(j.submitSeconds() % DAY).isBetween(8 * H, 20 * H - 1);
            assertThat(j.deadlineSeconds()).isEqualTo((day + 1) * DAY + 8 * H);
        });
        long[] perDay = new long[3];
        prod.forEach(j -> perDay[(int) (j.submitSeconds() / DAY)]++);
        assertThat(perDay[1]).isEqualTo(perDay[0]);
        assertThat(perDay[2]).isEqualTo(perDay[0]);
    }

    @Test
    void developmentArrivesMostlyByDay() {
        List<JobSpec> dev = WORK.generate().stream().filter(j -> StaggerWork.kind(j.id()).equals(StaggerWork.DEV))
                .toList();
        long byDay = dev.stream().filter(j -> j.submitSeconds() % DAY >= 8 * H && j.submitSeconds() % DAY < 20 * H).count();
        assertThat(byDay).isGreaterThan(dev.size() - byDay);
        assertThat(dev).allSatisfy(j -> assertThat(j.hasTiming()).isFalse());
    }

    @Test
    void theSameSpecGivesTheSameJobsAndDoubleVolumeAboutDoubleTheWork() {
        assertThat(WORK.generate()).isEqualTo(WORK.generate());
        double once = WORK.generate().stream().mapToDouble(JobSpec::gpuSeconds).sum();
        double twice = WORK.withVolume(2).generate().stream().mapToDouble(JobSpec::gpuSeconds).sum();
        assertThat(twice / once).isBetween(1.7, 2.3);
    }
}
