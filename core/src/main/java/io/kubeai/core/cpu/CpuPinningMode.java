package io.kubeai.core.cpu;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a pod asks of its CPUs, by the names users write ({@code kubeai.io/cpu-pinning}).
 */
public enum CpuPinningMode {
    /** No pinning: the pod runs on the node's shared CPUs. */
    NONE("none", null),
    /** Whole CPUs of its own, on one NUMA node when they fit there. */
    EXCLUSIVE("exclusive", NumaAffinity.PREFERRED),
    /** Whole CPUs of its own, all on one NUMA node, or the node does not fit. */
    NUMA("numa", NumaAffinity.REQUIRED);

    private final String key;
    private final NumaAffinity numa;

    CpuPinningMode(String key, NumaAffinity numa) {
        this.key = key;
        this.numa = numa;
    }

    /** The name users write. */
    public String key() {
        return key;
    }

    /**
     * The mode named {@code value} (case-insensitive); {@link #NONE} when absent or blank.
     *
     * @throws IllegalArgumentException naming the allowed values when the name is unknown
     */
    public static CpuPinningMode parse(String value) {
        if (value == null || value.isBlank()) {
            return NONE;
        }
        String v = value.strip().toLowerCase(Locale.ROOT);
        for (CpuPinningMode m : values()) {
            if (m.key.equals(v)) {
                return m;
            }
        }
        throw new IllegalArgumentException("\"" + value + "\" is not one of "
                + Arrays.stream(values()).map(CpuPinningMode::key).collect(Collectors.joining(", ")));
    }

    /** The request for {@code cpus} exclusive CPUs this mode makes; not for {@link #NONE}. */
    public CpuRequest request(int cpus) {
        if (this == NONE) {
            throw new IllegalStateException("an unpinned pod asks for no particular CPUs");
        }
        return new CpuRequest(cpus, CpuExclusivity.EXCLUSIVE, numa);
    }
}
