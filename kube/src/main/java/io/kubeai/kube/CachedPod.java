package io.kubeai.kube;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.kubeai.core.resource.PodRequest;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What {@link ClusterCache} keeps of a pod: the fields that bind, preempt, CPU pinning, elastic
 * capacity and the admission controller read, with its request, gang and CPU pinning converted
 * once when the pod is seen. Every label is kept (selectors in configuration may name any of
 * them); of the annotations only ours ({@code kubeai.io/...}) and Volcano's group name.
 * Containers, volumes, probes, environment, conditions and container statuses are not kept:
 * this is under 1 KiB where the fabric8 {@link Pod} it comes from takes about 19 KiB.
 *
 * <p>Immutable. Built with {@link #of(Pod)}, which fails with {@link InvalidObjectException}
 * when the pod's request cannot be read (such a pod is not cached).
 *
 * @param nodeName {@code spec.nodeName}, or null while unbound
 * @param phase {@code status.phase}, or null
 * @param podIp {@code status.podIP}, or null
 * @param creationTimestamp {@code metadata.creationTimestamp} as written (RFC 3339), or null
 * @param startTime {@code status.startTime} as written, or null
 * @param deleting whether {@code metadata.deletionTimestamp} is set
 * @param gated whether the pod carries the scheduling gate {@code kubeai.io/admission}
 * @param priority {@code spec.priority}, 0 when absent
 * @param pinning the pod's CPU pinning; null when its {@code kubeai.io/cpu-pinning} cannot be read
 * @param pinningProblem why the pinning cannot be read, or null
 * @param gang the gang it belongs to, or null
 * @param activeDeadlineSeconds {@code spec.activeDeadlineSeconds}, or null
 */
public record CachedPod(String namespace, String name, String uid, String nodeName, String phase, String podIp,
        String creationTimestamp, String startTime, boolean deleting, boolean gated, int priority,
        Map<String, String> labels, Map<String, String> annotations, PodRequest request, PodCpuPinning pinning,
        String pinningProblem, GangRef gang, Long activeDeadlineSeconds) {

    private static final String OUR_PREFIX = "kubeai.io/";

    public CachedPod {
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
    }

    /**
     * The cached form of {@code pod}. Namespace, node name and label strings are interned: many
     * pods share them.
     *
     * @throws InvalidObjectException if the pod's request cannot be read
     */
    public static CachedPod of(Pod pod) {
        PodRequest request = KubeConversions.request(pod);
        ObjectMeta m = pod.getMetadata() == null ? new ObjectMeta() : pod.getMetadata();
        PodCpuPinning pinning = null;
        String pinningProblem = null;
        try {
            pinning = CpuConversions.pinning(pod);
        } catch (InvalidObjectException e) {
            pinningProblem = e.getMessage();
        }
        Map<String, String> labels = new HashMap<>();
        if (m.getLabels() != null) {
            m.getLabels().forEach((k, v) -> labels.put(k.intern(), v == null ? "" : v.intern()));
        }
        Map<String, String> annotations = new HashMap<>();
        if (m.getAnnotations() != null) {
            m.getAnnotations().forEach((k, v) -> {
                if (v != null && (k.startsWith(OUR_PREFIX) || k.equals(KubeAiNames.VOLCANO_GROUP_NAME))) {
                    annotations.put(k.intern(), v);
                }
            });
        }
        String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        Integer priority = pod.getSpec() == null ? null : pod.getSpec().getPriority();
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return new CachedPod(intern(m.getNamespace() == null ? "default" : m.getNamespace()), m.getName(), m.getUid(),
                node == null || node.isEmpty() ? null : node.intern(), intern(phase),
                pod.getStatus() == null ? null : pod.getStatus().getPodIP(), m.getCreationTimestamp(),
                pod.getStatus() == null ? null : pod.getStatus().getStartTime(), m.getDeletionTimestamp() != null,
                hasAdmissionGate(pod), priority == null ? 0 : priority, labels, annotations, request, pinning,
                pinningProblem, KubeConversions.gang(pod).orElse(null),
                pod.getSpec() == null ? null : pod.getSpec().getActiveDeadlineSeconds());
    }

    /** Whether {@code pod} carries the scheduling gate {@code kubeai.io/admission}. */
    public static boolean hasAdmissionGate(Pod pod) {
        return pod.getSpec() != null && pod.getSpec().getSchedulingGates() != null && pod.getSpec().getSchedulingGates()
                .stream().anyMatch(g -> KubeAiNames.SCHEDULING_GATE.equals(g.getName()));
    }

    /** {@code namespace/name}, as {@link KubeConversions#key(Pod)}. */
    public String key() {
        return namespace + "/" + name;
    }

    public boolean bound() {
        return nodeName != null;
    }

    /** Whether the pod has finished and holds nothing. */
    public boolean terminal() {
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    /** The node a bound, unfinished pod holds, or null. */
    public String holdsNode() {
        return nodeName == null || terminal() ? null : nodeName;
    }

    /** One of the kept annotations ({@code kubeai.io/...}, Volcano's group name), or null. */
    public String annotation(String key) {
        return annotations.get(key);
    }

    public String label(String key) {
        return labels.get(key);
    }

    public Optional<GangRef> gangRef() {
        return Optional.ofNullable(gang);
    }

    /** The GPU devices written at bind, as a bit mask; 0 when absent or unreadable. */
    public int gpuDevices() {
        return KubeConversions.gpuDevices(annotation(KubeAiNames.GPU_DEVICES));
    }

    private static String intern(String s) {
        return s == null ? null : s.intern();
    }
}
