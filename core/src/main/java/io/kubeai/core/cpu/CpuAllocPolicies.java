package io.kubeai.core.cpu;

import java.util.List;
import java.util.Locale;

/** The CPU allocation policies by the names users write. */
public final class CpuAllocPolicies {
    /** The default: what kubelet gives with the static policy and {@code full-pcpus-only=true}. */
    public static final CpuAllocPolicy DEFAULT = new CpuAllocFullPhysicalCores();

    public static final List<String> NAMES = List.of(
            CpuAllocFullPhysicalCores.NAME,
            CpuAllocCoresThenThreads.NAME,
            CpuAllocSpreadByCores.NAME);

    private CpuAllocPolicies() {
    }

    /**
     * The named policy, matched case-insensitively.
     *
     * @throws IllegalArgumentException naming the known policies when the name is unknown
     */
    public static CpuAllocPolicy create(String name) {
        String n = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        for (CpuAllocPolicy p : List.of(new CpuAllocFullPhysicalCores(), new CpuAllocCoresThenThreads(),
                new CpuAllocSpreadByCores())) {
            if (p.name().toLowerCase(Locale.ROOT).equals(n)) {
                return p;
            }
        }
        throw new IllegalArgumentException(
                "unknown CPU allocation policy \"" + name + "\"; expected one of " + String.join(", ", NAMES));
    }
}
