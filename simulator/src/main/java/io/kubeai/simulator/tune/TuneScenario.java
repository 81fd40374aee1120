package io.kubeai.simulator.tune;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which simulation a tuning run evaluates configurations with, and so which policy fields can be
 * tuned and which metrics measured:
 *
 * <ul>
 *   <li>{@code jobs}: a job trace through the job simulator ({@link PolicySimulation});
 *   <li>{@code stagger}: the staggering scenario's "ours" run, production periodic work beside
 *       development bursts, small tasks on elastic capacity and online services
 *       ({@link StaggerSimulation}).
 * </ul>
 */
public enum TuneScenario {
    JOBS("jobs", PolicySimulation.READ_PATHS),
    STAGGER("stagger", StaggerSimulation.READ_PATHS);

    public static final List<String> NAMES = Arrays.stream(values()).map(TuneScenario::yaml).toList();

    private final String yaml;
    private final List<String> readPaths;

    TuneScenario(String yaml, List<String> readPaths) {
        this.yaml = yaml;
        this.readPaths = readPaths;
    }

    public String yaml() {
        return yaml;
    }

    /** The policy fields this scenario's runs read: the only ones a knob may name. */
    public List<String> readPaths() {
        return readPaths;
    }

    /** Whether runs of this scenario measure {@code metric}. */
    public boolean measures(TuneMetric metric) {
        return this == STAGGER || !metric.staggerOnly();
    }

    /** The names of the metrics this scenario measures, in report order. */
    public List<String> metricNames() {
        return TuneMetric.ALL.stream().filter(this::measures).map(TuneMetric::name).toList();
    }

    /** The scenario of that name, or {@link IllegalArgumentException} listing the names. */
    public static TuneScenario of(String name) {
        for (TuneScenario s : values()) {
            if (s.yaml.equals(name.strip().toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown scenario \"" + name + "\"; scenarios are " + NAMES);
    }

    /**
     * The policy tuned when no policy file is given: the defaults, and for {@code stagger} the
     * scenario's own staggering (production window 20:00–08:00 UTC, a 30-minute margin, 5
     * closing evictions a minute) and elastic capacity on, so that its window can be tuned.
     */
    public Map<String, Object> defaultPolicy() {
        Map<String, Object> p = PolicyTrees.defaults();
        if (this == STAGGER) {
            Map<String, Object> window = new LinkedHashMap<>();
            window.put("start", "20:00");
            window.put("end", "08:00");
            window.put("timeZone", "UTC");
            p = PolicyTrees.with(p, "stagger.safetyMarginSeconds", 1800L);
            p = PolicyTrees.with(p, "stagger.tiers.prod.window", window);
            p = PolicyTrees.with(p, "stagger.closingEvictions.intervalSeconds", 60L);
            p = PolicyTrees.with(p, "stagger.closingEvictions.maxEvictionsPerInterval", 5L);
            p = PolicyTrees.with(p, "elastic.enabled", true);
        }
        return p;
    }
}
