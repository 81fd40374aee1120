package io.kubeai.simulator.jobs.sim;

import static io.kubeai.simulator.jobs.JobBuilder.job;
import static io.kubeai.simulator.jobs.JobFixtures.queue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubeai.core.cluster.Node;
import io.kubeai.core.resource.PodRequest;
import io.kubeai.simulator.jobs.JobSpec;
import io.kubeai.simulator.jobs.metrics.JobMetrics;
import io.kubeai.simulator.jobs.scheduler.JobSchedulers;
import io.kubeai.simulator.jobs.sim.JobSimulation.Kind;
import io.kubeai.simulator.jobs.sim.JobSimulation.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ClusterAgentTest {
    private static final long GIB = 1024L * 1024 * 1024;
    private static final List<Node> TWO_CPU_NODES = List.of(Node.of("n0", 8_000, 64 * GIB, 0, ""),
            Node.of("n1", 8_000, 64 * GIB, 0, ""));

    /** An agent that runs a script: what to do at each call. */
    private static ClusterAgent agent(long interval, Consumer<AgentContext> act) {
        return new ClusterAgent() {
            @Override
            public long intervalSeconds() {
                return interval;
            }

            @Override
            public void act(AgentContext context) {
                act.accept(context);
            }
        };
    }

    private static JobSimulation sim(List<JobSpec> jobs, ClusterAgent agent) {
        return new JobSimulation(jobs, TWO_CPU_NODES, List.of(queue("default", 0)), JobSchedulers.factory("kubeai"),
                JobSimulationConfig.DEFAULT.withHorizon(10_000).withSampleInterval(1000), List.of(agent));
    }

    @Test
    void agentsActFirstAndThenEveryIntervalBeforeTheCycleWhileJobsRemain() {
        List<Long> calls = new ArrayList<>();
        JobSimulation s = sim(List.of(job("a").at(100).runs(250).cpu(1000).build()),
                agent(100, c -> calls.add(c.now())));
        List<Step> steps = new ArrayList<>();
        while (s.hasNext()) {
            steps.add(s.step());
        }
        // at 0, 100 (after a's arrival, before its cycle), 200, 300; a completes at 350; nothing after.
        assertThat(calls).containsExactly(0L, 100L, 200L, 300L);
        assertThat(steps.stream().filter(st -> st.timeSeconds() == 100).map(Step::kind))
                .containsExactly(Kind.ARRIVAL, Kind.AGENT, Kind.CYCLE);
        assertThat(s.job("a").orElseThrow().status()).isEqualTo(SimJob.Status.DONE);
    }

    @Test
    void reservedPodsTakeRoomInTheSchedulersViewToo() {
        // Both nodes hold 6 of their 8 cores for an online service: a 4-core job can never run,
        // a 2-core job can; the scheduler must see the reservation to place it where it fits.
        JobSimulation s = sim(List.of(job("big").at(10).runs(50).cpu(4000).build(),
                job("small").at(10).runs(50).cpu(2000).build()), agent(1000, c -> {
                    if (c.now() == 0) {
                        c.reserve("online/a", PodRequest.cpuOnly(6000, GIB), 0);
                        c.reserve("online/b", PodRequest.cpuOnly(6000, GIB), 1);
                    }
                }));
        JobMetrics m = s.run();
        assertThat(s.job("small").orElseThrow().status()).isEqualTo(SimJob.Status.DONE);
        assertThat(s.job("big").orElseThrow().status()).isEqualTo(SimJob.Status.PENDING);
        assertThat(m.jobsDone()).isEqualTo(1);
        assertThat(s.cluster().placement("online/a")).isPresent();
    }

    @Test
    void anEvictedJobLosesItsProgressAndRunsAgain() {
        JobSimulation s = sim(List.of(job("a").at(0).runs(300).cpu(1000).build()), agent(100, c -> {
            if (c.now() == 200) {
                c.evict(c.job("a").orElseThrow(), "taken back");
            }
        }));
        JobMetrics m = s.run();
        SimJob a = s.job("a").orElseThrow();
        assertThat(a.status()).isEqualTo(SimJob.Status.DONE);
        assertThat(a.evictions()).isEqualTo(1);
        assertThat(a.starts()).isEqualTo(2);
        // started at 0, evicted at 200, restarted at once: done at 500
        assertThat(a.endSeconds()).isEqualTo(500);
        assertThat(m.evictions()).isEqualTo(1);
    }

    @Test
    void reservationsThatDoNotFitAreRefusedNamingTheNode() {
        JobSimulation s = sim(List.of(job("a").at(0).build()),
                agent(100, c -> c.reserve("online/x", PodRequest.cpuOnly(9000, GIB), 1)));
        assertThatThrownBy(s::run).isInstanceOf(IllegalStateException.class).hasMessageContaining("n1");
    }

    @Test
    void aRunWithAgentsNeedsAHorizon() {
        assertThatThrownBy(() -> new JobSimulation(List.of(job("a").build()), TWO_CPU_NODES,
                List.of(queue("default", 0)), JobSchedulers.factory("kubeai"), JobSimulationConfig.DEFAULT,
                List.of(agent(10, c -> { }))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("horizon");
    }

    @Test
    void baselinesRefuseAgentsThatEvict() {
        JobSimulation s = new JobSimulation(List.of(job("a").at(0).runs(300).build()), TWO_CPU_NODES,
                List.of(queue("default", 0)), JobSchedulers.factory("kube-default"),
                JobSimulationConfig.DEFAULT.withHorizon(1000), List.of(agent(100, c -> {
                    if (c.now() == 100) {
                        c.evict(c.job("a").orElseThrow(), "taken back");
                    }
                })));
        assertThatThrownBy(s::run).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("kube-default");
    }
}
