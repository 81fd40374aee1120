package io.kubeai.core.resource;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Quantities of named extended resources ({@code example.com/fpga: 2}), immutable and sorted by
 * name so that look-ups are a binary search and never allocate.
 */
public final class ExtendedResources {
    public static final ExtendedResources NONE = new ExtendedResources(new String[0], new long[0]);

    private final String[] names;
    private final long[] quantities;

    private ExtendedResources(String[] names, long[] quantities) {
        this.names = names;
        this.quantities = quantities;
    }

    /** Builds from a map; zero quantities are dropped, negative ones and blank names rejected. */
    public static ExtendedResources of(Map<String, Long> quantities) {
        TreeMap<String, Long> sorted = new TreeMap<>();
        for (Map.Entry<String, Long> e : quantities.entrySet()) {
            if (e.getKey() == null || e.getKey().isBlank()) {
                throw new IllegalArgumentException("extended resource name must not be blank");
            }
            long q = e.getValue();
            if (q < 0) {
                throw new IllegalArgumentException(
                        "extended resource " + e.getKey() + " must not be negative: " + q);
            }
            if (q > 0) {
                sorted.put(e.getKey(), q);
            }
        }
        if (sorted.isEmpty()) {
            return NONE;
        }
        String[] n = sorted.keySet().toArray(new String[0]);
        long[] v = new long[n.length];
        for (int i = 0; i < n.length; i++) {
            v[i] = sorted.get(n[i]);
        }
        return new ExtendedResources(n, v);
    }

    public static ExtendedResources of(String name, long quantity) {
        return of(Map.of(name, quantity));
    }

    public boolean isEmpty() {
        return names.length == 0;
    }

    public int size() {
        return names.length;
    }

    public String name(int index) {
        return names[index];
    }

    public long quantity(int index) {
        return quantities[index];
    }

    /** Index of {@code name}, or a negative number when absent. O(log n). */
    public int indexOf(String name) {
        return Arrays.binarySearch(names, name);
    }

    /** Quantity of {@code name}, zero when absent. */
    public long get(String name) {
        int i = indexOf(name);
        return i < 0 ? 0 : quantities[i];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExtendedResources other
                && Arrays.equals(names, other.names)
                && Arrays.equals(quantities, other.quantities);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(names) + Arrays.hashCode(quantities);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < names.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(names[i]).append('=').append(quantities[i]);
        }
        return sb.append('}').toString();
    }
}
