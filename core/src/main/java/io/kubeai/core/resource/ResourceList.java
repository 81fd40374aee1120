package io.kubeai.core.resource;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongBinaryOperator;

/**
 * Named resource quantities for quotas: {@code cpu} in milli-cores, {@code memory} in bytes,
 * {@code nvidia.com/gpu} in milli-GPU, and extended resources in their own units. Immutable and
 * sorted by name; a name that is absent has quantity zero. Arithmetic is O(names) and allocates
 * the result, which is fine at quota granularity (per workload, not per node).
 */
public final class ResourceList {
    public static final String CPU = "cpu";
    public static final String MEMORY = "memory";
    public static final String GPU = "nvidia.com/gpu";
    public static final ResourceList EMPTY = new ResourceList(new String[0], new long[0]);

    private final String[] names;
    private final long[] values;

    private ResourceList(String[] names, long[] values) {
        this.names = names;
        this.values = values;
    }

    /** From a map; zero quantities are dropped, negative ones rejected. */
    public static ResourceList of(Map<String, Long> quantities) {
        TreeMap<String, Long> sorted = new TreeMap<>();
        quantities.forEach((k, v) -> {
            if (k == null || k.isBlank()) {
                throw new IllegalArgumentException("resource name must not be blank");
            }
            if (v < 0) {
                throw new IllegalArgumentException("resource " + k + " must not be negative: " + v);
            }
            if (v > 0) {
                sorted.put(k, v);
            }
        });
        return fromSorted(sorted);
    }

    /** {@code of("cpu", 4000, "nvidia.com/gpu", 2000)}. */
    public static ResourceList of(Object... nameValuePairs) {
        if (nameValuePairs.length % 2 != 0) {
            throw new IllegalArgumentException("expected name, value pairs");
        }
        TreeMap<String, Long> m = new TreeMap<>();
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            m.merge((String) nameValuePairs[i], ((Number) nameValuePairs[i + 1]).longValue(), Long::sum);
        }
        return of(m);
    }

    /** What one pod holds, as a quota sees it. */
    public static ResourceList of(PodRequest pod) {
        TreeMap<String, Long> m = new TreeMap<>();
        m.put(CPU, pod.cpuMillis());
        m.put(MEMORY, pod.memoryBytes());
        m.put(GPU, pod.totalGpuMillis());
        for (int i = 0; i < pod.extended().size(); i++) {
            m.merge(pod.extended().name(i), pod.extended().quantity(i), Long::sum);
        }
        return of(m);
    }

    private static ResourceList fromSorted(TreeMap<String, Long> sorted) {
        if (sorted.isEmpty()) {
            return EMPTY;
        }
        String[] n = sorted.keySet().toArray(new String[0]);
        long[] v = new long[n.length];
        for (int i = 0; i < n.length; i++) {
            v[i] = sorted.get(n[i]);
        }
        return new ResourceList(n, v);
    }

    public long get(String name) {
        int i = Arrays.binarySearch(names, name);
        return i < 0 ? 0 : values[i];
    }

    public boolean has(String name) {
        return Arrays.binarySearch(names, name) >= 0;
    }

    /** Names with a non-zero quantity, sorted. */
    public String[] names() {
        return names.clone();
    }

    public int size() {
        return names.length;
    }

    public String name(int i) {
        return names[i];
    }

    public long value(int i) {
        return values[i];
    }

    public boolean isEmpty() {
        return names.length == 0;
    }

    public ResourceList plus(ResourceList other) {
        return merge(other, Math::addExact);
    }

    /** Per-resource difference, clamped at zero. */
    public ResourceList minusClamped(ResourceList other) {
        return merge(other, (a, b) -> Math.max(0, a - b));
    }

    public ResourceList times(long factor) {
        if (factor < 0) {
            throw new IllegalArgumentException("factor must not be negative: " + factor);
        }
        long[] v = new long[values.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.multiplyExact(values[i], factor);
        }
        return factor == 0 ? EMPTY : new ResourceList(names, v);
    }

    public ResourceList max(ResourceList other) {
        return merge(other, Math::max);
    }

    public ResourceList min(ResourceList other) {
        return merge(other, Math::min);
    }

    /** Whether every quantity is at most the other's. */
    public boolean fitsWithin(ResourceList other) {
        for (int i = 0; i < names.length; i++) {
            if (values[i] > other.get(names[i])) {
                return false;
            }
        }
        return true;
    }

    private ResourceList merge(ResourceList other, LongBinaryOperator op) {
        TreeMap<String, Long> m = new TreeMap<>();
        for (int i = 0; i < names.length; i++) {
            m.put(names[i], values[i]);
        }
        for (int i = 0; i < other.names.length; i++) {
            m.putIfAbsent(other.names[i], 0L);
        }
        TreeMap<String, Long> out = new TreeMap<>();
        for (Map.Entry<String, Long> e : m.entrySet()) {
            long r = op.applyAsLong(e.getValue(), other.get(e.getKey()));
            if (r > 0) {
                out.put(e.getKey(), r);
            } else if (r < 0) {
                throw new IllegalArgumentException("resource " + e.getKey() + " would be negative: " + r);
            }
        }
        return fromSorted(out);
    }

    /** A quantity as people write it: {@code 4} GPUs, {@code 8} cores, {@code 16Gi}. */
    public static String format(String name, long value) {
        return switch (name) {
            case CPU -> value % 1000 == 0 ? String.valueOf(value / 1000) : value + "m";
            case GPU -> value % 1000 == 0 ? String.valueOf(value / 1000)
                    : String.format(Locale.ROOT, "%.3f", value / 1000.0).replaceAll("0+$", "");
            case MEMORY -> formatBytes(value);
            default -> String.valueOf(value);
        };
    }

    private static String formatBytes(long b) {
        long gi = 1024L * 1024 * 1024;
        long mi = 1024L * 1024;
        if (b % gi == 0) {
            return (b / gi) + "Gi";
        }
        if (b % mi == 0) {
            return (b / mi) + "Mi";
        }
        return String.valueOf(b);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResourceList other && Arrays.equals(names, other.names) && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(names) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < names.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(names[i]).append(": ").append(format(names[i], values[i]));
        }
        return sb.append('}').toString();
    }
}
