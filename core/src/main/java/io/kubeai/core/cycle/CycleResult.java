package io.kubeai.core.cycle;

import java.util.List;

/** The decisions of one cycle, in the order they were made. */
public record CycleResult(List<Decision> decisions) {
    public CycleResult {
        decisions = List.copyOf(decisions);
    }

    public List<Decision.Admit> admitted() {
        return decisions.stream().filter(Decision.Admit.class::isInstance).map(Decision.Admit.class::cast).toList();
    }

    public List<Decision.Preempt> preemptions() {
        return decisions.stream().filter(Decision.Preempt.class::isInstance).map(Decision.Preempt.class::cast).toList();
    }

    public List<Decision.Wait> waits() {
        return decisions.stream().filter(Decision.Wait.class::isInstance).map(Decision.Wait.class::cast).toList();
    }

    public List<Decision.Expire> expired() {
        return decisions.stream().filter(Decision.Expire.class::isInstance).map(Decision.Expire.class::cast).toList();
    }
}
