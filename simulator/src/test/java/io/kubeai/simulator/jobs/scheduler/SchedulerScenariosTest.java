package io.kubeai.simulator.jobs.scheduler;

import static io.kubeai.simulator.jobs.JobBuilder.job;
import static io.kubeai.simulator.jobs.JobFixtures.gpuNodes;
import static io.kubeai.simulator.jobs.JobFixtures.queue;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubeai.core.cluster.Node;
import io.kubeai.core.queue.QueueSpec;
import io.kubeai.core.queue.QueueingStrategy;
import io.kubeai.core.resource.ResourceList;
import io.kubeai.simulator.jobs.JobSpec;
import io.kubeai.simulator.jobs.metrics.JobMetrics;
import io.kubeai.simulator.jobs.metrics.JobRecord;
import io.kubeai.simulator.jobs.sim.JobSimulation;
import io.kubeai.simulator.jobs.sim.JobSimulationConfig;
import io.kubeai.simulator.jobs.sim.SimJob;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tiny clusters where the right outcome is known, through each scheduler. */
class SchedulerScenariosTest {

    static JobSimulation simulate(String scheduler, List<JobSpec> jobs, List<Node> nodes, List<QueueSpec> queues) {
        return simulate(scheduler, jobs, nodes, queues, JobSimulationConfig.DEFAULT);
    }

    static JobSimulation simulate(String scheduler, List<JobSpec> jobs, List<Node> nodes, List<QueueSpec> queues,
            JobSimulationConfig config) {
        JobSimulation sim = new JobSimulation(jobs, nodes, queues, JobSchedulers.factory(scheduler), config);
        sim.run();
        return sim;
    }

    static JobRecord record(JobSimulation sim, String id) {
        return sim.metrics().jobs().stream().filter(j -> j.id().equals(id)).findFirst().orElseThrow();
    }

    /** Two 4-pod gangs of 2 GPUs each on two 4-GPU nodes: the cluster fits one at a time. */
    private static final List<JobSpec> TWO_GANGS = List.of(
            job("a").at(0).runs(100).pods(4).gpus(2).build(),
            job("b").at(0).runs(100).pods(4).gpus(2).build());

    @Test
    void twoGangsDeadlockUnderKubeDefaultWithBothHalfPlaced() {
        JobSimulation sim = simulate("kube-default", TWO_GANGS, gpuNodes(2, 4), List.of(queue("default", 0)));

        assertThat(sim.jobs()).allSatisfy(j -> {
            assertThat(j.status()).isEqualTo(SimJob.Status.PENDING);
            assertThat(j.placedPods()).isEqualTo(2);
        });
        JobMetrics m = sim.metrics();
        assertThat(m.deadlocks()).isEqualTo(2);
        assertThat(m.jobsDone()).isZero();
        assertThat(m.series().partialJobs()).endsWith(2);
    }

    @Test
    void twoGangsRunOneAfterTheOtherUnderEveryGangAwareScheduler() {
        for (String scheduler : List.of("kubeai", "volcano-like", "kueue-like")) {
            JobSimulation sim = simulate(scheduler, TWO_GANGS, gpuNodes(2, 4), List.of(queue("default", 0)));

            assertThat(record(sim, "a").firstStartSeconds()).as(scheduler).isZero();
            assertThat(record(sim, "a").endSeconds()).as(scheduler).isEqualTo(100);
            // b goes in the cycle right after a completes.
            assertThat(record(sim, "b").firstStartSeconds()).as(scheduler).isEqualTo(100);
            assertThat(record(sim, "b").endSeconds()).as(scheduler).isEqualTo(200);
            assertThat(sim.metrics().deadlocks()).as(scheduler).isZero();
            assertThat(sim.metrics().heldIdleGpuHours()).as(scheduler).isZero();
        }
    }

    @Test
    void aStalledGangIsDeadlockedOnlyOnceItCouldNotFinishEvenIfEveryRunningJobLeft() {
        // Three 4-GPU nodes; a long job holds one while the two gangs split the other two. Until it
        // ends, either gang could still finish on its node; then their pods interleave on it.
        List<JobSpec> jobs = List.of(
                job("a").at(0).runs(100).pods(4).gpus(2).build(),
                job("b").at(0).runs(100).pods(4).gpus(2).build(),
                job("long").at(0).runs(10_000).priority(1).gpus(4).build(),
                job("late").at(20_000).runs(10).build());
        JobSimulation sim = new JobSimulation(jobs, gpuNodes(3, 4), List.of(queue("default", 0)),
                JobSchedulers.factory("kube-default"), JobSimulationConfig.DEFAULT.withDeadlockTimeout(600));

        while (sim.hasNext() && sim.now() < 9_900) {
            sim.step();
        }
        assertThat(sim.jobs()).noneMatch(SimJob::deadlocked);
        assertThat(sim.job("a").orElseThrow().placedPods()).isEqualTo(2);
        sim.run();

        assertThat(record(sim, "a").deadlocked()).isTrue();
        assertThat(record(sim, "a").deadlockedAtSeconds()).isEqualTo(10_800); // the first sample 600 s after its last pod
        assertThat(record(sim, "b").deadlockedAtSeconds()).isEqualTo(10_800);
        assertThat(sim.job("b").orElseThrow().placedPods()).isEqualTo(3);
        assertThat(record(sim, "late").outcome()).isEqualTo(JobRecord.Outcome.DONE);
        assertThat(sim.metrics().heldIdleGpuHours()).isGreaterThan(2 * 4 * 10_000 / 3600.0);
    }

    /** nlp borrows all of cv's guarantee; then cv wants 4 of its 8 GPUs back. */
    private static final List<JobSpec> BORROW_THEN_RECLAIM = List.of(
            job("n0").at(0).runs(1000).queue("nlp").pods(1).gpus(4).build(),
            job("n1").at(0).runs(1000).queue("nlp").pods(1).gpus(4).build(),
            job("n2").at(0).runs(1000).queue("nlp").pods(1).gpus(4).build(),
            job("n3").at(0).runs(1000).queue("nlp").pods(1).gpus(4).build(),
            job("c0").at(50).runs(100).queue("cv").pods(1).gpus(4).build());
    private static final List<QueueSpec> CV_NLP = List.of(queue("cv", 8), queue("nlp", 8));

    @Test
    void queueWithinItsMinReclaimsBorrowedCapacityUnderKubeAi() {
        JobSimulation sim = simulate("kubeai", BORROW_THEN_RECLAIM, gpuNodes(2, 8), CV_NLP);

        // Preempted at 50, the victim gone, cv's job is admitted in the next cycle.
        assertThat(record(sim, "c0").firstStartSeconds()).isEqualTo(60);
        List<JobRecord> evicted = sim.metrics().jobs().stream().filter(JobRecord::preempted).toList();
        assertThat(evicted).singleElement().satisfies(v -> {
            assertThat(v.queue()).isEqualTo("nlp");
            assertThat(v.wastedGpuSeconds()).isEqualTo(4 * 50.0);
            assertThat(v.starts()).isEqualTo(2);
            assertThat(v.restarts()).isEqualTo(1);
        });
        assertThat(sim.metrics().evictions()).isEqualTo(1);
        assertThat(sim.metrics().jobsDone()).isEqualTo(5);
    }

    @Test
    void kueueLikeNeverReclaimsSoTheOwnerWaitsForABorrowerToFinish() {
        JobSimulation sim = simulate("kueue-like", BORROW_THEN_RECLAIM, gpuNodes(2, 8), CV_NLP);

        assertThat(record(sim, "c0").firstStartSeconds()).isEqualTo(1000);
        assertThat(sim.metrics().evictions()).isZero();
    }

    @Test
    void volcanoLikeReclaimsFromAQueueAboveItsDeservedShare() {
        // Equal weights: each queue deserves 8 of the 16 GPUs; nlp holds 16 when cv's job arrives.
        JobSimulation sim = simulate("volcano-like", BORROW_THEN_RECLAIM, gpuNodes(2, 8), CV_NLP);

        assertThat(record(sim, "c0").firstStartSeconds()).isEqualTo(50);
        assertThat(record(sim, "n0").evictions()).isEqualTo(1); // lowest priority, newest, then by id
        assertThat(sim.metrics().evictions()).isEqualTo(1);
    }

    @Test
    void volcanoLikeQueueAboveItsShareWaitsWhileAQueueBelowItsShareWaits() {
        // cv deserves 8 GPUs but its 16-GPU gang does not fit beside nlp's 4; nlp is at its share,
        // so its second job waits even though it would fit.
        List<JobSpec> jobs = List.of(
                job("n0").at(0).runs(1000).queue("nlp").pods(1).gpus(8).build(),
                job("c0").at(5).runs(100).queue("cv").pods(2).gpus(8).build(),
                job("n1").at(5).runs(100).queue("nlp").pods(1).gpus(4).build());
        JobSimulation sim = simulate("volcano-like", jobs, gpuNodes(2, 8), CV_NLP);

        assertThat(record(sim, "n1").firstStartSeconds()).isGreaterThanOrEqualTo(1000);
        assertThat(record(sim, "c0").firstStartSeconds()).isEqualTo(1000);
    }

    @Test
    void kueueLikeAdmitsInStrictFifoWhereOthersLetSmallJobsPass() {
        // A holds half the cluster; B (the whole cluster) waits; C would fit beside A.
        List<JobSpec> jobs = List.of(
                job("a").at(0).runs(100).gpus(4).build(),
                job("b").at(1).runs(100).gpus(8).build(),
                job("c").at(2).runs(100).gpus(2).build());
        List<QueueSpec> one = List.of(queue("default", 0));

        JobSimulation kueue = simulate("kueue-like", jobs, gpuNodes(1, 8), one);
        assertThat(record(kueue, "b").firstAdmitSeconds()).isEqualTo(100);
        assertThat(record(kueue, "c").firstAdmitSeconds()).isEqualTo(200); // behind b
        assertThat(record(kueue, "c").firstStartSeconds()).isEqualTo(200);

        for (String scheduler : List.of("kubeai", "kube-default", "volcano-like")) {
            JobSimulation other = simulate(scheduler, jobs, gpuNodes(1, 8), one);
            assertThat(record(other, "c").firstStartSeconds()).as(scheduler).isEqualTo(10);
        }
    }

    @Test
    void kubeAiStrictFifoQueueKeepsOrderToo() {
        List<JobSpec> jobs = List.of(
                job("a").at(0).runs(100).gpus(4).build(),
                job("b").at(1).runs(100).gpus(8).build(),
                job("c").at(2).runs(100).gpus(2).build());
        List<QueueSpec> strict = List.of(QueueSpec.named("default").queueing(QueueingStrategy.STRICT_FIFO).build());

        JobSimulation sim = simulate("kubeai", jobs, gpuNodes(1, 8), strict);
        assertThat(record(sim, "c").firstStartSeconds()).isEqualTo(200);
    }

    @Test
    void kueueLikeHoldsQuotaAndNodesForAPartlyPlacedJob() {
        // Quota allows both (16 GPUs), but each node fits only one 6-GPU pod beside the 4-GPU job.
        List<JobSpec> jobs = List.of(
                job("small").at(0).runs(1000).gpus(4).build(),
                job("gang").at(0).runs(100).pods(2).gpus(6).build());
        JobSimulation sim = simulate("kueue-like", jobs, gpuNodes(2, 8), List.of(queue("default", 0)));

        JobRecord gang = record(sim, "gang");
        assertThat(gang.firstAdmitSeconds()).isZero();
        assertThat(gang.firstStartSeconds()).isEqualTo(1000);
        assertThat(gang.heldIdleGpuSeconds()).isEqualTo(6 * 1000.0);
    }

    @Test
    void kubeAiFailsAJobThatWaitsBeyondTheTimeout() {
        List<JobSpec> jobs = List.of(
                job("big").at(0).runs(10_000).gpus(8).build(),
                job("late").at(5).runs(10).gpus(8).build());
        JobSimulation sim = simulate("kubeai", jobs, gpuNodes(1, 8), List.of(queue("default", 0)),
                JobSimulationConfig.DEFAULT.withJobTimeout(300));

        JobRecord late = record(sim, "late");
        assertThat(late.outcome()).isEqualTo(JobRecord.Outcome.FAILED);
        assertThat(late.endSeconds()).isEqualTo(305);
        assertThat(late.queueingDelaySeconds()).isEqualTo(300);
        assertThat(sim.metrics().timeouts()).isEqualTo(1);
    }

    @Test
    void kubeAiPreemptsLowerPriorityWithinAQueue() {
        List<JobSpec> jobs = List.of(
                job("low").at(0).runs(1000).gpus(8).build(),
                job("high").at(100).runs(10).gpus(8).priority(5).prod().build());
        JobSimulation sim = simulate("kubeai", jobs, gpuNodes(1, 8), List.of(queue("default", 0)));

        assertThat(record(sim, "high").firstStartSeconds()).isEqualTo(110);
        assertThat(record(sim, "low").wastedGpuSeconds()).isEqualTo(8 * 100.0);
        assertThat(record(sim, "low").endSeconds()).isEqualTo(120 + 1000);
    }

    @Test
    void unknownSchedulerNamesTheKnownOnes() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> JobSchedulers.factory("yunikorn"))
                .hasMessageContaining("kubeai, kube-default, kueue-like, volcano-like");
    }

    @Test
    void deservedSharesFollowWeightsDownTheTree() {
        var tree = io.kubeai.core.queue.QueueTree.of(List.of(
                QueueSpec.named("org").weight(3).build(),
                QueueSpec.named("other").weight(1).build(),
                QueueSpec.named("a").parent("org").weight(1).build(),
                QueueSpec.named("b").parent("org").weight(2).min(ResourceList.EMPTY).build()));
        double[] f = SchedulerVolcanoLike.deservedFractions(tree);
        assertThat(f[tree.indexOf("org").orElseThrow()]).isEqualTo(0.75);
        assertThat(f[tree.indexOf("other").orElseThrow()]).isEqualTo(0.25);
        assertThat(f[tree.indexOf("a").orElseThrow()]).isEqualTo(0.25);
        assertThat(f[tree.indexOf("b").orElseThrow()]).isEqualTo(0.5);
    }
}
