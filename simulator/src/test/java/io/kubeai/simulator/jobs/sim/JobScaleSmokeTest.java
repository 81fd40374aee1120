package io.kubeai.simulator.jobs.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeai.simulator.jobs.JobFixtures;
import io.kubeai.simulator.jobs.JobSpec;
import io.kubeai.simulator.jobs.metrics.JobMetrics;
import io.kubeai.simulator.jobs.scheduler.JobSchedulers;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Thousands of jobs through all four schedulers in a few seconds. At a load the cluster can
 * carry, every scheduler finishes every job and the gang-aware ones never hold capacity idle.
 */
class JobScaleSmokeTest {

    @Test
    void threeThousandJobsOnAHundredNodesThroughEveryScheduler() {
        int nodes = 100;
        List<JobSpec> jobs = JobFixtures.generated(3_000, 12, nodes * 8L, 0.9, 17);
        long start = System.nanoTime();
        JobComparison.Result r = JobComparison.run(new JobComparison.Spec(jobs, JobFixtures.gpuNodes(nodes, 8),
                JobFixtures.queues(12, nodes * 8L), JobSchedulers.all(), JobSimulationConfig.DEFAULT, 0));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
        for (JobMetrics m : r.runs()) {
            assertThat(m.jobsDone()).as(m.scheduler()).isEqualTo(jobs.size());
            assertThat(m.meanAllocation()).as(m.scheduler()).isBetween(0.6, 1.0);
            assertThat(m.series().size()).as(m.scheduler()).isGreaterThan(50);
        }
        assertThat(r.of("kubeai").orElseThrow().heldIdleGpuHours()).isZero();
        assertThat(r.of("volcano-like").orElseThrow().heldIdleGpuHours()).isZero();
    }
}
