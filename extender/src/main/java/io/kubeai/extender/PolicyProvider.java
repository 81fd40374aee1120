package io.kubeai.extender;

import io.kubeai.core.fragmentation.TypicalPods;
import io.kubeai.core.placement.PlacementFgd;
import io.kubeai.core.placement.PlacementPolicies;
import io.kubeai.core.placement.PlacementPolicy;
import io.kubeai.core.resource.PodRequest;
import io.kubeai.kube.ClusterCache;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A fresh placement policy per call (policies are not thread-safe). FGD measures fragmentation
 * against the workload's typical pods: here, the shapes of the pods the cluster runs now,
 * recomputed at most every {@code refresh}; until any pod runs, a single CPU-only shape.
 */
public final class PolicyProvider implements Supplier<PlacementPolicy> {
    private final String name;
    private final ClusterCache cache;
    private final InstantSource clock;
    private final Duration refresh;
    private volatile TypicalPods typical;
    private volatile Instant computed = Instant.MIN;

    public PolicyProvider(String name, ClusterCache cache, InstantSource clock, Duration refresh) {
        this.name = PlacementPolicies.canonicalName(name);
        this.cache = cache;
        this.clock = clock;
        this.refresh = refresh;
    }

    @Override
    public PlacementPolicy get() {
        if (!name.equals(PlacementFgd.NAME)) {
            return PlacementPolicies.create(name, null);
        }
        Instant now = clock.instant();
        if (typical == null || now.isAfter(computed.plus(refresh))) {
            List<PodRequest> shapes = cache.read(s -> {
                List<PodRequest> out = new ArrayList<>(s.podCount());
                s.placements().forEach(p -> out.add(p.request()));
                return out;
            });
            typical = shapes.isEmpty() ? TypicalPods.fromWorkload(List.of(PodRequest.cpuOnly(1000, 0)))
                    : TypicalPods.fromWorkload(shapes);
            computed = now;
        }
        return new PlacementFgd(typical);
    }

    public String name() {
        return name;
    }
}
