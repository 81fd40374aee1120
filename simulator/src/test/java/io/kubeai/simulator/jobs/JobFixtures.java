package io.kubeai.simulator.jobs;

import io.kubeai.core.cluster.Node;
import io.kubeai.core.queue.QueueSpec;
import io.kubeai.core.resource.PodRequest;
import io.kubeai.core.resource.ResourceList;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Clusters, queues and seeded job mixes for job-simulation tests and measurements. */
public final class JobFixtures {
    public static final long GIB = 1024L * 1024 * 1024;

    private JobFixtures() {
    }

    /** {@code n} nodes like openb's GPU nodes: 96 cores, 768 GiB, 8 GPUs. */
    public static List<Node> gpuNodes(int n, int gpusPerNode) {
        List<Node> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(Node.of(String.format("node-%05d", i), 96_000, 768 * GIB, gpusPerNode, "V100M32"));
        }
        return out;
    }

    /** A leaf queue guaranteed {@code minGpus} GPUs, borrowing and lending freely. */
    public static QueueSpec queue(String name, long minGpus) {
        return QueueSpec.named(name).min(ResourceList.of(ResourceList.GPU, minGpus * 1000)).build();
    }

    /** {@code n} flat queues {@code q00…} whose guarantees split {@code clusterGpus} unevenly (weights 1..3). */
    public static List<QueueSpec> queues(int n, long clusterGpus) {
        long[] weight = new long[n];
        long sum = 0;
        for (int i = 0; i < n; i++) {
            weight[i] = 1 + i % 3;
            sum += weight[i];
        }
        List<QueueSpec> out = new ArrayList<>(n);
        long given = 0;
        for (int i = 0; i < n; i++) {
            long min = i == n - 1 ? clusterGpus - given : clusterGpus * weight[i] / sum;
            given += min;
            out.add(QueueSpec.named(String.format("q%02d", i))
                    .min(ResourceList.of(ResourceList.GPU, min * 1000))
                    .weight((int) weight[i])
                    .build());
        }
        return out;
    }

    /**
     * {@code n} jobs over {@code queues} queues arriving as a Poisson process at a rate that
     * offers about {@code load} × the cluster's GPUs: gangs of 1–8 pods (most of 1), 1–8 GPUs per
     * pod, log-normal run times (median 20 min, capped at 2 days), a fifth of them production.
     */
    public static List<JobSpec> generated(int n, int queues, long clusterGpus, double load, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] podChoices = {1, 1, 1, 1, 1, 1, 2, 2, 4, 8};
        int[] gpuChoices = {1, 1, 1, 1, 2, 2, 4, 8};
        double meanPods = 0;
        for (int p : podChoices) {
            meanPods += p / (double) podChoices.length;
        }
        double meanGpus = 0;
        for (int g : gpuChoices) {
            meanGpus += g / (double) gpuChoices.length;
        }
        double sigma = 1.2;
        double median = 1200;
        double meanDuration = median * Math.exp(sigma * sigma / 2);
        double meanGpuSeconds = meanPods * meanGpus * meanDuration;
        double arrivalsPerSecond = load * clusterGpus / meanGpuSeconds;
        List<JobSpec> out = new ArrayList<>(n);
        double t = 0;
        for (int i = 0; i < n; i++) {
            t += -Math.log(1 - r.nextDouble()) / arrivalsPerSecond;
            int pods = podChoices[r.nextInt(podChoices.length)];
            int gpus = gpuChoices[r.nextInt(gpuChoices.length)];
            long duration = (long) Math.min(2 * 86_400, Math.max(30, median * Math.exp(sigma * r.nextGaussian())));
            boolean prod = r.nextInt(5) == 0;
            PodRequest req = PodRequest.cpuOnly(gpus * 8_000L, gpus * 64 * GIB).withGpus(gpus, 1000);
            out.add(new JobSpec(String.format("job-%06d", i), (long) t, duration,
                    String.format("q%02d", r.nextInt(queues)), prod ? JobSpec.TIER_PROD : JobSpec.TIER_DEV,
                    prod ? 10 : 0, pods, req));
        }
        return out;
    }
}
