package io.kubeai.core.resource;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Upper bounds per resource, where a resource that is not named is unbounded (unlike
 * {@link ResourceList}, a limit of zero is kept: "no GPUs at all"). Immutable.
 */
public final class ResourceLimits {
    public static final ResourceLimits UNLIMITED = new ResourceLimits(new String[0], new long[0]);

    private final String[] names;
    private final long[] values;

    private ResourceLimits(String[] names, long[] values) {
        this.names = names;
        this.values = values;
    }

    public static ResourceLimits of(Map<String, Long> limits) {
        TreeMap<String, Long> sorted = new TreeMap<>(limits);
        String[] n = sorted.keySet().toArray(new String[0]);
        long[] v = new long[n.length];
        for (int i = 0; i < n.length; i++) {
            if (n[i] == null || n[i].isBlank()) {
                throw new IllegalArgumentException("resource name must not be blank");
            }
            v[i] = sorted.get(n[i]);
            if (v[i] < 0) {
                throw new IllegalArgumentException("limit for " + n[i] + " must not be negative: " + v[i]);
            }
        }
        return n.length == 0 ? UNLIMITED : new ResourceLimits(n, v);
    }

    /** {@code of("nvidia.com/gpu", 64000)}. */
    public static ResourceLimits of(Object... nameValuePairs) {
        TreeMap<String, Long> m = new TreeMap<>();
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            m.put((String) nameValuePairs[i], ((Number) nameValuePairs[i + 1]).longValue());
        }
        return of(m);
    }

    /** The limit of a resource, {@link Long#MAX_VALUE} when unbounded. */
    public long limit(String name) {
        int i = Arrays.binarySearch(names, name);
        return i < 0 ? Long.MAX_VALUE : values[i];
    }

    public boolean bounds(String name) {
        return Arrays.binarySearch(names, name) >= 0;
    }

    public boolean isUnlimited() {
        return names.length == 0;
    }

    public String[] names() {
        return names.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResourceLimits other && Arrays.equals(names, other.names) && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(names) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        if (names.length == 0) {
            return "unlimited";
        }
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < names.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(names[i]).append(": ").append(ResourceList.format(names[i], values[i]));
        }
        return sb.append('}').toString();
    }
}
