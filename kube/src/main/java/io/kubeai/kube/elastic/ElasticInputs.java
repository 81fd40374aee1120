package io.kubeai.kube.elastic;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kubeai.core.config.ElasticPolicy;
import io.kubeai.core.elastic.ElasticAmounts;
import io.kubeai.core.elastic.ElasticCycle;
import io.kubeai.core.elastic.ElasticPod;
import io.kubeai.core.elastic.GpuTelemetry;
import io.kubeai.core.elastic.NodeUsage;
import io.kubeai.core.elastic.PodUsage;
import io.kubeai.core.elastic.Usage;
import io.kubeai.core.resource.PodRequest;
import io.kubeai.kube.CachedPod;
import io.kubeai.kube.InvalidObjectException;
import io.kubeai.kube.KubeAiNames;
import io.kubeai.kube.KubeConversions;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * From Kubernetes objects and metrics to the inputs of core's {@link ElasticCycle}. A pod is
 * elastic when it is labelled {@code kubeai.io/elastic: "true"} or requests one of the elastic
 * resources; every other unfinished pod bound to a node is online. O(nodes + pods).
 */
public final class ElasticInputs {
    private static final Logger LOG = Logger.getLogger(ElasticInputs.class.getName());

    private ElasticInputs() {
    }

    public static boolean elastic(CachedPod p, ElasticPolicy.ResourceNames names) {
        return "true".equals(p.label(KubeAiNames.ELASTIC)) || !holds(p.request(), names).isZero();
    }

    /** The elastic resources a pod requests. */
    public static ElasticAmounts holds(PodRequest request, ElasticPolicy.ResourceNames names) {
        return new ElasticAmounts(request.extended().get(names.cpu()), request.extended().get(names.memory()),
                request.extended().get(names.gpu()));
    }

    /** What a node's status carries now under the elastic names (allocatable; 0 where absent). */
    public static ElasticAmounts published(Node n, ElasticPolicy.ResourceNames names) {
        Map<String, Quantity> a = n.getStatus() == null || n.getStatus().getAllocatable() == null ? Map.of()
                : n.getStatus().getAllocatable();
        String where = "node " + n.getMetadata().getName() + " status.allocatable.";
        return new ElasticAmounts(KubeConversions.units(a.get(names.cpu()), where + names.cpu()),
                KubeConversions.units(a.get(names.memory()), where + names.memory()),
                KubeConversions.units(a.get(names.gpu()), where + names.gpu()));
    }

    /** One input per node, in name order; nodes whose capacity cannot be read are left out. */
    public static List<ElasticCycle.NodeInput> nodes(Collection<Node> nodes, Collection<CachedPod> pods,
            MetricsApi.Snapshot metrics, Map<String, GpuTelemetry> gpus, ElasticPolicy.ResourceNames names) {
        Map<String, List<PodUsage>> byNode = new HashMap<>();
        for (CachedPod p : pods) {
            String node = p.holdsNode();
            if (node == null) {
                continue;
            }
            PodRequest request = p.request();
            String key = p.key();
            MetricsApi.Reading r = metrics.pods().get(key);
            byNode.computeIfAbsent(node, k -> new ArrayList<>()).add(new PodUsage(key, elastic(p, names),
                    new Usage(request.cpuMillis(), request.memoryBytes()), r == null ? null : r.usage(),
                    r == null ? null : r.at()));
        }
        List<ElasticCycle.NodeInput> out = new ArrayList<>();
        List<Node> sorted = new ArrayList<>(nodes);
        sorted.sort(Comparator.comparing(n -> n.getMetadata().getName()));
        for (Node n : sorted) {
            String name = n.getMetadata().getName();
            try {
                Map<String, Quantity> alloc = n.getStatus() == null || n.getStatus().getAllocatable() == null ? Map.of()
                        : n.getStatus().getAllocatable();
                Map<String, Quantity> cap = n.getStatus() == null || n.getStatus().getCapacity() == null
                        || !n.getStatus().getCapacity().containsKey("cpu") ? alloc : n.getStatus().getCapacity();
                Usage allocatable = new Usage(KubeConversions.millis(alloc.get("cpu"), "node " + name + " allocatable.cpu"),
                        KubeConversions.units(alloc.get("memory"), "node " + name + " allocatable.memory"));
                Usage capacity = new Usage(KubeConversions.millis(cap.get("cpu"), "node " + name + " capacity.cpu"),
                        KubeConversions.units(cap.get("memory"), "node " + name + " capacity.memory"));
                int gpuCount = (int) Math.min(Integer.MAX_VALUE, KubeConversions.units(alloc.get(KubeAiNames.GPU_RESOURCE),
                        "node " + name + " allocatable." + KubeAiNames.GPU_RESOURCE));
                MetricsApi.Reading used = metrics.nodes().get(name);
                NodeUsage usage = new NodeUsage(name, capacity, allocatable, used == null ? null : used.usage(),
                        used == null ? null : used.at(), byNode.getOrDefault(name, List.of()));
                out.add(new ElasticCycle.NodeInput(usage, gpus.get(name), gpuCount, published(n, names)));
            } catch (InvalidObjectException e) {
                LOG.log(Level.WARNING, "elastic capacity ignores node: {0}", e.getMessage());
            }
        }
        return out;
    }

    /** The elastic pods bound to nodes, less those in {@code leaving} (being evicted) or being deleted. */
    public static List<ElasticPod> elasticPods(Collection<CachedPod> pods, ElasticPolicy.ResourceNames names,
            Set<String> leaving) {
        List<ElasticPod> out = new ArrayList<>();
        for (CachedPod p : pods) {
            String node = p.holdsNode();
            String key = p.key();
            if (node == null || leaving.contains(key) || p.deleting() || !elastic(p, names)) {
                continue;
            }
            out.add(new ElasticPod(key, node, p.priority(), started(p), holds(p.request(), names)));
        }
        out.sort(Comparator.comparing(ElasticPod::key));
        return out;
    }

    private static Instant started(CachedPod p) {
        String t = p.startTime() != null ? p.startTime() : p.creationTimestamp();
        if (t == null) {
            return null;
        }
        try {
            return Instant.parse(t);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
