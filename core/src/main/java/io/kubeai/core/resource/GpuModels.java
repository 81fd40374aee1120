package io.kubeai.core.resource;

import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * The GPU models a pod accepts ({@code V100M16|V100M32}), or {@link #ANY}. Immutable; a node
 * without GPUs (empty model) is accepted only by {@link #ANY}.
 */
public final class GpuModels {
    public static final GpuModels ANY = new GpuModels(new String[0]);

    private final String[] models;

    private GpuModels(String[] models) {
        this.models = models;
    }

    /**
     * Parses a {@code |}-separated list. Empty entries and repeats are ignored (the openb traces
     * contain {@code V100M16|V100M32|V100M32}); an empty or blank spec means {@link #ANY}.
     */
    public static GpuModels parse(String spec) {
        if (spec == null || spec.isBlank()) {
            return ANY;
        }
        TreeSet<String> set = new TreeSet<>();
        for (String part : spec.split("\\|")) {
            String m = part.strip();
            if (!m.isEmpty()) {
                set.add(m);
            }
        }
        return set.isEmpty() ? ANY : new GpuModels(set.toArray(new String[0]));
    }

    public static GpuModels of(String... models) {
        return parse(String.join("|", models));
    }

    public boolean isAny() {
        return models.length == 0;
    }

    public List<String> models() {
        return List.of(models);
    }

    /** Whether a node whose GPUs are {@code nodeModel} (empty when it has none) is acceptable. */
    public boolean allows(String nodeModel) {
        if (models.length == 0) {
            return true;
        }
        if (nodeModel == null || nodeModel.isEmpty()) {
            return false;
        }
        for (String m : models) {
            if (m.equals(nodeModel)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GpuModels other && Arrays.equals(models, other.models);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(models);
    }

    @Override
    public String toString() {
        return models.length == 0 ? "any" : String.join("|", models);
    }
}
