package io.kubeai.core.cpu;

/**
 * How a uniform machine numbers the hardware threads of its cores, as the kernel enumerates them.
 */
public enum SiblingNumbering {
    /**
     * Thread {@code t} of core {@code c} is CPU {@code t × cores + c}: the first threads of all
     * cores come first, their siblings after. Linux on most x86 servers: with 16 cores and SMT,
     * CPUs 0 and 16 are siblings and NUMA node 0 is {@code 0-3,16-19}.
     */
    SPREAD,
    /**
     * The threads of a core are consecutive: CPUs 0 and 1 are core 0. Linux on POWER and some
     * ARM servers, and Koordinator's test topologies.
     */
    ADJACENT;

    /** The name written in {@code kubeai.io/cpu-topology}: {@code spread} or {@code adjacent}. */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
