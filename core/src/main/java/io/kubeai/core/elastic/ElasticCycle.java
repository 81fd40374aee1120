package io.kubeai.core.elastic;

import io.kubeai.core.config.ElasticPolicy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One elastic interval over the whole cluster, the same live and in simulation:
 *
 * <ol>
 *   <li>per node, the target of each resource: {@link ElasticFormula} for CPU and memory,
 *       {@link IdleGpus} for GPUs (only with {@code lendIdleGpus});
 *   <li>per node and resource, the figure to publish: smoothed toward a known target
 *       ({@link Smoothing}); zero while the target is unknown (stale metrics), the smoothed
 *       figure being kept for when they return;
 *   <li>over the cluster, what to reclaim ({@link ReclaimPlanner}), against the larger of the
 *       smoothed figure and the target: a figure still climbing after a restart does not evict,
 *       a sharp drop evicts step by step, and an unknown figure never evicts.
 * </ol>
 *
 * Decisions are values; the adapter patches nodes and evicts pods. Pure and deterministic;
 * O(nodes + pods + GPUs).
 */
public final class ElasticCycle {
    private ElasticCycle() {
    }

    /**
     * One node's inputs.
     *
     * @param usage its capacity, usage and pods
     * @param gpuTelemetry its last GPU telemetry; null when there is none
     * @param gpuCount its GPU devices ({@code nvidia.com/gpu} allocatable)
     * @param published what its status carries now under the elastic names (0 where absent)
     */
    public record NodeInput(NodeUsage usage, GpuTelemetry gpuTelemetry, int gpuCount, ElasticAmounts published) {
        public NodeInput {
            Objects.requireNonNull(usage, "usage");
            Objects.requireNonNull(published, "published");
        }
    }

    /**
     * What was decided for one node.
     *
     * @param target the unsmoothed figure per resource (0 where unknown)
     * @param known the resources whose target is known
     * @param publish the figures its status should carry
     * @param state what to remember for the next interval
     * @param explanations per resource, the sum written out or why it is unknown
     */
    public record NodeOutcome(String node, ElasticAmounts target, Set<ElasticResource> known, ElasticAmounts publish,
            ElasticNodeState state, Map<ElasticResource, String> explanations) {
        public NodeOutcome {
            known = known.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(known));
            explanations = Map.copyOf(explanations);
        }

        /** Whether the status must be patched: what it carries differs from what it should. */
        public boolean changed(ElasticAmounts current) {
            return !publish.equals(current);
        }
    }

    public record Result(List<NodeOutcome> nodes, ReclaimPlanner.Plan reclaim) {
        public Result {
            nodes = List.copyOf(nodes);
        }

        public Map<String, ElasticNodeState> states() {
            Map<String, ElasticNodeState> m = new HashMap<>();
            nodes.forEach(n -> m.put(n.node(), n.state()));
            return m;
        }
    }

    /**
     * @param before each node's state after the previous interval; a node missing starts from
     *     what it has published
     * @param elasticPods the elastic pods on the nodes, less those already being evicted
     */
    public static Result run(ElasticPolicy policy, List<NodeInput> nodes, Map<String, ElasticNodeState> before,
            List<ElasticPod> elasticPods, Instant now) {
        Map<String, Long> borrowed = new HashMap<>();
        for (ElasticPod p : elasticPods) {
            borrowed.merge(p.node(), p.holds().gpus(), Long::sum);
        }
        List<NodeOutcome> outcomes = new ArrayList<>(nodes.size());
        List<ReclaimPlanner.NodeLending> lending = new ArrayList<>(nodes.size());
        for (NodeInput in : nodes) {
            String name = in.usage().node();
            ElasticNodeState prev = before.getOrDefault(name, ElasticNodeState.initial(in.published()));

            // 1. Targets.
            EnumMap<ElasticResource, ElasticFormula.Estimate> est = new EnumMap<>(ElasticResource.class);
            est.put(ElasticResource.CPU, ElasticFormula.cpu(policy, in.usage(), now));
            est.put(ElasticResource.MEMORY, ElasticFormula.memory(policy, in.usage(), now));
            IdleGpus.Assessment gpus = null;
            if (policy.lendIdleGpus()) {
                Set<String> online = new HashSet<>();
                in.usage().pods().stream().filter(p -> !p.elastic()).forEach(p -> online.add(p.key()));
                gpus = IdleGpus.assess(policy, name, in.gpuTelemetry(), online, borrowed.getOrDefault(name, 0L), prev, now);
                est.put(ElasticResource.GPU, new ElasticFormula.Estimate(gpus.lendable(), gpus.known(), gpus.explanation()));
            } else {
                // Not lending GPUs: publish none (and take back a figure left from when it was on).
                est.put(ElasticResource.GPU, new ElasticFormula.Estimate(0, true, "lending idle GPUs is off"));
            }

            // 2. Smoothed figures and what to publish.
            ElasticAmounts target = ElasticAmounts.ZERO;
            ElasticAmounts smoothed = prev.smoothed();
            ElasticAmounts publish = ElasticAmounts.ZERO;
            ElasticAmounts lendable = ElasticAmounts.ZERO;
            EnumSet<ElasticResource> known = EnumSet.noneOf(ElasticResource.class);
            Map<ElasticResource, String> why = new EnumMap<>(ElasticResource.class);
            for (ElasticResource r : ElasticResource.values()) {
                ElasticFormula.Estimate e = est.get(r);
                why.put(r, e.explanation());
                if (!e.known()) {
                    // Stale: lend nothing new, keep the smoothed figure, reclaim nothing.
                    continue;
                }
                known.add(r);
                target = target.with(r, e.value());
                long next = r == ElasticResource.GPU && !policy.lendIdleGpus() ? 0
                        : Smoothing.next(prev.smoothed().get(r), e.value(), capacity(r, in), policy.hysteresisPercent(),
                                policy.maxStepPercent());
                smoothed = smoothed.with(r, next);
                publish = publish.with(r, next);
                lendable = lendable.with(r, Math.max(next, e.value()));
            }
            if (!policy.lendIdleGpus()) {
                // GPUs are not ours to reclaim while lending is off.
                known.remove(ElasticResource.GPU);
            }
            ElasticNodeState state = new ElasticNodeState(smoothed, gpus == null ? Map.of() : gpus.idleSince(),
                    gpus == null ? Map.of() : gpus.lent());
            outcomes.add(new NodeOutcome(name, target, known, publish, state, why));
            lending.add(new ReclaimPlanner.NodeLending(name, lendable, known));
        }

        // 3. Reclaim.
        ReclaimPlanner.Plan plan = policy.reclaim().enabled()
                ? ReclaimPlanner.plan(lending, elasticPods, policy.reclaim().maxEvictionsPerInterval(), policy.resources())
                : ReclaimPlanner.Plan.NONE;
        return new Result(outcomes, plan);
    }

    private static long capacity(ElasticResource r, NodeInput in) {
        return switch (r) {
            case CPU -> in.usage().capacity().cpuMillis();
            case MEMORY -> in.usage().capacity().memoryBytes();
            case GPU -> in.gpuCount();
        };
    }
}
