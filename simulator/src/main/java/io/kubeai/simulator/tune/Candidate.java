package io.kubeai.simulator.tune;

import io.kubeai.core.config.SchedulingPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One configuration tried: its number in the run and, per knob of the space, the index of the
 * level it takes. Number 0 is always the current configuration, the policy being tuned as it
 * is, whose level list is empty: it need not lie in the space.
 */
public record Candidate(int index, List<Integer> levels) {
    public Candidate {
        levels = List.copyOf(levels);
        if (index < 0) {
            throw new IllegalArgumentException("index must not be negative");
        }
    }

    public static Candidate current() {
        return new Candidate(0, List.of());
    }

    public boolean isCurrent() {
        return levels.isEmpty();
    }

    /** The knob values, in the order of the space's knobs; empty for the current configuration. */
    public List<Object> values(TuneSpace space) {
        List<Object> out = new ArrayList<>(levels.size());
        for (int k = 0; k < levels.size(); k++) {
            out.add(space.knobs().get(k).level(levels.get(k)));
        }
        return out;
    }

    /** The policy document: the current one with this configuration's values at the knobs' paths. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> tree(TuneSpace space, Map<String, Object> basePolicy) {
        Map<String, Object> t = (Map<String, Object>) PolicyTrees.normalize(basePolicy);
        for (int k = 0; k < levels.size(); k++) {
            Knob knob = space.knobs().get(k);
            t = PolicyTrees.with(t, knob.path(), knob.level(levels.get(k)));
        }
        return t;
    }

    /** The validated policy (throws with every error if the combination is refused). */
    public SchedulingPolicy policy(TuneSpace space, Map<String, Object> basePolicy) {
        return SchedulingPolicy.fromTree(tree(space, basePolicy));
    }

    /** {@code current}, or {@code placement.policy=FGD preemption.maxVictims=4}. */
    public String label(TuneSpace space) {
        if (isCurrent()) {
            return "current";
        }
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < levels.size(); k++) {
            Knob knob = space.knobs().get(k);
            sb.append(k == 0 ? "" : " ").append(knob.path()).append('=').append(Knob.label(knob.level(levels.get(k))));
        }
        return sb.toString();
    }
}
