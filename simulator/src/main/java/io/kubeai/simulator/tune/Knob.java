package io.kubeai.simulator.tune;

import java.util.List;
import java.util.Objects;

/**
 * One dimension of a tuning space: a field of the policy, at its dotted path, and the finite,
 * ordered list of values it may take ({@code Long}, {@code Double}, {@code Boolean} or
 * {@code String}). A numeric range is expanded into its levels when the space is read, so every
 * search works on level indices and two configurations are equal exactly when their indices are.
 *
 * @param path the field in the policy file, such as {@code preemption.maxVictims}
 * @param levels the values, each valid for that field, without repeats
 * @param numeric whether levels are numbers in increasing order (so neighbours are close)
 */
public record Knob(String path, List<Object> levels, boolean numeric) {
    public Knob {
        Objects.requireNonNull(path, "path");
        levels = List.copyOf(levels);
        if (levels.isEmpty()) {
            throw new IllegalArgumentException("knob " + path + " has no values");
        }
    }

    public int size() {
        return levels.size();
    }

    public Object level(int i) {
        return levels.get(i);
    }

    /** A value as written in reports and file names: {@code 600}, {@code FGD}, {@code true}, {@code 0.5}. */
    public static String label(Object value) {
        return String.valueOf(value);
    }
}
