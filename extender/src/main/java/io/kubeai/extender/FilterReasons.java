package io.kubeai.extender;

import io.kubeai.core.cluster.FitFailure;
import io.kubeai.core.cluster.NodeState;
import io.kubeai.core.resource.PodRequest;
import io.kubeai.kube.KubeAiNames;

/**
 * The reasons the extender's filter gives for a node it drops, in kube-scheduler's style: short,
 * without the node's name or figures, and the same string for every node that fails the same
 * way, so kube-scheduler can count them in the pod's FailedScheduling event ({@code 0/5000
 * nodes are available: 3000 Insufficient nvidia.com/gpu, 2000 node(s) didn't match GPU
 * model.}). The node's own figures are in core's {@link NodeState#fit} sentence, which the
 * filter logs at FINE and {@code kubeai explain} prints.
 *
 * <p>Every reason is a constant or built from a resource name, so the strings are shared.
 */
public final class FilterReasons {
    public static final String NOT_IN_CACHE = "node(s) were not in the extender's cache";
    public static final String NOT_PLANNED = "node(s) were not the node the admission controller planned";
    public static final String GPU_MODEL = "node(s) didn't match GPU model";
    public static final String CPU = "Insufficient cpu";
    public static final String MEMORY = "Insufficient memory";
    public static final String GPU = "Insufficient " + KubeAiNames.GPU_RESOURCE;
    public static final String GPU_SHARE = "Insufficient GPU share (" + KubeAiNames.GPU_MILLI + ")";
    /** CPU pinning: the CPUs would be free on the idle node (evicting pinned pods may help). */
    public static final String PINNED_CPUS = "Insufficient pinnable cpu";
    /** CPU pinning: not even the idle node has the CPUs the way the pod needs them. */
    public static final String PINNED_CPUS_NEVER = "node(s) couldn't pin the pod's cpus even when idle";
    public static final String NO_CPU_TOPOLOGY = "node(s) didn't publish a CPU topology";
    public static final String BAD_CPU_TOPOLOGY = "node(s) had an unreadable CPU topology";

    private FilterReasons() {
    }

    /**
     * The reason for {@code failure} of {@code pod} on {@code node}: for an extended resource,
     * {@code Insufficient <name>} of the first one that is short. O(extended resources).
     */
    public static String of(FitFailure failure, NodeState node, PodRequest pod) {
        return switch (failure) {
            case GPU_MODEL -> GPU_MODEL;
            case CPU -> CPU;
            case MEMORY -> MEMORY;
            case GPU -> pod.sharesGpu() ? GPU_SHARE : GPU;
            case EXTENDED -> "Insufficient " + shortExtended(node, pod);
        };
    }

    private static String shortExtended(NodeState node, PodRequest pod) {
        for (int i = 0; i < pod.extended().size(); i++) {
            if (node.extendedFree(pod.extended().name(i)) < pod.extended().quantity(i)) {
                return pod.extended().name(i);
            }
        }
        return "extended resources";
    }
}
