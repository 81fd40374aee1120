package io.kubeai.core.placement;

import io.kubeai.core.fragmentation.TypicalPods;
import java.util.List;
import java.util.Locale;

/** The placement policies by the names users write, and a factory for each. */
public final class PlacementPolicies {
    /** In the order of the FGD paper's figures. */
    public static final List<String> NAMES = List.of(
            PlacementRandom.NAME,
            PlacementDotProd.NAME,
            PlacementGpuClustering.NAME,
            PlacementGpuPacking.NAME,
            PlacementBestFit.NAME,
            PlacementFgd.NAME);

    private PlacementPolicies() {
    }

    /** The canonical spelling of a policy name, matched case-insensitively. */
    public static String canonicalName(String name) {
        for (String n : NAMES) {
            if (n.toLowerCase(Locale.ROOT).equals(name.strip().toLowerCase(Locale.ROOT))) {
                return n;
            }
        }
        throw new IllegalArgumentException(
                "unknown placement policy \"" + name + "\"; expected one of " + String.join(", ", NAMES));
    }

    /**
     * A new instance of the named policy. {@code typicalPods} is the workload distribution the
     * fragmentation-aware policy measures against; the others ignore it.
     */
    public static PlacementPolicy create(String name, TypicalPods typicalPods) {
        return switch (canonicalName(name)) {
            case PlacementRandom.NAME -> new PlacementRandom();
            case PlacementDotProd.NAME -> new PlacementDotProd();
            case PlacementGpuClustering.NAME -> new PlacementGpuClustering();
            case PlacementGpuPacking.NAME -> new PlacementGpuPacking();
            case PlacementBestFit.NAME -> new PlacementBestFit();
            case PlacementFgd.NAME -> new PlacementFgd(typicalPods);
            default -> throw new IllegalStateException("unreachable");
        };
    }
}
