package io.kubeai.simulator.tune;

import java.util.List;
import java.util.Locale;

/**
 * How configurations are chosen.
 *
 * @param method grid, random or refine
 * @param budget the most configurations evaluated besides the current one
 * @param seed drives every random choice of the search (not of the simulations)
 * @param batch refine only: configurations per round, fixed so that results do not depend on the
 *     number of threads
 */
public record SearchSettings(Method method, int budget, long seed, int batch) {

    public static final SearchSettings DEFAULT = new SearchSettings(Method.RANDOM, 32, 1, 8);

    /** The search methods, by the names users write. */
    public enum Method {
        /** Every combination of levels, in order; refused when there are more than the budget. */
        GRID,
        /** Distinct combinations drawn uniformly, seeded. */
        RANDOM,
        /**
         * Half the budget drawn at random, then rounds of {@code batch} neighbours (one knob moved one
         * or two levels, or another choice) of configurations on the frontier so far.
         */
        REFINE;

        public String yaml() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static final List<String> NAMES = List.of("grid", "random", "refine");

        public static Method of(String name) {
            return valueOf(name.strip().toUpperCase(Locale.ROOT));
        }

        /** Whether the configurations are known before any is evaluated, so they can be split into shards. */
        public boolean fixedUpFront() {
            return this != REFINE;
        }
    }

    public SearchSettings {
        if (budget < 1) {
            throw new IllegalArgumentException("budget must be at least 1, was " + budget);
        }
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be at least 1, was " + batch);
        }
    }

    public SearchSettings withMethod(Method m) {
        return new SearchSettings(m, budget, seed, batch);
    }

    public SearchSettings withBudget(int b) {
        return new SearchSettings(method, b, seed, batch);
    }

    public SearchSettings withSeed(long s) {
        return new SearchSettings(method, budget, s, batch);
    }
}
