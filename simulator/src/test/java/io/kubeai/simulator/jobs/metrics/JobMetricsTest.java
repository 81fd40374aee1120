package io.kubeai.simulator.jobs.metrics;

import static io.kubeai.simulator.jobs.JobBuilder.job;
import static io.kubeai.simulator.jobs.JobFixtures.gpuNodes;
import static io.kubeai.simulator.jobs.JobFixtures.queue;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubeai.simulator.jobs.scheduler.JobSchedulers;
import io.kubeai.simulator.jobs.sim.JobSimulation;
import io.kubeai.simulator.jobs.sim.JobSimulationConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobMetricsTest {

    @Test
    void percentilesAreNearestRank() {
        long[] v = new long[100];
        for (int i = 0; i < 100; i++) {
            v[i] = 100 - i; // 1..100, unsorted
        }
        assertThat(Percentiles.of(v)).isEqualTo(new Percentiles(100, 50.5, 50, 95, 99, 100));
        assertThat(Percentiles.of(new long[] {7})).isEqualTo(new Percentiles(1, 7, 7, 7, 7, 7));
        assertThat(Percentiles.of(new long[0]).count()).isZero();
    }

    @Test
    void aggregatesGroupByQueueAndTierAndCountDays() {
        // One 8-GPU node: jobs run one after another.
        JobMetrics m = new JobSimulation(List.of(
                job("p").at(0).runs(50_000).queue("a").prod().gpus(8).build(),
                job("d1").at(1).runs(50_000).queue("b").gpus(8).build(),
                job("d2").at(1).runs(100_000).queue("b").gpus(8).build()),
                gpuNodes(1, 8), List.of(queue("a", 4), queue("b", 4)), JobSchedulers.factory("kubeai"),
                JobSimulationConfig.DEFAULT).run();

        // The oldest first, then b's jobs in id order, one at a time.
        assertThat(m.jobs()).extracting(JobRecord::firstStartSeconds).containsExactly(0L, 50_000L, 100_000L);
        assertThat(m.queueingDelayByTier().get("prod").p50()).isZero();
        assertThat(m.queueingDelayByTier().get("dev")).isEqualTo(Percentiles.of(new long[] {49_999, 99_999}));
        assertThat(m.completionTimeByQueue().get("b").max()).isEqualTo(199_999);
        assertThat(m.completedPerDay()).containsExactly(1, 1, 1);
        assertThat(m.jobsPerDay()).isCloseTo(3 / (200_000 / 86_400.0), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(m.fairness()).extracting(JobMetrics.Fairness::queue).containsExactly("a", "b");
        assertThat(m.fairness().get(0).averageShare()).isEqualTo(0.25);
        assertThat(m.fairness().get(0).ratio()).isEqualTo(0.5);
        assertThat(m.fairness().get(1).averageShare()).isEqualTo(0.75);
    }

    @Test
    void jobsThatNeverStartCountWithTheirWaitSoFar() {
        JobMetrics m = new JobSimulation(List.of(job("huge").at(10).runs(5).pods(2).gpus(8).build(),
                job("ok").at(0).runs(1000).gpus(1).build()), gpuNodes(1, 8), List.of(queue("default", 0)),
                JobSchedulers.factory("kubeai"), JobSimulationConfig.DEFAULT).run();

        JobRecord huge = m.jobs().stream().filter(j -> j.id().equals("huge")).findFirst().orElseThrow();
        assertThat(huge.started()).isFalse();
        assertThat(huge.outcome()).isEqualTo(JobRecord.Outcome.UNFINISHED);
        assertThat(huge.queueingDelaySeconds()).isEqualTo(m.endSeconds() - 10);
        assertThat(m.queueingDelay().max()).isEqualTo(990);
    }
}
