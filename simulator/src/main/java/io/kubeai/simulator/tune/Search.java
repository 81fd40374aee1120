package io.kubeai.simulator.tune;

import io.kubeai.core.config.ConfigValidationException;
import io.kubeai.core.config.SchedulingPolicy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Chooses the configurations to evaluate, deterministically from the space and its search seed
 * (and, for refine, from results already in, which are themselves deterministic). Combinations
 * the policy validator refuses, and those equal to the current policy, are skipped.
 */
final class Search {
    /** Tries to draw a new configuration before concluding that the space is used up. */
    private static final int MAX_DRAWS = 10_000;

    private final TuneSpace space;
    private final Map<String, Object> basePolicy;
    private final SchedulingPolicy currentPolicy;
    private final SplittableRandom random;
    private final Set<List<Integer>> tried = new HashSet<>();
    private int next = 1;
    private int refused;

    Search(TuneSpace space, Map<String, Object> basePolicy) {
        this.space = space;
        this.basePolicy = basePolicy;
        this.currentPolicy = SchedulingPolicy.fromTree(basePolicy);
        this.random = new SplittableRandom(space.search().seed());
    }

    /** Configurations the policy refused (combinations of valid values that are invalid together). */
    int refused() {
        return refused;
    }

    int remainingBudget() {
        return space.search().budget() - (next - 1);
    }

    /** Every configuration of a grid or random search; for refine, its first, random round. */
    List<Candidate> initial() {
        SearchSettings s = space.search();
        long size = space.size();
        return switch (s.method()) {
            case GRID -> {
                if (size > s.budget()) {
                    throw new IllegalArgumentException("the grid has " + size + " configurations, more than the budget of "
                            + s.budget() + "; raise the budget or search with random or refine");
                }
                yield grid();
            }
            case RANDOM -> size <= s.budget() ? grid() : random(s.budget());
            case REFINE -> size <= s.budget() ? grid() : random(Math.max(Math.min(s.batch(), s.budget()), s.budget() / 2));
        };
    }

    /** Every combination, the last knob changing fastest. */
    private List<Candidate> grid() {
        List<Candidate> out = new ArrayList<>();
        int n = space.knobs().size();
        int[] at = new int[n];
        while (true) {
            accept(toList(at), out);
            int k = n - 1;
            while (k >= 0 && ++at[k] == space.knobs().get(k).size()) {
                at[k] = 0;
                k--;
            }
            if (k < 0) {
                return out;
            }
        }
    }

    private List<Candidate> random(int count) {
        List<Candidate> out = new ArrayList<>();
        for (int draws = 0; out.size() < count && draws < MAX_DRAWS * Math.max(1, count); draws++) {
            accept(randomLevels(), out);
        }
        return out;
    }

    /**
     * The next round of refine: {@code batch} neighbours of configurations on {@code frontier}
     * (one knob moved by one or two levels, or to another choice), drawn afresh when a neighbour
     * was tried; empty when the budget or the space is used up.
     */
    List<Candidate> refine(List<Evaluation> frontier) {
        List<Candidate> out = new ArrayList<>();
        List<Candidate> parents = frontier.stream().map(Evaluation::candidate).filter(c -> !c.isCurrent()).toList();
        int round = Math.min(space.search().batch(), remainingBudget());
        int draws = 0;
        while (out.size() < round && draws++ < MAX_DRAWS) {
            List<Integer> child = parents.isEmpty() || draws > MAX_DRAWS / 2
                    ? randomLevels() : neighbour(parents.get(random.nextInt(parents.size())).levels());
            accept(child, out);
        }
        return out;
    }

    private List<Integer> neighbour(List<Integer> parent) {
        List<Integer> movable = new ArrayList<>();
        for (int k = 0; k < space.knobs().size(); k++) {
            if (space.knobs().get(k).size() > 1) {
                movable.add(k);
            }
        }
        List<Integer> child = new ArrayList<>(parent);
        if (movable.isEmpty()) {
            return child;
        }
        int k = movable.get(random.nextInt(movable.size()));
        Knob knob = space.knobs().get(k);
        int level = parent.get(k);
        if (knob.numeric()) {
            int step = 1 + random.nextInt(2);
            int to = level + (random.nextBoolean() ? step : -step);
            child.set(k, Math.max(0, Math.min(knob.size() - 1, to)));
        } else {
            int other = random.nextInt(knob.size() - 1);
            child.set(k, other >= level ? other + 1 : other);
        }
        return child;
    }

    private List<Integer> randomLevels() {
        List<Integer> l = new ArrayList<>();
        for (Knob k : space.knobs()) {
            l.add(random.nextInt(k.size()));
        }
        return l;
    }

    private static List<Integer> toList(int[] a) {
        List<Integer> l = new ArrayList<>(a.length);
        for (int v : a) {
            l.add(v);
        }
        return l;
    }

    /** Adds the configuration if it is new, valid, not the current policy, and within the budget. */
    private void accept(List<Integer> levels, List<Candidate> out) {
        if (remainingBudget() <= 0 || !tried.add(levels)) {
            return;
        }
        Candidate c = new Candidate(next, levels);
        SchedulingPolicy p;
        try {
            p = c.policy(space, basePolicy);
        } catch (ConfigValidationException e) {
            refused++;
            return;
        }
        if (p.equals(currentPolicy)) {
            return;
        }
        next++;
        out.add(c);
    }
}
