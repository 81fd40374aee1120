package io.kubeai.kube;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kubeai.core.cluster.Node;
import io.kubeai.core.resource.ExtendedResources;
import io.kubeai.core.resource.GpuModels;
import io.kubeai.core.resource.PodRequest;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * From Kubernetes objects to core types. A pod's request is what the scheduler charges it:
 * the larger of its containers' sum and its largest init container, plus its overhead, per
 * resource. Requests that cannot be read raise {@link InvalidObjectException} naming the field.
 */
public final class KubeConversions {
    private static final Set<String> NOT_EXTENDED = Set.of("cpu", "memory", "pods", "ephemeral-storage",
            KubeAiNames.GPU_RESOURCE);

    private KubeConversions() {
    }

    /** A node's allocatable capacity; its GPU model from the product label, else ours. */
    public static Node node(io.fabric8.kubernetes.api.model.Node n) {
        String name = n.getMetadata().getName();
        Map<String, Quantity> alloc = n.getStatus() == null || n.getStatus().getAllocatable() == null
                ? Map.of() : n.getStatus().getAllocatable();
        long cpu = millis(alloc.get("cpu"), "node " + name + " status.allocatable.cpu");
        long memory = units(alloc.get("memory"), "node " + name + " status.allocatable.memory");
        long gpus = units(alloc.get(KubeAiNames.GPU_RESOURCE), "node " + name + " status.allocatable.nvidia.com/gpu");
        Map<String, String> labels = labels(n.getMetadata());
        String model = labels.getOrDefault(KubeAiNames.GPU_PRODUCT_LABEL, labels.getOrDefault(KubeAiNames.GPU_MODEL_LABEL, ""));
        Map<String, Long> extended = new HashMap<>();
        for (Map.Entry<String, Quantity> e : alloc.entrySet()) {
            if (!NOT_EXTENDED.contains(e.getKey()) && !e.getKey().startsWith("hugepages-")) {
                extended.put(e.getKey(), units(e.getValue(), "node " + name + " status.allocatable." + e.getKey()));
            }
        }
        return new Node(name, cpu, memory, (int) Math.min(gpus, Node.MAX_GPUS), gpus > 0 ? model : "",
                ExtendedResources.of(extended));
    }

    /** What a pod requests, as the scheduler counts it. */
    public static PodRequest request(Pod pod) {
        String where = "pod " + key(pod);
        Map<String, Long> sum = new HashMap<>();
        List<Container> containers = pod.getSpec() == null ? List.of() : pod.getSpec().getContainers();
        for (int i = 0; i < containers.size(); i++) {
            add(sum, containers.get(i), where + " spec.containers[" + i + "]");
        }
        List<Container> inits = pod.getSpec() == null || pod.getSpec().getInitContainers() == null
                ? List.of() : pod.getSpec().getInitContainers();
        for (int i = 0; i < inits.size(); i++) {
            Map<String, Long> one = new HashMap<>();
            add(one, inits.get(i), where + " spec.initContainers[" + i + "]");
            one.forEach((k, v) -> sum.merge(k, v, Math::max));
        }
        if (pod.getSpec() != null && pod.getSpec().getOverhead() != null) {
            for (Map.Entry<String, Quantity> e : pod.getSpec().getOverhead().entrySet()) {
                sum.merge(e.getKey(), amount(e.getKey(), e.getValue(), where + " spec.overhead." + e.getKey()), Long::sum);
            }
        }
        long cpu = sum.getOrDefault("cpu", 0L);
        long memory = sum.getOrDefault("memory", 0L);
        long gpus = sum.getOrDefault(KubeAiNames.GPU_RESOURCE, 0L);
        Map<String, String> ann = annotations(pod.getMetadata());
        int milli = 0;
        if (gpus > 0) {
            milli = 1000;
            String share = ann.get(KubeAiNames.GPU_MILLI);
            if (share != null) {
                try {
                    milli = Integer.parseInt(share.strip());
                } catch (NumberFormatException e) {
                    throw new InvalidObjectException(where + " metadata.annotations." + KubeAiNames.GPU_MILLI
                            + ": expected an integer 1..1000, found \"" + share + "\"");
                }
                if (milli < 1 || milli > 1000 || (gpus > 1 && milli != 1000)) {
                    throw new InvalidObjectException(where + " metadata.annotations." + KubeAiNames.GPU_MILLI
                            + ": expected 1..1000 with nvidia.com/gpu: 1 (a share is of one GPU), found " + share
                            + " with " + gpus + " GPUs");
                }
            }
            if (gpus > Node.MAX_GPUS) {
                throw new InvalidObjectException(where + ": requests " + gpus + " GPUs, more than any node has ("
                        + Node.MAX_GPUS + " at most)");
            }
        }
        Map<String, Long> extended = new HashMap<>();
        sum.forEach((k, v) -> {
            if (!NOT_EXTENDED.contains(k) && !k.startsWith("hugepages-")) {
                extended.put(k, v);
            }
        });
        return new PodRequest(cpu, memory, (int) gpus, milli, GpuModels.parse(ann.get(KubeAiNames.GPU_MODELS)),
                ExtendedResources.of(extended));
    }

    /** The gang of a pod, from our label, scheduler-plugins', Volcano's, or Kubeflow's, in that order. */
    public static Optional<GangRef> gang(Pod pod) {
        ObjectMeta m = pod.getMetadata();
        String ns = m.getNamespace() == null ? "default" : m.getNamespace();
        Map<String, String> labels = labels(m);
        Map<String, String> ann = annotations(m);
        if (nonBlank(labels.get(KubeAiNames.GANG))) {
            return Optional.of(new GangRef(ns, labels.get(KubeAiNames.GANG), GangRef.Source.KUBEAI_LABEL));
        }
        if (nonBlank(labels.get(KubeAiNames.SCHEDULER_PLUGINS_POD_GROUP))) {
            return Optional.of(new GangRef(ns, labels.get(KubeAiNames.SCHEDULER_PLUGINS_POD_GROUP),
                    GangRef.Source.SCHEDULER_PLUGINS_LABEL));
        }
        if (nonBlank(ann.get(KubeAiNames.VOLCANO_GROUP_NAME))) {
            return Optional.of(new GangRef(ns, ann.get(KubeAiNames.VOLCANO_GROUP_NAME), GangRef.Source.VOLCANO_ANNOTATION));
        }
        if (nonBlank(labels.get(KubeAiNames.KUBEFLOW_JOB_NAME))) {
            return Optional.of(new GangRef(ns, labels.get(KubeAiNames.KUBEFLOW_JOB_NAME), GangRef.Source.KUBEFLOW_LABELS));
        }
        return Optional.empty();
    }

    /** {@code namespace/name}. */
    public static String key(Pod pod) {
        String ns = pod.getMetadata() == null || pod.getMetadata().getNamespace() == null
                ? "default" : pod.getMetadata().getNamespace();
        String name = pod.getMetadata() == null ? "" : pod.getMetadata().getName();
        return ns + "/" + name;
    }

    /** Whether the pod has finished and holds nothing. */
    public static boolean terminal(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    /** The GPU device indexes written at bind ({@code 0,3}), as a bit mask; 0 when absent or unreadable. */
    public static int gpuDevices(Pod pod) {
        return gpuDevices(annotations(pod.getMetadata()).get(KubeAiNames.GPU_DEVICES));
    }

    /** The {@code kubeai.io/gpu-devices} value {@code v} ({@code 0,3}) as a bit mask; 0 when null or unreadable. */
    public static int gpuDevices(String v) {
        if (v == null || v.isBlank()) {
            return 0;
        }
        int mask = 0;
        for (String part : v.split(",")) {
            try {
                int d = Integer.parseInt(part.strip());
                if (d < 0 || d >= Node.MAX_GPUS) {
                    return 0;
                }
                mask |= 1 << d;
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return mask;
    }

    /** A device mask as the annotation writes it. */
    public static String gpuDevicesAnnotation(int mask) {
        StringBuilder sb = new StringBuilder();
        for (int d = 0; d < 32; d++) {
            if ((mask & (1 << d)) != 0) {
                if (sb.length() > 0) {
                    sb.append(',');
                }
                sb.append(d);
            }
        }
        return sb.toString();
    }

    private static void add(Map<String, Long> sum, Container c, String where) {
        Map<String, Quantity> req = c.getResources() == null ? null : c.getResources().getRequests();
        Map<String, Quantity> lim = c.getResources() == null ? null : c.getResources().getLimits();
        Map<String, Quantity> effective = new HashMap<>();
        if (lim != null) {
            // For extended resources (GPUs) a limit without a request means the same request.
            lim.forEach((k, v) -> {
                if (!k.equals("cpu") && !k.equals("memory")) {
                    effective.put(k, v);
                }
            });
            // Kubernetes defaults a missing CPU or memory request to the limit.
            lim.forEach(effective::putIfAbsent);
        }
        if (req != null) {
            effective.putAll(req);
        }
        for (Map.Entry<String, Quantity> e : effective.entrySet()) {
            sum.merge(e.getKey(), amount(e.getKey(), e.getValue(), where + ".resources." + e.getKey()), Long::sum);
        }
    }

    private static long amount(String resource, Quantity q, String where) {
        return resource.equals("cpu") ? millis(q, where) : units(q, where);
    }

    /** A CPU quantity in milli-cores, rounded up. */
    public static long millis(Quantity q, String where) {
        if (q == null) {
            return 0;
        }
        try {
            return Quantity.getAmountInBytes(q).multiply(BigDecimal.valueOf(1000)).setScale(0, RoundingMode.CEILING)
                    .longValueExact();
        } catch (RuntimeException e) {
            throw new InvalidObjectException(where + ": \"" + q + "\" is not a quantity");
        }
    }

    /** A quantity in its base unit (bytes, devices), rounded up. */
    public static long units(Quantity q, String where) {
        if (q == null) {
            return 0;
        }
        try {
            return Quantity.getAmountInBytes(q).setScale(0, RoundingMode.CEILING).longValueExact();
        } catch (RuntimeException e) {
            throw new InvalidObjectException(where + ": \"" + q + "\" is not a quantity");
        }
    }

    private static Map<String, String> labels(ObjectMeta m) {
        return m == null || m.getLabels() == null ? Map.of() : m.getLabels();
    }

    private static Map<String, String> annotations(ObjectMeta m) {
        return m == null || m.getAnnotations() == null ? Map.of() : m.getAnnotations();
    }

    private static boolean nonBlank(String s) {
        return s != null && !s.isBlank();
    }
}
