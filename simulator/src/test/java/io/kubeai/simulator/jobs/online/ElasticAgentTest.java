package io.kubeai.simulator.jobs.online;

import static io.kubeai.simulator.jobs.JobBuilder.job;
import static io.kubeai.simulator.jobs.JobFixtures.queue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubeai.core.cluster.Node;
import io.kubeai.core.config.ElasticPolicy;
import io.kubeai.core.config.WebhookPolicy;
import io.kubeai.simulator.jobs.JobSpec;
import io.kubeai.simulator.jobs.metrics.JobMetrics;
import io.kubeai.simulator.jobs.metrics.JobRecord;
import io.kubeai.simulator.jobs.scheduler.SchedulerKubeAi;
import io.kubeai.simulator.jobs.scheduler.Staggering;
import io.kubeai.simulator.jobs.sim.JobSimulation;
import io.kubeai.simulator.jobs.sim.JobSimulationConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ElasticAgentTest {
    private static final long GIB = 1L << 30;
    private static final List<Node> NODES = List.of(Node.of("n0", 16_000, 64 * GIB, 0, ""),
            Node.of("n1", 16_000, 64 * GIB, 0, ""));
    /** Quiet until 06:00, busy from 08:00 to 20:00. */
    private static final DiurnalCurve CURVE = DiurnalCurve.of(0, 0, 0, 0, 0, 0, 0, 0.5, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
            1, 1, 0.5, 0, 0, 0);
    /** Half of each node reserved; 10 % of that used at night, 100 % by day. */
    private static final OnlineLoad LOAD = new OnlineLoad(CURVE, 0.5, 0.1, 1.0, 0, 1);

    private static ElasticPolicy policy(int budget) {
        ElasticPolicy d = OvercommitExperiment.enabled(ElasticPolicy.DEFAULT);
        return new ElasticPolicy(true, 60, d.cpuReclaimThresholdPercent(), d.memoryReclaimThresholdPercent(),
                d.memoryPolicy(), d.metricsMaxAgeSeconds(), d.hysteresisPercent(), d.maxStepPercent(),
                new ElasticPolicy.Reclaim(true, budget), d.resources(), false, d.idleGpu(), d.gpuTelemetry());
    }

    /** 1-core tasks submitted through the night, each running two hours: many still run when the day starts. */
    private static List<JobSpec> tasks() {
        List<JobSpec> jobs = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            jobs.add(job(String.format("task-%03d", i)).at(i * 300L).runs(7200).cpu(1000).memory(GIB).build());
        }
        // A regular job landing on the busy cluster by day.
        jobs.add(job("regular").at(9 * 3600).runs(3600).cpu(4000).memory(4 * GIB).build());
        return jobs;
    }

    private record Outcome(JobMetrics metrics, ElasticAgent.Stats stats) {
    }

    private static Outcome run(int budget, boolean overcommit) {
        ElasticPolicy p = policy(budget);
        List<Node> nodes = overcommit ? ElasticAgent.withElasticAllocatable(NODES, p.resources()) : NODES;
        List<JobSpec> jobs = overcommit ? ElasticSteering.steer(tasks(), WebhookPolicy.ELASTIC_DEFAULT) : tasks();
        ElasticAgent agent = new ElasticAgent(LOAD, p, overcommit);
        JobSimulation sim = new JobSimulation(jobs, nodes, List.of(queue("default", 0)),
                SchedulerKubeAi.factory(Staggering.NONE), JobSimulationConfig.DEFAULT.withHorizon(86_400), List.of(agent));
        return new Outcome(sim.run(), agent.stats());
    }

    @Test
    void elasticTasksRunAtNightAndAreEvictedWhenOnlineUseRisesButNoNodeIsEverOverItsCapacity() {
        Outcome o = run(1000, true);
        assertThat(o.stats().evictions()).isPositive();
        assertThat(o.stats().lostCpuSeconds()).isPositive();
        assertThat(o.stats().lostGpuSeconds()).isZero();
        // Online use + regular requests + elastic requests never exceed a node's CPU or memory.
        assertThat(o.stats().maxPhysicalCpuShare()).isLessThanOrEqualTo(1.0);
        assertThat(o.stats().maxPhysicalMemoryShare()).isLessThanOrEqualTo(1.0);
        // By day (10:00–18:00) at most 60 % − 50 % online = 10 % of a node is lent (1.6 cores), give
        // or take the 5 % hysteresis band (0.8 cores).
        assertThat(o.stats().samples().stream().filter(s -> s.seconds() >= 10 * 3600 && s.seconds() < 18 * 3600))
                .isNotEmpty().allSatisfy(s -> assertThat(s.elasticPublishedCpu()).isLessThanOrEqualTo(2 * 2_400));
        // At night the target is 60 % of 16 cores − 10 % of 8 cores used online = 8.8 cores per node;
        // the published figure climbs in steps of 1.6 cores (10 %) and stops at 8 cores, within the
        // 0.8-core (5 %) hysteresis band of the target.
        assertThat(o.stats().samples().stream().filter(s -> s.seconds() == 4 * 3600).findFirst().orElseThrow()
                .elasticPublishedCpu()).isEqualTo(2 * 8_000);
        // The regular job is not held up by elastic pods.
        JobRecord regular = o.metrics().jobs().stream().filter(j -> j.id().equals("regular")).findFirst().orElseThrow();
        assertThat(regular.outcome()).isEqualTo(JobRecord.Outcome.DONE);
        assertThat(regular.queueingDelaySeconds()).isLessThanOrEqualTo(60);
    }

    @Test
    void evictionsPerIntervalStayWithinTheReclaimBudget() {
        Outcome o = run(1, true);
        assertThat(o.stats().evictions()).isGreaterThan(1);
        assertThat(o.stats().maxEvictionsInOneInterval()).isEqualTo(1);
    }

    @Test
    void withOvercommitOffNothingIsLentOrEvicted() {
        Outcome o = run(1000, false);
        assertThat(o.stats().evictions()).isZero();
        assertThat(o.stats().samples()).allSatisfy(s -> {
            assertThat(s.elasticPublishedCpu()).isZero();
            assertThat(s.elasticHeldCpu()).isZero();
        });
        // 8 cores per node are reserved online: tasks and the regular job share the other 8.
        assertThat(o.stats().samples()).allSatisfy(s -> assertThat(s.regularJobCpu()).isLessThanOrEqualTo(16_000));
    }

    @Test
    void theSameInputsGiveTheSameRun() {
        Outcome a = run(2, true);
        Outcome b = run(2, true);
        assertThat(b.stats()).isEqualTo(a.stats());
        assertThat(b.metrics().jobs()).isEqualTo(a.metrics().jobs());
    }

    @Test
    void overcommitNeedsNodesThatCarryTheElasticResources() {
        ElasticAgent agent = new ElasticAgent(LOAD, policy(5), true);
        JobSimulation sim = new JobSimulation(tasks(), NODES, List.of(queue("default", 0)),
                SchedulerKubeAi.factory(Staggering.NONE), JobSimulationConfig.DEFAULT.withHorizon(86_400), List.of(agent));
        assertThatThrownBy(sim::run).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("node n0").hasMessageContaining("withElasticAllocatable");
    }
}
