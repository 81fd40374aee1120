package io.kubeai.core.cpu;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A uniform machine in words, as an operator writes it on a node:
 * {@code sockets=2,numa=2,cores=4,threads=2} is 2 sockets, 2 NUMA nodes per socket, 4 physical
 * cores per NUMA node, 2 hardware threads per core (32 logical CPUs). An optional
 * {@code siblings=spread|adjacent} says how the kernel numbers the threads
 * ({@link SiblingNumbering}, {@code spread} when absent).
 */
public record CpuTopologySpec(int sockets, int numaPerSocket, int coresPerNuma, int threadsPerCore,
        SiblingNumbering numbering) {

    public CpuTopologySpec {
        if (sockets < 1 || numaPerSocket < 1 || coresPerNuma < 1 || threadsPerCore < 1) {
            throw new IllegalArgumentException("every count must be at least 1");
        }
        java.util.Objects.requireNonNull(numbering, "numbering");
    }

    /**
     * Reads {@code sockets=…,numa=…,cores=…,threads=…[,siblings=spread|adjacent]}, keys in any
     * order, each exactly once; all four counts are required.
     *
     * @throws CpuFormatException naming the position of an unknown or repeated key, a value that
     *     is not a positive count, or the first missing key
     */
    public static CpuTopologySpec parse(String text) {
        if (text == null || text.isBlank()) {
            throw new CpuFormatException(String.valueOf(text), 0,
                    "expected sockets=<n>,numa=<n per socket>,cores=<n per NUMA node>,threads=<n per core>");
        }
        Map<String, String> values = new LinkedHashMap<>();
        int pos = 0;
        for (String part : text.split(",", -1)) {
            int eq = part.indexOf('=');
            String key = (eq < 0 ? part : part.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
            String value = eq < 0 ? "" : part.substring(eq + 1).strip();
            if (!key.equals("sockets") && !key.equals("numa") && !key.equals("cores") && !key.equals("threads")
                    && !key.equals("siblings")) {
                throw new CpuFormatException(text, pos, "unknown key \"" + key
                        + "\"; expected sockets, numa, cores, threads and optionally siblings");
            }
            if (values.putIfAbsent(key, value) != null) {
                throw new CpuFormatException(text, pos, "\"" + key + "\" given twice");
            }
            if (key.equals("siblings")) {
                if (!value.equals("spread") && !value.equals("adjacent")) {
                    throw new CpuFormatException(text, pos, "siblings=\"" + value + "\"; expected spread or adjacent");
                }
            } else if (!value.matches("[1-9][0-9]{0,3}")) {
                throw new CpuFormatException(text, pos, key + "=\"" + value + "\" is not a count from 1 to 9999");
            }
            pos += part.length() + 1;
        }
        for (String key : new String[] {"sockets", "numa", "cores", "threads"}) {
            if (!values.containsKey(key)) {
                throw new CpuFormatException(text, text.length(), "missing " + key + "=<n>");
            }
        }
        SiblingNumbering numbering = "adjacent".equals(values.get("siblings")) ? SiblingNumbering.ADJACENT
                : SiblingNumbering.SPREAD;
        int sockets = Integer.parseInt(values.get("sockets"));
        int numa = Integer.parseInt(values.get("numa"));
        int cores = Integer.parseInt(values.get("cores"));
        int threads = Integer.parseInt(values.get("threads"));
        if ((long) sockets * numa * cores * threads > CpuSet.MAX_CPU_ID + 1) {
            throw new CpuFormatException(text, 0, "more than " + (CpuSet.MAX_CPU_ID + 1) + " logical CPUs");
        }
        return new CpuTopologySpec(sockets, numa, cores, threads, numbering);
    }

    public int numaCount() {
        return sockets * numaPerSocket;
    }

    public int cpusPerNuma() {
        return coresPerNuma * threadsPerCore;
    }

    public int cpuCount() {
        return numaCount() * cpusPerNuma();
    }

    public CpuTopology topology() {
        return CpuTopology.uniform(sockets, numaPerSocket, coresPerNuma, threadsPerCore, numbering);
    }

    /** The form {@link #parse} reads; {@code siblings} only when not {@code spread}. */
    @Override
    public String toString() {
        return "sockets=" + sockets + ",numa=" + numaPerSocket + ",cores=" + coresPerNuma + ",threads=" + threadsPerCore
                + (numbering == SiblingNumbering.SPREAD ? "" : ",siblings=" + numbering.key());
    }
}
