package io.kubeai.core.elastic;

import io.kubeai.core.config.ElasticPolicy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which of a node's GPUs, given by the device plugin to online pods, are idle enough to lend to
 * elastic pods. A GPU is lendable when every pod holding it is online (not elastic), it is whole
 * (not split into MIG instances), and for at least {@code idleForSeconds} without a break its
 * utilisation stayed at most {@code maxUtilPercent} and its free framebuffer at least
 * {@code minFreeMemoryMiB}.
 *
 * <p>A lent GPU then looks busy because of its borrower, so telemetry can no longer tell whether
 * its owner woke up: a GPU lent last interval stays lendable while the same online pods hold it
 * and elastic pods on the node still hold elastic GPUs, up to as many as they hold. It stops
 * being lendable when its owner pods change, when the borrowers are gone, or when telemetry is
 * stale. Pure; O(GPUs on the node).
 *
 * <p>It does not decide which device a borrower's container sees (that needs the device's UUID in
 * the container's environment, which is not done here).
 */
public final class IdleGpus {
    private IdleGpus() {
    }

    /**
     * @param lendable how many GPUs can be lent (0 when not {@code known})
     * @param known whether telemetry was fresh enough to say
     * @param lendableUuids the lendable devices: the idle ones by index, then those still lent
     * @param idleSince the idle record to keep for the next interval
     * @param lent the lending record to keep for the next interval
     * @param explanation a sentence saying how the count came about, or why it is unknown
     */
    public record Assessment(long lendable, boolean known, List<String> lendableUuids, Map<String, Instant> idleSince,
            Map<String, Set<String>> lent, String explanation) {
    }

    /**
     * @param onlinePods the keys of the node's pods that are not elastic
     * @param borrowedGpus the elastic GPUs elastic pods on the node hold now
     */
    public static Assessment assess(ElasticPolicy policy, String node, GpuTelemetry telemetry, Set<String> onlinePods,
            long borrowedGpus, ElasticNodeState before, Instant now) {
        if (telemetry == null) {
            return unknown("node " + node + " has no GPU telemetry");
        }
        long age = telemetry.ageSeconds(now);
        if (age > policy.metricsMaxAgeSeconds()) {
            return unknown("the GPU telemetry of node " + node + " is " + age + " s old (at most "
                    + policy.metricsMaxAgeSeconds() + " s)");
        }
        ElasticPolicy.IdleGpu idle = policy.idleGpu();
        Map<String, Instant> idleSince = new HashMap<>();
        Map<String, Set<String>> lent = new HashMap<>();
        List<String> chosen = new ArrayList<>();
        List<GpuSample> sticky = new ArrayList<>();
        int busy = 0;
        int notOnline = 0;
        for (GpuSample g : telemetry.gpus()) {
            boolean online = !g.pods().isEmpty() && onlinePods.containsAll(g.pods());
            boolean idleNow = !g.partitioned() && g.utilPercent() <= idle.maxUtilPercent()
                    && g.fbFreeMiB() >= idle.minFreeMemoryMiB();
            if (idleNow) {
                idleSince.put(g.uuid(), before.gpuIdleSince().getOrDefault(g.uuid(), now));
            }
            if (!online) {
                notOnline++;
                continue;
            }
            // Idle long enough, without a break: lendable.
            if (idleNow && !idleSince.get(g.uuid()).plusSeconds(idle.idleForSeconds()).isAfter(now)) {
                chosen.add(g.uuid());
                lent.put(g.uuid(), g.pods());
            } else if (g.pods().equals(before.gpuLent().get(g.uuid()))) {
                // Lent before, same owners: busy, perhaps only because of its borrower.
                sticky.add(g);
            } else {
                busy++;
            }
        }
        long keep = Math.max(0, Math.min(sticky.size(), borrowedGpus - chosen.size()));
        for (int i = 0; i < sticky.size(); i++) {
            if (i < keep) {
                chosen.add(sticky.get(i).uuid());
                lent.put(sticky.get(i).uuid(), sticky.get(i).pods());
            } else {
                busy++;
            }
        }
        String why = "node " + node + " lends " + chosen.size() + " of " + telemetry.gpus().size() + " GPUs: "
                + (chosen.size() - keep) + " idle for " + idle.idleForSeconds() + " s (util ≤ " + idle.maxUtilPercent()
                + " %, ≥ " + idle.minFreeMemoryMiB() + " MiB free), " + keep + " still lent, " + busy
                + " busy or not idle long enough, " + notOnline + " not held by online pods";
        return new Assessment(chosen.size(), true, List.copyOf(chosen), idleSince, lent, why);
    }

    private static Assessment unknown(String why) {
        return new Assessment(0, false, List.of(), Map.of(), Map.of(), why);
    }
}
