package io.kubeai.simulator.tune;

import io.kubeai.core.cluster.Node;
import io.kubeai.core.queue.QueueSpec;
import io.kubeai.core.resource.ResourceList;
import io.kubeai.simulator.jobs.JobSpec;
import io.kubeai.simulator.jobs.sim.JobSimulationConfig;
import io.kubeai.simulator.jobs.trace.ClusterShapes;
import io.kubeai.simulator.jobs.trace.GeneratorSpec;
import io.kubeai.simulator.jobs.trace.JobTraceGenerator;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The workloads a tuning run replays: a generated trace, or a trace file on an openb-shaped cluster. */
public final class TuneWorkloads {
    private TuneWorkloads() {
    }

    /**
     * A generated trace ({@link JobTraceGenerator}) on {@code nodes} openb GPU-node shapes, with the
     * generator's team queues. With {@code tracePerSeed}, seed {@code i} of {@code seeds} replays
     * the trace drawn with {@code traceSeed + i}; otherwise every seed replays the one drawn with
     * {@code traceSeed}. The cluster is drawn with {@code traceSeed}.
     */
    public static TuneWorkload generated(int jobs, int nodes, double load, int queues, long traceSeed, int seeds,
            boolean tracePerSeed, JobSimulationConfig simulation) {
        List<Node> cluster = ClusterShapes.nodes(nodes, traceSeed);
        int gpus = ClusterShapes.gpus(cluster);
        GeneratorSpec spec = GeneratorSpec.defaults().withJobs(jobs).withSeed(traceSeed).withClusterGpus(Math.max(1, gpus))
                .withTargetLoad(load).withQueues(queues);
        List<List<JobSpec>> traces = new ArrayList<>();
        for (int i = 0; i < (tracePerSeed ? seeds : 1); i++) {
            traces.add(JobTraceGenerator.generate(spec.withSeed(traceSeed + i)));
        }
        String description = String.format(Locale.ROOT, "generated: %d jobs at load %.2f over %d queues on %d nodes "
                + "(%d GPUs), trace seed %d%s", jobs, load, queues, nodes, gpus, traceSeed,
                tracePerSeed && seeds > 1 ? " (+ i for the i-th seed)" : "");
        return new TuneWorkload(description, traces, cluster, JobTraceGenerator.queuesFor(spec,
                ClusterShapes.capacity(cluster)), simulation);
    }

    /**
     * A trace replayed by every seed on {@code nodes} openb GPU-node shapes (drawn with
     * {@code clusterSeed}). Queues are {@code queues} when given (a policy's {@code webhook.queues});
     * otherwise one flat queue per queue the trace names, guaranteed a share of every resource in
     * proportion to the GPU-seconds its jobs ask for.
     */
    public static TuneWorkload trace(String name, List<JobSpec> jobs, int nodes, long clusterSeed,
            List<QueueSpec> queues, JobSimulationConfig simulation) {
        if (jobs.isEmpty()) {
            throw new IllegalArgumentException("the trace " + name + " has no jobs");
        }
        List<Node> cluster = ClusterShapes.nodes(nodes, clusterSeed);
        List<QueueSpec> q = queues.isEmpty() ? queuesByDemand(jobs, ClusterShapes.capacity(cluster)) : queues;
        String description = String.format(Locale.ROOT, "trace %s: %d jobs on %d nodes (%d GPUs)%s", name, jobs.size(),
                nodes, ClusterShapes.gpus(cluster), queues.isEmpty() ? ", queues guaranteed in proportion to demand"
                        : ", the policy's queues");
        return new TuneWorkload(description, List.of(jobs), cluster, q, simulation);
    }

    /** One queue per queue name of the jobs, its guarantee in proportion to their GPU-seconds (plus one). */
    static List<QueueSpec> queuesByDemand(List<JobSpec> jobs, ResourceList capacity) {
        Map<String, Double> demand = new TreeMap<>();
        for (JobSpec j : jobs) {
            demand.merge(j.queue(), j.gpuSeconds(), Double::sum);
        }
        List<String> names = new ArrayList<>(demand.keySet());
        long[] weights = new long[names.size()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = 1 + Math.round(demand.get(names.get(i)));
        }
        List<Map<String, Long>> mins = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            mins.add(new HashMap<>());
        }
        for (int r = 0; r < capacity.size(); r++) {
            long[] parts = apportion(capacity.value(r), weights);
            for (int i = 0; i < names.size(); i++) {
                mins.get(i).put(capacity.name(r), parts[i]);
            }
        }
        List<QueueSpec> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            out.add(QueueSpec.named(names.get(i)).min(ResourceList.of(mins.get(i))).build());
        }
        return out;
    }

    /** {@code total} in proportion to {@code weights}, floors first, the rest one by one in order of weight. */
    static long[] apportion(long total, long[] weights) {
        BigInteger sum = BigInteger.ZERO;
        for (long w : weights) {
            sum = sum.add(BigInteger.valueOf(w));
        }
        long[] parts = new long[weights.length];
        long given = 0;
        for (int i = 0; i < weights.length; i++) {
            parts[i] = BigInteger.valueOf(total).multiply(BigInteger.valueOf(weights[i])).divide(sum).longValueExact();
            given += parts[i];
        }
        Integer[] order = new Integer[weights.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> weights[a] != weights[b] ? Long.compare(weights[b], weights[a]) : a - b);
        for (int k = 0; given < total; k = (k + 1) % order.length) {
            parts[order[k]]++;
            given++;
        }
        return parts;
    }
}
