package io.kubeai.kube;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kubeai.core.cpu.CpuFormatException;
import io.kubeai.core.cpu.CpuPinningMode;
import io.kubeai.core.cpu.CpuSet;
import io.kubeai.core.cpu.CpuTopology;
import io.kubeai.core.cpu.CpuTopologySpec;
import io.kubeai.core.cpu.NodeCpuState;
import io.kubeai.core.cpu.SiblingNumbering;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * From Kubernetes objects to core's CPU types: a node's CPU topology (from its
 * NodeResourceTopology, else its {@code kubeai.io/cpu-topology} annotation), a pod's pinning
 * request and the cpuset it was given. What cannot be read or does not agree raises
 * {@link InvalidObjectException} naming the object and the field.
 */
public final class CpuConversions {
    private static final Pattern TRAILING_NUMBER = Pattern.compile("(\\d+)$");

    private CpuConversions() {
    }

    /**
     * The CPU topology of {@code node}; empty when it publishes none.
     *
     * <ul>
     *   <li>With a NodeResourceTopology ({@code nrt} not null): one NUMA node per zone of type
     *       {@code Node}, numbered by the number its name ends with ({@code node-1}) or else in
     *       the order listed, with {@code capacity} logical CPUs of which
     *       {@code capacity − allocatable} are reserved (the lowest cores) and {@code available}
     *       reported free. Threads per core come from the annotation, else node-feature-discovery's
     *       SMT label ({@code true}: 2, {@code false}: 1) and are otherwise unknown: an error.
     *       Sockets are the zones the NUMA zones name as {@code parent}, else the annotation's, else
     *       one. An annotation must agree with the zones.
     *   <li>Else with the annotation: the uniform machine it describes, with
     *       {@code capacity − allocatable} CPUs of the node reserved (the lowest cores); it must
     *       describe as many CPUs as the node's {@code status.capacity.cpu}.
     * </ul>
     */
    public static Optional<NodeCpuTopology> topology(Node node, GenericKubernetesResource nrt) {
        String name = node.getMetadata().getName();
        String annotation = annotations(node.getMetadata()).get(KubeAiNames.CPU_TOPOLOGY);
        CpuTopologySpec spec = null;
        if (annotation != null && !annotation.isBlank()) {
            try {
                spec = CpuTopologySpec.parse(annotation);
            } catch (CpuFormatException e) {
                throw new InvalidObjectException("node " + name + " metadata.annotations." + KubeAiNames.CPU_TOPOLOGY
                        + ": " + e.getMessage());
            }
        }
        if (nrt != null) {
            return Optional.of(fromNrt(node, nrt, spec));
        }
        if (spec == null) {
            return Optional.empty();
        }
        CpuTopology t = spec.topology();
        Map<String, Quantity> capacity = node.getStatus() == null || node.getStatus().getCapacity() == null ? Map.of()
                : node.getStatus().getCapacity();
        Map<String, Quantity> allocatable = node.getStatus() == null || node.getStatus().getAllocatable() == null
                ? Map.of() : node.getStatus().getAllocatable();
        long capMillis = KubeConversions.millis(capacity.get("cpu"), "node " + name + " status.capacity.cpu");
        long allocMillis = KubeConversions.millis(allocatable.get("cpu"), "node " + name + " status.allocatable.cpu");
        if (capMillis > 0 && capMillis != t.cpuCount() * 1000L) {
            throw new InvalidObjectException("node " + name + " metadata.annotations." + KubeAiNames.CPU_TOPOLOGY
                    + ": \"" + annotation + "\" describes " + t.cpuCount() + " CPUs, status.capacity.cpu is "
                    + capacity.get("cpu"));
        }
        int reservedCpus = capMillis > 0 && allocMillis > 0 ? (int) ((capMillis - allocMillis + 999) / 1000) : 0;
        CpuSet reserved = NodeCpuState.lowestCores(t, t.cpus(), Math.max(0, reservedCpus));
        return Optional.of(new NodeCpuTopology(t, reserved, null, "annotation " + KubeAiNames.CPU_TOPOLOGY, false));
    }

    private record Zone(String name, int id, int cpus, int allocatable, Integer available, String parent) {
    }

    private static NodeCpuTopology fromNrt(Node node, GenericKubernetesResource nrt, CpuTopologySpec spec) {
        String name = node.getMetadata().getName();
        String where = "NodeResourceTopology " + nrt.getMetadata().getName();
        Object zonesValue = nrt.getAdditionalProperties().get("zones");
        if (!(zonesValue instanceof List<?> zones)) {
            throw new InvalidObjectException(where + " zones: expected a list of zones");
        }
        List<Zone> numa = new ArrayList<>();
        Map<String, Integer> socketByZone = new LinkedHashMap<>();
        for (int i = 0; i < zones.size(); i++) {
            if (!(zones.get(i) instanceof Map<?, ?> z)) {
                throw new InvalidObjectException(where + " zones[" + i + "]: expected an object");
            }
            String zoneName = String.valueOf(z.get("name"));
            String type = String.valueOf(z.get("type"));
            if (type.equals("Socket") || type.equals("Package")) {
                socketByZone.putIfAbsent(zoneName, socketByZone.size());
            }
            if (!type.equals(KubeAiNames.NRT_ZONE_NUMA)) {
                continue;
            }
            String at = where + " zones[" + i + "] (" + zoneName + ")";
            Map<?, ?> cpu = null;
            if (z.get("resources") instanceof List<?> resources) {
                for (Object r : resources) {
                    if (r instanceof Map<?, ?> m && "cpu".equals(m.get("name"))) {
                        cpu = m;
                    }
                }
            }
            if (cpu == null) {
                throw new InvalidObjectException(at + ": no cpu resource");
            }
            int capacity = wholeCpus(cpu.get("capacity"), at + " resources.cpu.capacity");
            int allocatable = cpu.get("allocatable") == null ? capacity
                    : wholeCpus(cpu.get("allocatable"), at + " resources.cpu.allocatable");
            Integer available = cpu.get("available") == null ? null
                    : wholeCpusDown(cpu.get("available"), at + " resources.cpu.available");
            Matcher m = TRAILING_NUMBER.matcher(zoneName);
            int id = m.find() ? Integer.parseInt(m.group(1)) : -1;
            Object parent = z.get("parent");
            numa.add(new Zone(zoneName, id, capacity, Math.min(allocatable, capacity), available,
                    parent == null ? null : String.valueOf(parent)));
        }
        if (numa.isEmpty()) {
            throw new InvalidObjectException(where + ": no zone of type " + KubeAiNames.NRT_ZONE_NUMA);
        }
        // NUMA ids by the numbers the zone names end with when each has a distinct one, else in order.
        boolean numbered = numa.stream().allMatch(z -> z.id() >= 0)
                && numa.stream().map(Zone::id).distinct().count() == numa.size();
        if (numbered) {
            numa.sort(java.util.Comparator.comparingInt(Zone::id));
        }
        int[] cpus = numa.stream().mapToInt(Zone::cpus).toArray();

        String labelSmt = labels(node.getMetadata()).get(KubeAiNames.NFD_SMT_LABEL);
        int threads;
        if (spec != null) {
            threads = spec.threadsPerCore();
        } else if ("true".equalsIgnoreCase(labelSmt)) {
            threads = 2;
        } else if ("false".equalsIgnoreCase(labelSmt)) {
            threads = 1;
        } else {
            throw new InvalidObjectException("node " + name + ": threads per core unknown: " + where
                    + " does not say, and the node has neither the " + KubeAiNames.NFD_SMT_LABEL
                    + " label nor a " + KubeAiNames.CPU_TOPOLOGY + " annotation");
        }
        if (spec != null) {
            boolean agrees = spec.numaCount() == numa.size();
            for (int c : cpus) {
                agrees &= c == spec.cpusPerNuma();
            }
            if (!agrees) {
                throw new InvalidObjectException("node " + name + " metadata.annotations." + KubeAiNames.CPU_TOPOLOGY
                        + ": \"" + spec + "\" describes " + spec.numaCount() + " NUMA nodes of " + spec.cpusPerNuma()
                        + " CPUs, " + where + " has " + numa.size() + " of " + java.util.Arrays.toString(cpus));
            }
        }
        int[] socketOf = new int[numa.size()];
        for (int i = 0; i < numa.size(); i++) {
            Zone z = numa.get(i);
            if (z.parent() != null && socketByZone.containsKey(z.parent())) {
                socketOf[i] = socketByZone.get(z.parent());
            } else if (spec != null) {
                socketOf[i] = i / spec.numaPerSocket();
            } else {
                socketOf[i] = 0;
            }
        }
        SiblingNumbering numbering = spec == null ? SiblingNumbering.SPREAD : spec.numbering();
        CpuTopology t;
        try {
            t = CpuTopology.ofNumaNodes(cpus, socketOf, threads, numbering);
        } catch (IllegalArgumentException e) {
            throw new InvalidObjectException(where + ": " + e.getMessage());
        }
        CpuSet reserved = CpuSet.EMPTY;
        Map<Integer, Integer> reported = new LinkedHashMap<>();
        for (int i = 0; i < numa.size(); i++) {
            Zone z = numa.get(i);
            reserved = reserved.union(NodeCpuState.lowestCores(t, t.cpusInNuma(i), z.cpus() - z.allocatable()));
            if (z.available() != null) {
                reported.put(i, z.available());
            }
        }
        return new NodeCpuTopology(t, reserved, reported.isEmpty() ? null : reported, where, singleNumaNode(nrt));
    }

    /**
     * Whether NodeResourceTopology says kubelet runs the {@code single-numa-node} Topology Manager
     * policy: the {@code topologyManagerPolicy} attribute, or the deprecated
     * {@code topologyPolicies} ({@code SingleNUMANodeContainerLevel}, {@code SingleNUMANodePodLevel}).
     */
    static boolean singleNumaNode(GenericKubernetesResource nrt) {
        Map<String, Object> p = nrt.getAdditionalProperties();
        if (p.get("attributes") instanceof List<?> attributes) {
            for (Object a : attributes) {
                if (a instanceof Map<?, ?> m && KubeAiNames.NRT_TOPOLOGY_MANAGER_POLICY.equals(m.get("name"))) {
                    return "single-numa-node".equals(m.get("value"));
                }
            }
        }
        if (p.get("topologyPolicies") instanceof List<?> policies) {
            return policies.stream().anyMatch(v -> String.valueOf(v).startsWith("SingleNUMANode"));
        }
        return false;
    }

    private static int wholeCpus(Object value, String where) {
        if (value == null) {
            throw new InvalidObjectException(where + ": missing");
        }
        long millis = KubeConversions.millis(new Quantity(String.valueOf(value)), where);
        if (millis % 1000 != 0 || millis < 0 || millis > (CpuSet.MAX_CPU_ID + 1) * 1000L) {
            throw new InvalidObjectException(where + ": \"" + value + "\" is not a whole number of CPUs");
        }
        return (int) (millis / 1000);
    }

    private static int wholeCpusDown(Object value, String where) {
        long millis = KubeConversions.millis(new Quantity(String.valueOf(value)), where);
        return (int) Math.max(0, Math.min(millis / 1000, CpuSet.MAX_CPU_ID + 1));
    }

    /**
     * What a pod asks of its CPUs: its {@code kubeai.io/cpu-pinning} (annotation, else label) and,
     * for a pinned pod, the CPUs kubelet's static policy would pin for it (the larger of its
     * containers' whole-CPU requests added up and its largest whole-CPU init container), or the
     * reason it cannot be pinned.
     *
     * @throws InvalidObjectException if the pinning value is not one of none, exclusive, numa
     */
    public static PodCpuPinning pinning(Pod pod) {
        String key = KubeConversions.key(pod);
        String value = annotations(pod.getMetadata()).get(KubeAiNames.CPU_PINNING);
        String field = "metadata.annotations.";
        if (value == null) {
            value = labels(pod.getMetadata()).get(KubeAiNames.CPU_PINNING);
            field = "metadata.labels.";
        }
        CpuPinningMode mode;
        try {
            mode = CpuPinningMode.parse(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidObjectException("pod " + key + " " + field + KubeAiNames.CPU_PINNING + ": " + e.getMessage());
        }
        if (mode == CpuPinningMode.NONE) {
            return new PodCpuPinning(mode, 0, null);
        }
        List<Container> containers = pod.getSpec() == null || pod.getSpec().getContainers() == null ? List.of()
                : pod.getSpec().getContainers();
        List<Container> inits = pod.getSpec() == null || pod.getSpec().getInitContainers() == null ? List.of()
                : pod.getSpec().getInitContainers();
        String where = "pod " + key + " asks for " + KubeAiNames.CPU_PINNING + "=" + mode.key() + ", but ";
        long sum = 0;
        long maxInit = 0;
        for (int pass = 0; pass < 2; pass++) {
            List<Container> list = pass == 0 ? containers : inits;
            for (Container c : list) {
                Map<String, Quantity> req = c.getResources() == null || c.getResources().getRequests() == null ? Map.of()
                        : c.getResources().getRequests();
                Map<String, Quantity> lim = c.getResources() == null || c.getResources().getLimits() == null ? Map.of()
                        : c.getResources().getLimits();
                for (String r : new String[] {"cpu", "memory"}) {
                    if (lim.get(r) == null) {
                        return new PodCpuPinning(mode, 0, where + "container " + c.getName() + " has no " + r
                                + " limit: kubelet pins CPUs only for Guaranteed pods (requests = limits)");
                    }
                    Quantity q = req.getOrDefault(r, lim.get(r));
                    if (Quantity.getAmountInBytes(q).compareTo(Quantity.getAmountInBytes(lim.get(r))) != 0) {
                        return new PodCpuPinning(mode, 0, where + "container " + c.getName() + " requests " + q + " "
                                + r + " with a limit of " + lim.get(r)
                                + ": kubelet pins CPUs only for Guaranteed pods (requests = limits)");
                    }
                }
                long millis = KubeConversions.millis(lim.get("cpu"), "pod " + key + " container " + c.getName() + " cpu");
                // Kubelet pins only containers with whole CPUs; the others run on the shared pool.
                if (millis % 1000 == 0) {
                    if (pass == 0) {
                        sum += millis / 1000;
                    } else {
                        maxInit = Math.max(maxInit, millis / 1000);
                    }
                }
            }
        }
        long cpus = Math.max(sum, maxInit);
        if (cpus == 0) {
            return new PodCpuPinning(mode, 0, where + "no container requests whole CPUs (cpu: 2, not 1500m)");
        }
        if (cpus > CpuSet.MAX_CPU_ID + 1) {
            return new PodCpuPinning(mode, 0, where + "it requests " + cpus + " CPUs");
        }
        return new PodCpuPinning(mode, (int) cpus, null);
    }

    /**
     * The CPUs written on a pod at bind ({@code kubeai.io/cpuset}); empty when absent.
     *
     * @throws InvalidObjectException if the annotation is not a CPU list
     */
    public static Optional<CpuSet> cpuset(Pod pod) {
        String v = annotations(pod.getMetadata()).get(KubeAiNames.CPUSET);
        if (v == null || v.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(CpuSet.parse(v));
        } catch (CpuFormatException e) {
            throw new InvalidObjectException("pod " + KubeConversions.key(pod) + " metadata.annotations."
                    + KubeAiNames.CPUSET + ": " + e.getMessage());
        }
    }

    private static Map<String, String> labels(io.fabric8.kubernetes.api.model.ObjectMeta m) {
        return m == null || m.getLabels() == null ? Map.of() : m.getLabels();
    }

    private static Map<String, String> annotations(io.fabric8.kubernetes.api.model.ObjectMeta m) {
        return m == null || m.getAnnotations() == null ? Map.of() : m.getAnnotations();
    }
}
