package io.kubeai.simulator.jobs.sim;

import static io.kubeai.simulator.jobs.JobBuilder.job;
import static io.kubeai.simulator.jobs.JobFixtures.gpuNodes;
import static io.kubeai.simulator.jobs.JobFixtures.queue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubeai.core.cluster.ClusterState;
import io.kubeai.core.cluster.NodeState;
import io.kubeai.core.cluster.Placement;
import io.kubeai.core.queue.QueueSpec;
import io.kubeai.core.resource.PodRequest;
import io.kubeai.simulator.jobs.JobFixtures;
import io.kubeai.simulator.jobs.JobSpec;
import io.kubeai.simulator.jobs.metrics.JobMetrics;
import io.kubeai.simulator.jobs.scheduler.JobSchedulers;
import io.kubeai.simulator.jobs.sim.JobSimulation.Kind;
import io.kubeai.simulator.jobs.sim.JobSimulation.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

class JobSimulationTest {
    static final List<String> SCHEDULERS = JobSchedulers.NAMES;
    private static final List<QueueSpec> ONE_QUEUE = List.of(queue("default", 0));

    private static JobSimulation simulation(String scheduler, List<JobSpec> jobs, JobSimulationConfig config) {
        return new JobSimulation(jobs, gpuNodes(2, 8), ONE_QUEUE, JobSchedulers.factory(scheduler), config);
    }

    private static List<Step> steps(JobSimulation sim) {
        List<Step> out = new ArrayList<>();
        while (sim.hasNext()) {
            out.add(sim.step());
        }
        return out;
    }

    @Test
    void stepsThroughArrivalCycleAndCompletionInOrder() {
        JobSimulation sim = simulation("kubeai", List.of(job("a").at(5).runs(100).gpus(1).build()),
                JobSimulationConfig.DEFAULT.withSampleInterval(1000));

        assertThat(steps(sim)).containsExactly(
                new Step(0, Kind.SAMPLE, null, 0, 0, 0, 0),
                new Step(5, Kind.ARRIVAL, "a", 0, 0, 0, 0),
                new Step(5, Kind.CYCLE, null, 1, 1, 0, 0),
                new Step(105, Kind.COMPLETION, "a", 0, 0, 0, 0),
                new Step(105, Kind.CYCLE, null, 0, 0, 0, 0));
        assertThat(sim.isFinished()).isTrue();
        assertThatThrownBy(sim::step).isInstanceOf(NoSuchElementException.class);
        assertThat(sim.job("a").orElseThrow().status()).isEqualTo(SimJob.Status.DONE);
    }

    @Test
    void eventsAtOneTimestampAreCoalescedAndCyclesAreAtLeastAnIntervalApart() {
        JobSimulation sim = simulation("kube-default", List.of(
                job("a").at(0).gpus(1).build(),
                job("b").at(0).gpus(1).build(),
                job("c").at(3).gpus(1).build(),
                job("d").at(7).gpus(1).build()),
                JobSimulationConfig.DEFAULT.withSampleInterval(10_000));

        List<Step> cycles = steps(sim).stream().filter(s -> s.kind() == Kind.CYCLE).toList();
        // a and b in the first cycle; c and d wait for the next allowed one, together.
        assertThat(cycles).extracting(Step::timeSeconds).startsWith(0L, 10L);
        assertThat(cycles.get(0).jobsStarted()).isEqualTo(2);
        assertThat(cycles.get(1).jobsStarted()).isEqualTo(2);
    }

    @Test
    void aZeroIntervalRunsACycleAtEveryEventTimestamp() {
        JobSimulation sim = simulation("kube-default", List.of(job("a").at(0).gpus(1).build(),
                job("c").at(3).gpus(1).build()), JobSimulationConfig.DEFAULT.withCycleInterval(0));

        assertThat(steps(sim).stream().filter(s -> s.kind() == Kind.CYCLE).map(Step::timeSeconds))
                .startsWith(0L, 3L);
    }

    @Test
    void theHorizonStopsTheRunAndLeavesJobsUnfinished() {
        JobSimulation sim = simulation("kubeai", List.of(job("a").at(0).runs(1000).gpus(1).build(),
                job("b").at(5000).gpus(1).build()), JobSimulationConfig.DEFAULT.withHorizon(500));

        JobMetrics m = sim.run();
        assertThat(m.endSeconds()).isEqualTo(500);
        assertThat(m.jobsUnfinished()).isEqualTo(2);
        assertThat(m.meanAllocation()).isEqualTo(1.0 / 16);
    }

    @Test
    void jobsInUnknownQueuesAreRejectedUpFront() {
        assertThatThrownBy(() -> simulation("kubeai", List.of(job("a").queue("nope").build()),
                JobSimulationConfig.DEFAULT))
                .hasMessageContaining("queue nope does not exist");
    }

    @Test
    void allocationAndQueueShareAreTimeAverages() {
        // One 8-GPU job for 100 s on 16 GPUs, then a 900 s job of 16 GPUs: 0.5 × 0.1 + 1 × 0.9.
        JobSimulation sim = simulation("kubeai", List.of(job("a").at(0).runs(100).gpus(8).build(),
                job("b").at(100).runs(900).pods(2).gpus(8).build()), JobSimulationConfig.DEFAULT);

        JobMetrics m = sim.run();
        assertThat(m.endSeconds()).isEqualTo(1000);
        assertThat(m.meanAllocationWholeRun()).isCloseTo(0.95, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(m.meanAllocation()).as("while jobs arrive, [0, 100]").isCloseTo(0.5,
                org.assertj.core.data.Offset.offset(1e-9));
        assertThat(m.fairness().get(0).averageShare()).isCloseTo(0.95, org.assertj.core.data.Offset.offset(1e-9));
    }

    /** Every node's placed pods, recounted from the placements, stay within its capacity. */
    static void assertNoNodeOverCommitted(ClusterState cluster) {
        int n = cluster.nodeCount();
        long[] cpu = new long[n];
        long[] mem = new long[n];
        int[][] gpu = new int[n][];
        for (int i = 0; i < n; i++) {
            gpu[i] = new int[cluster.node(i).gpuCount()];
        }
        for (Placement p : cluster.placements()) {
            PodRequest r = p.request();
            cpu[p.nodeIndex()] += r.cpuMillis();
            mem[p.nodeIndex()] += r.memoryBytes();
            for (int d : p.deviceIndexes()) {
                gpu[p.nodeIndex()][d] += r.gpuMillisPerDevice();
            }
        }
        for (int i = 0; i < n; i++) {
            NodeState node = cluster.node(i);
            assertThat(cpu[i]).as("cpu of %s", node.name()).isLessThanOrEqualTo(node.node().cpuMillis());
            assertThat(mem[i]).as("memory of %s", node.name()).isLessThanOrEqualTo(node.node().memoryBytes());
            assertThat(node.cpuFreeMillis()).isEqualTo(node.node().cpuMillis() - cpu[i]);
            for (int d = 0; d < gpu[i].length; d++) {
                assertThat(gpu[i][d]).as("GPU %d of %s", d, node.name()).isLessThanOrEqualTo(PodRequest.MILLIS_PER_GPU);
                assertThat(node.gpuFreeMillis(d)).isEqualTo(PodRequest.MILLIS_PER_GPU - gpu[i][d]);
            }
        }
    }

    @ParameterizedTest
    @FieldSource("SCHEDULERS")
    void noSchedulerEverOverCommitsANodeAndGangSchedulersNeverPlaceHalfAGang(String scheduler) {
        List<JobSpec> jobs = JobFixtures.generated(400, 4, 64, 1.3, 7);
        JobSimulation sim = new JobSimulation(jobs, gpuNodes(8, 8), JobFixtures.queues(4, 64),
                JobSchedulers.factory(scheduler), JobSimulationConfig.DEFAULT.withSampleInterval(600));
        boolean gangAware = !scheduler.equals("kube-default") && !scheduler.equals("kueue-like");
        int steps = 0;
        while (sim.hasNext()) {
            sim.step();
            steps++;
            assertNoNodeOverCommitted(sim.cluster());
            long placed = sim.jobs().stream().mapToLong(SimJob::placedPods).sum();
            assertThat(sim.cluster().podCount()).isEqualTo((int) placed);
            if (gangAware) {
                assertThat(sim.jobs()).noneMatch(SimJob::isPartial);
            }
        }
        assertThat(steps).isGreaterThan(800);
        if (gangAware) {
            assertThat(sim.metrics().jobsDone()).isEqualTo(jobs.size());
        }
    }

    @ParameterizedTest
    @FieldSource("SCHEDULERS")
    void theSameSeedGivesTheSameRun(String scheduler) {
        List<JobSpec> jobs = JobFixtures.generated(300, 4, 64, 1.2, 11);
        JobMetrics a = new JobSimulation(jobs, gpuNodes(8, 8), JobFixtures.queues(4, 64),
                JobSchedulers.factory(scheduler), JobSimulationConfig.DEFAULT.withSeed(3)).run();
        JobMetrics b = new JobSimulation(jobs, gpuNodes(8, 8), JobFixtures.queues(4, 64),
                JobSchedulers.factory(scheduler), JobSimulationConfig.DEFAULT.withSeed(3)).run();

        assertThat(b.jobs()).isEqualTo(a.jobs());
        assertThat(b.series().gpuAllocation()).isEqualTo(a.series().gpuAllocation());
        assertThat(b.meanAllocation()).isEqualTo(a.meanAllocation());
    }

    @Test
    void theComparisonRunsEverySchedulerAndMatchesSeparateRuns() {
        List<JobSpec> jobs = JobFixtures.generated(200, 3, 32, 1.0, 5);
        var nodes = gpuNodes(4, 8);
        var queues = JobFixtures.queues(3, 32);
        JobComparison.Result r = JobComparison.run(new JobComparison.Spec(jobs, nodes, queues, JobSchedulers.all(),
                JobSimulationConfig.DEFAULT, 0));

        assertThat(r.runs()).extracting(JobMetrics::scheduler).containsExactlyElementsOf(JobSchedulers.NAMES);
        JobMetrics alone = new JobSimulation(jobs, nodes, queues, JobSchedulers.factory("volcano-like"),
                JobSimulationConfig.DEFAULT).run();
        assertThat(r.of("volcano-like").orElseThrow().jobs()).isEqualTo(alone.jobs());
    }
}
