package io.kubeai.core.elastic;

import io.kubeai.core.config.ElasticPolicy;
import java.time.Instant;

/**
 * How much CPU and memory one node can lend to elastic pods now, after Koordinator's
 * slo-controller ({@code batchresource}):
 *
 * <pre>
 * usage policy:   elastic = capacity − capacity × (100 − reclaimThreshold%) / 100
 *                           − max(systemUsed, systemReserved) − Σ usage of online pods
 * request policy: elastic = capacity − capacity × (100 − reclaimThreshold%) / 100
 *                           − systemReserved − Σ requests of online pods
 * </pre>
 *
 * where online pods are the pods that are not elastic, a pod without a fresh sample counts at
 * its request, {@code systemUsed = node usage − Σ usage of every measured pod} and
 * {@code systemReserved = capacity − allocatable}. The result is never negative. The usage
 * policy knows nothing when the node's own sample is missing or older than
 * {@code metricsMaxAgeSeconds}: it then lends nothing (an unknown {@link Estimate}). The
 * request policy needs no metrics. Pure; O(pods on the node).
 *
 * <p>It does not smooth ({@link Smoothing} does) and does not look at what elastic pods hold
 * ({@link ReclaimPlanner} does).
 */
public final class ElasticFormula {
    private ElasticFormula() {
    }

    /**
     * One resource's estimate for one node.
     *
     * @param value what the node can lend, 0 when unknown
     * @param known whether the inputs were fresh enough to say
     * @param explanation the sum written out, or why it is unknown
     */
    public record Estimate(long value, boolean known, String explanation) {
        static Estimate unknown(String why) {
            return new Estimate(0, false, why);
        }
    }

    /** Elastic CPU in milli-cores, by usage. */
    public static Estimate cpu(ElasticPolicy policy, NodeUsage node, Instant now) {
        return byUsage(ElasticResource.CPU, policy.cpuReclaimThresholdPercent(), policy.metricsMaxAgeSeconds(), node, now);
    }

    /** Elastic memory in bytes, by the configured memory policy. */
    public static Estimate memory(ElasticPolicy policy, NodeUsage node, Instant now) {
        return policy.memoryPolicy() == ElasticPolicy.MemoryPolicy.REQUEST
                ? byRequest(ElasticResource.MEMORY, policy.memoryReclaimThresholdPercent(), node)
                : byUsage(ElasticResource.MEMORY, policy.memoryReclaimThresholdPercent(), policy.metricsMaxAgeSeconds(),
                        node, now);
    }

    static Estimate byUsage(ElasticResource r, int thresholdPercent, long maxAgeSeconds, NodeUsage node, Instant now) {
        // Without a fresh sample of the node we cannot tell what the system uses: lend nothing.
        if (node.used() == null) {
            return Estimate.unknown("node " + node.node() + " has no metrics");
        }
        long age = node.ageSeconds(now);
        if (age > maxAgeSeconds) {
            return Estimate.unknown("the metrics of node " + node.node() + " are " + age + " s old (at most "
                    + maxAgeSeconds + " s)");
        }
        long capacity = of(r, node.capacity());
        long reserve = reserve(capacity, thresholdPercent);
        long measuredPods = 0;
        long online = 0;
        int measured = 0;
        int atRequest = 0;
        for (PodUsage p : node.pods()) {
            boolean fresh = p.measuredSince(now, maxAgeSeconds);
            if (fresh) {
                measuredPods += of(r, p.usage());
            }
            if (p.elastic()) {
                continue;
            }
            // An online pod without a fresh sample counts at its request: it may use that much any time.
            if (fresh) {
                online += of(r, p.usage());
                measured++;
            } else {
                online += of(r, p.request());
                atRequest++;
            }
        }
        long systemUsed = Math.max(0, of(r, node.used()) - measuredPods);
        long systemReserved = Math.max(0, capacity - of(r, node.allocatable()));
        long system = Math.max(systemUsed, systemReserved);
        long value = Math.max(0, capacity - reserve - system - online);
        String why = "elastic " + name(r) + " " + fmt(r, value) + " = capacity " + fmt(r, capacity) + " − reserve "
                + fmt(r, reserve) + " (" + (100 - thresholdPercent) + " % kept back) − system " + fmt(r, system)
                + (systemUsed >= systemReserved ? " used" : " reserved") + " − online pods " + fmt(r, online) + " ("
                + measured + " measured, " + atRequest + " at request)";
        return new Estimate(value, true, why);
    }

    static Estimate byRequest(ElasticResource r, int thresholdPercent, NodeUsage node) {
        long capacity = of(r, node.capacity());
        long reserve = reserve(capacity, thresholdPercent);
        long systemReserved = Math.max(0, capacity - of(r, node.allocatable()));
        long requested = 0;
        int pods = 0;
        for (PodUsage p : node.pods()) {
            if (!p.elastic()) {
                requested += of(r, p.request());
                pods++;
            }
        }
        long value = Math.max(0, capacity - reserve - systemReserved - requested);
        String why = "elastic " + name(r) + " " + fmt(r, value) + " = capacity " + fmt(r, capacity) + " − reserve "
                + fmt(r, reserve) + " (" + (100 - thresholdPercent) + " % kept back) − system " + fmt(r, systemReserved)
                + " reserved − requests of " + pods + " online pods " + fmt(r, requested);
        return new Estimate(value, true, why);
    }

    /** {@code capacity × (100 − threshold) / 100}, rounded up: the part kept back for online bursts. */
    static long reserve(long capacity, int thresholdPercent) {
        long kept = Math.multiplyExact(capacity, 100L - thresholdPercent);
        return kept / 100 + (kept % 100 == 0 ? 0 : 1);
    }

    private static long of(ElasticResource r, Usage u) {
        return r == ElasticResource.CPU ? u.cpuMillis() : u.memoryBytes();
    }

    private static String name(ElasticResource r) {
        return r == ElasticResource.CPU ? "cpu" : "memory";
    }

    private static String fmt(ElasticResource r, long v) {
        return ElasticAmounts.format(r, v);
    }
}
