package io.kubeai.simulator.tune;

import io.kubeai.core.cluster.Node;
import io.kubeai.core.config.SchedulingPolicy;
import io.kubeai.core.queue.QueueSpec;
import io.kubeai.simulator.jobs.JobSpec;
import io.kubeai.simulator.jobs.scheduler.JobSchedulers;
import io.kubeai.simulator.jobs.scheduler.SchedulerKubeAi;
import io.kubeai.simulator.jobs.sim.JobScheduler;
import io.kubeai.simulator.jobs.sim.JobSimulation;
import io.kubeai.simulator.jobs.sim.JobSimulationConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * What every configuration is run on: the jobs, the cluster, the queues and the simulation's own
 * settings. A replayed trace is the same for every seed; a generated one may be drawn anew per
 * seed ({@code jobsBySeed} then holds one list per seed of the space), so that a seed's spread
 * includes the workload's. Shared read-only by every run.
 *
 * @param description one line for reports: where the jobs come from
 * @param jobsBySeed one job list for all seeds, or one per seed
 * @param nodes the cluster
 * @param queues the queue tree (leaves take the jobs)
 * @param simulation the run's settings; its placement and cycle are replaced by each configuration's
 */
public record TuneWorkload(String description, List<List<JobSpec>> jobsBySeed, List<Node> nodes,
        List<QueueSpec> queues, JobSimulationConfig simulation) implements TuneRunner {
    private static final JobScheduler.Factory SCHEDULER = JobSchedulers.factory(SchedulerKubeAi.NAME);

    public TuneWorkload {
        Objects.requireNonNull(description, "description");
        jobsBySeed = jobsBySeed.stream().map(List::copyOf).toList();
        nodes = List.copyOf(nodes);
        queues = List.copyOf(queues);
        Objects.requireNonNull(simulation, "simulation");
        if (jobsBySeed.isEmpty()) {
            throw new IllegalArgumentException("a workload needs jobs");
        }
    }

    /** The jobs the run with the seed at {@code seedIndex} replays. */
    public List<JobSpec> jobs(int seedIndex) {
        return jobsBySeed.size() == 1 ? jobsBySeed.get(0) : jobsBySeed.get(seedIndex);
    }

    /** The job simulation of {@code policy} through the kubeai scheduler, settings by {@link PolicySimulation#configFor}. */
    @Override
    public double[] run(SchedulingPolicy policy, int seedIndex, long seed) {
        JobSimulationConfig config = PolicySimulation.configFor(policy, simulation.withSeed(seed));
        return TuneMetric.valuesOf(new JobSimulation(jobs(seedIndex), nodes, queues, SCHEDULER, config).run());
    }

    /** Checks that there is one job list, or one per seed. */
    @Override
    public void checkSeeds(int seeds) {
        if (jobsBySeed.size() != 1 && jobsBySeed.size() != seeds) {
            throw new IllegalArgumentException("the workload has " + jobsBySeed.size() + " job lists for " + seeds
                    + " seeds; expected one, or one per seed");
        }
    }

    /**
     * A digest of everything the runs read (jobs, nodes, queues, the simulation's settings but its
     * seed), so that shards run elsewhere can be checked to have replayed the same thing.
     */
    @Override
    public String fingerprint() {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (List<JobSpec> jobs : jobsBySeed) {
                d.update(("jobs " + jobs.size() + "\n").getBytes(StandardCharsets.UTF_8));
                for (JobSpec j : jobs) {
                    d.update(j.toString().getBytes(StandardCharsets.UTF_8));
                    d.update((byte) '\n');
                }
            }
            for (Node n : nodes) {
                d.update(n.toString().getBytes(StandardCharsets.UTF_8));
            }
            for (QueueSpec q : queues) {
                d.update(q.toString().getBytes(StandardCharsets.UTF_8));
            }
            d.update(simulation.withSeed(0).toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
