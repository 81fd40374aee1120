package io.kubeai.simulator.jobs.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeai.core.queue.QueueSpec;
import io.kubeai.core.queue.QueueTree;
import io.kubeai.core.resource.ResourceLimits;
import io.kubeai.core.resource.ResourceList;
import io.kubeai.simulator.jobs.JobFixtures;
import io.kubeai.simulator.jobs.JobSpec;
import io.kubeai.simulator.jobs.scheduler.JobSchedulers;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * Invariants of every state of a run, on small random worlds (a parent with a cap over three
 * leaves, one capped itself, on 4 to 6 nodes, loads up to twice the cluster): no node over
 * capacity; a gang-aware scheduler never leaves a gang partly placed; a quota-aware scheduler never
 * lets what a queue's pods hold pass that queue's max, nor its parent's.
 */
class JobSimulationPropertiesTest {

    @Provide
    Arbitrary<String> schedulers() {
        return Arbitraries.of(JobSchedulers.NAMES);
    }

    /** org (max 24 GPUs) over q00, q01 (max 8 GPUs) and q02. */
    static List<QueueSpec> cappedQueues() {
        return List.of(
                QueueSpec.named("org").max(ResourceLimits.of(ResourceList.GPU, 24_000L)).build(),
                QueueSpec.named("q00").parent("org").min(ResourceList.of(ResourceList.GPU, 8_000L)).build(),
                QueueSpec.named("q01").parent("org").min(ResourceList.of(ResourceList.GPU, 4_000L))
                        .max(ResourceLimits.of(ResourceList.GPU, 8_000L)).build(),
                QueueSpec.named("q02").parent("org").min(ResourceList.of(ResourceList.GPU, 8_000L)).build());
    }

    @Property(tries = 40)
    void everyStateKeepsNodesQueuesAndGangsWithinTheirBounds(@ForAll("schedulers") String scheduler,
            @ForAll @LongRange(min = 0, max = 1_000_000) long seed, @ForAll @IntRange(min = 4, max = 6) int nodes,
            @ForAll @IntRange(min = 5, max = 20) int loadTenths) {
        List<JobSpec> jobs = JobFixtures.generated(60, 3, nodes * 8L, loadTenths / 10.0, seed);
        List<QueueSpec> queues = cappedQueues();
        JobSimulation sim = new JobSimulation(jobs, JobFixtures.gpuNodes(nodes, 8), queues,
                JobSchedulers.factory(scheduler), JobSimulationConfig.DEFAULT.withSeed(seed).withSampleInterval(900));
        QueueTree tree = QueueTree.of(queues);
        boolean gangAware = scheduler.equals("kubeai") || scheduler.equals("volcano-like");
        boolean quotaAware = !scheduler.equals("kube-default");
        while (sim.hasNext()) {
            sim.step();
            JobSimulationTest.assertNoNodeOverCommitted(sim.cluster());
            if (gangAware) {
                assertThat(sim.jobs()).as("partly placed gangs").noneMatch(SimJob::isPartial);
            }
            if (quotaAware) {
                long[] heldGpu = new long[tree.size()];
                for (SimJob j : sim.jobs()) {
                    for (int q = j.queueIndex(); q >= 0; q = tree.parent(q)) {
                        heldGpu[q] += (long) j.placedPods() * j.podRequest().totalGpuMillis();
                    }
                }
                for (int q = 0; q < tree.size(); q++) {
                    assertThat(heldGpu[q]).as("GPU held under %s at %d s", tree.name(q), sim.now())
                            .isLessThanOrEqualTo(tree.spec(q).max().limit(ResourceList.GPU));
                }
            }
        }
        assertThat(sim.isFinished()).isTrue();
    }
}
