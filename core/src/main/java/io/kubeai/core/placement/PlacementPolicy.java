package io.kubeai.core.placement;

import io.kubeai.core.cluster.NodeState;
import io.kubeai.core.resource.PodRequest;
import java.util.random.RandomGenerator;

/**
 * Chooses among the nodes a pod fits: scores each, and picks the GPU devices on the chosen
 * one. {@link NodeSelector} does the filtering, keeps the highest score and breaks ties at
 * random, as kube-scheduler's {@code selectHost} does.
 *
 * <p>Implementations are small, named {@code Placement…}, and not thread-safe unless they say
 * so: use one instance per simulation or scheduling thread.
 */
public interface PlacementPolicy {

    /** The name users write ({@code FGD}, {@code BestFit}, …). */
    String name();

    /**
     * Score of placing {@code pod} on {@code node}, higher is better. Called only for nodes the
     * pod fits. Integer scores keep ties where the published policies have them.
     */
    long score(NodeState node, PodRequest pod);

    /**
     * The GPU devices to use on a node the pod fits, as a bit mask of {@code pod.gpuCount()}
     * devices each with at least {@code pod.gpuMillisPerDevice()} free; 0 for CPU-only pods.
     */
    int selectDevices(NodeState node, PodRequest pod, RandomGenerator random);

    /**
     * Whether {@link #score} depends only on the node's state and the pod, so that a score may
     * be reused until the node changes. True for every policy here.
     */
    default boolean scoresDependOnlyOnNodeAndPod() {
        return true;
    }

    /**
     * The tie-break to use among nodes with the top score, given the configured one. A policy
     * whose whole point is the tie-break (Random) overrides it.
     */
    default TieBreak tieBreak(TieBreak configured) {
        return configured;
    }
}
