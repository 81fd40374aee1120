package io.kubeai.core.elastic;

import io.kubeai.core.config.ElasticPolicy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Takes lent capacity back: on a node that lends less of a resource than its elastic pods hold,
 * it evicts elastic pods, lowest priority first and, among equal priorities, youngest first
 * (ties by key), skipping pods that hold none of the short resources, until what they hold fits
 * again — no more than {@code budget} evictions per interval over the whole cluster. The nodes
 * worst off (the largest share of what their elastic pods hold is over) go first, ties by name.
 * A resource whose lendable figure is unknown (stale metrics) is never reclaimed: not knowing is
 * no reason to evict. Pure; O(elastic pods × log).
 *
 * <p>It does not evict (the adapter does, through the Eviction API, which honours
 * PodDisruptionBudgets) and does not remember pods already being evicted (the adapter leaves
 * them out of {@code pods}).
 */
public final class ReclaimPlanner {
    private ReclaimPlanner() {
    }

    /**
     * What one node can lend now, per resource; a resource not in {@code known} is unknown.
     */
    public record NodeLending(String node, ElasticAmounts lendable, Set<ElasticResource> known) {
        public NodeLending {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(lendable, "lendable");
            known = known.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(known));
        }
    }

    /** One pod to evict and the sentence that says why, for its Event. */
    public record Eviction(String podKey, String node, String reason) {
    }

    /**
     * @param evictions in the order to carry them out
     * @param deferred per node still short when the budget ran out, a sentence saying so
     */
    public record Plan(List<Eviction> evictions, List<String> deferred) {
        public static final Plan NONE = new Plan(List.of(), List.of());

        public Plan {
            evictions = List.copyOf(evictions);
            deferred = List.copyOf(deferred);
        }
    }

    private static final Comparator<ElasticPod> ORDER = Comparator.comparingInt(ElasticPod::priority)
            .thenComparing(ElasticPod::started, Comparator.nullsLast(Comparator.<Instant>reverseOrder()))
            .thenComparing(ElasticPod::key);

    public static Plan plan(List<NodeLending> nodes, List<ElasticPod> pods, int budget, ElasticPolicy.ResourceNames names) {
        Map<String, List<ElasticPod>> byNode = new TreeMap<>();
        for (ElasticPod p : pods) {
            byNode.computeIfAbsent(p.node(), k -> new ArrayList<>()).add(p);
        }
        record Short(NodeLending node, ElasticAmounts held, EnumMap<ElasticResource, Long> over, double severity) {
        }
        List<Short> shorts = new ArrayList<>();
        for (NodeLending n : nodes) {
            ElasticAmounts held = ElasticAmounts.ZERO;
            for (ElasticPod p : byNode.getOrDefault(n.node(), List.of())) {
                held = held.plus(p.holds());
            }
            EnumMap<ElasticResource, Long> over = new EnumMap<>(ElasticResource.class);
            double severity = 0;
            for (ElasticResource r : n.known()) {
                long o = held.get(r) - n.lendable().get(r);
                if (o > 0) {
                    over.put(r, o);
                    severity = Math.max(severity, o / (double) held.get(r));
                }
            }
            if (!over.isEmpty()) {
                shorts.add(new Short(n, held, over, severity));
            }
        }
        shorts.sort(Comparator.comparingDouble((Short s) -> -s.severity()).thenComparing(s -> s.node().node()));

        List<Eviction> evictions = new ArrayList<>();
        List<String> deferred = new ArrayList<>();
        int left = budget;
        for (Short s : shorts) {
            List<ElasticPod> order = new ArrayList<>(byNode.get(s.node().node()));
            order.sort(ORDER);
            EnumMap<ElasticResource, Long> remaining = new EnumMap<>(s.over());
            String shortfall = describe(s.node(), s.held(), s.over(), names);
            for (ElasticPod p : order) {
                if (remaining.values().stream().allMatch(v -> v <= 0)) {
                    break;
                }
                // A pod holding none of what is short would free nothing that helps.
                if (remaining.entrySet().stream().noneMatch(e -> e.getValue() > 0 && p.holds().get(e.getKey()) > 0)) {
                    continue;
                }
                if (left == 0) {
                    break;
                }
                left--;
                remaining.replaceAll((r, v) -> v - p.holds().get(r));
                evictions.add(new Eviction(p.key(), p.node(), shortfall + ": evicting " + p.key() + " (priority "
                        + p.priority() + (p.started() == null ? "" : ", started " + p.started()) + "), lowest priority "
                        + "and youngest first"));
            }
            if (remaining.values().stream().anyMatch(v -> v > 0)) {
                StringBuilder still = new StringBuilder();
                remaining.forEach((r, v) -> {
                    if (v > 0) {
                        still.append(still.length() == 0 ? "" : ", ").append(ElasticAmounts.format(r, v)).append(" of ")
                                .append(name(names, r));
                    }
                });
                deferred.add("node " + s.node().node() + " still lends " + still + " less than its elastic pods hold; "
                        + "the reclaim budget of " + budget + " evictions per interval is spent, the next interval goes on");
            }
        }
        return new Plan(evictions, deferred);
    }

    private static String describe(NodeLending n, ElasticAmounts held, Map<ElasticResource, Long> over,
            ElasticPolicy.ResourceNames names) {
        StringBuilder sb = new StringBuilder("node " + n.node() + " lends ");
        boolean first = true;
        for (ElasticResource r : over.keySet()) {
            sb.append(first ? "" : " and ").append(ElasticAmounts.format(r, n.lendable().get(r))).append(" of ")
                    .append(name(names, r)).append(" now but its elastic pods hold ")
                    .append(ElasticAmounts.format(r, held.get(r)));
            first = false;
        }
        return sb.toString();
    }

    static String name(ElasticPolicy.ResourceNames names, ElasticResource r) {
        return switch (r) {
            case CPU -> names.cpu();
            case MEMORY -> names.memory();
            case GPU -> names.gpu();
        };
    }
}
