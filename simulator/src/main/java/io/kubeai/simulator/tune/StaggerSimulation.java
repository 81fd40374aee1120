package io.kubeai.simulator.tune;

import io.kubeai.core.config.SchedulingPolicy;
import io.kubeai.simulator.jobs.online.OvercommitExperiment;
import io.kubeai.simulator.jobs.stagger.StaggerExperiment;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place a {@link SchedulingPolicy} becomes the settings of the staggering scenario's
 * "ours" run ({@link StaggerExperiment#runOurs}): the {@code stagger:} section (production window,
 * margin, closing-eviction budget), the webhook's small/large thresholds that steer small tasks to
 * elastic capacity, the {@code elastic:} thresholds the elastic cycle reads (elastic capacity is
 * always on in this scenario), and placement and cycle as in {@link PolicySimulation}.
 * {@link #READ_PATHS} lists the fields carried over; a test checks that each changes the settings.
 *
 * <p>{@code webhook.elastic.largeAtLeast} is not listed: the scenario's jobs never ask for elastic
 * capacity themselves, so the rule that moves large ones back to regular capacity has nothing to
 * move and tuning it would change nothing.
 */
public final class StaggerSimulation {

    /** The policy fields the staggering scenario reads, as paths in the policy file. */
    public static final List<String> READ_PATHS = readPaths();

    private static List<String> readPaths() {
        List<String> p = new ArrayList<>(PolicySimulation.READ_PATHS);
        p.addAll(List.of(
                "webhook.elastic.smallAtMost.cpu",
                "webhook.elastic.smallAtMost.memory",
                "elastic.intervalSeconds",
                "elastic.reclaimThresholdPercent",
                "elastic.memoryReclaimThresholdPercent",
                "elastic.hysteresisPercent",
                "elastic.maxStepPercent",
                "elastic.reclaim.maxEvictionsPerInterval",
                "stagger.safetyMarginSeconds",
                "stagger.tiers.prod.window.start",
                "stagger.tiers.prod.window.end",
                "stagger.closingEvictions.intervalSeconds",
                "stagger.closingEvictions.maxEvictionsPerInterval"));
        return List.copyOf(p);
    }

    private StaggerSimulation() {
    }

    /** The "ours" settings the policy gives. */
    public static StaggerExperiment.OursSettings settingsFor(SchedulingPolicy policy) {
        return new StaggerExperiment.OursSettings(StaggerExperiment.ours(policy.stagger()), policy.webhook().elastic(),
                OvercommitExperiment.enabled(policy.elastic()), policy.placementPolicy(), policy.cycle());
    }
}
