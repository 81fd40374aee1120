package io.kubeai.core.placement;

import io.kubeai.core.cluster.NodeState;
import io.kubeai.core.resource.PodRequest;
import java.util.random.RandomGenerator;

/**
 * Random: every node the pod fits is equally likely, and so is every device a shared pod fits.
 * The baseline of the FGD paper.
 */
public final class PlacementRandom implements PlacementPolicy {
    public static final String NAME = "Random";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public long score(NodeState node, PodRequest pod) {
        // All nodes tie; the selector's random tie-break makes the choice uniform.
        return 0;
    }

    /** Always uniform, whatever the selector is configured with. */
    @Override
    public TieBreak tieBreak(TieBreak configured) {
        return TieBreak.RANDOM;
    }

    @Override
    public int selectDevices(NodeState node, PodRequest pod, RandomGenerator random) {
        return GpuDevices.random(node, pod, random);
    }
}
