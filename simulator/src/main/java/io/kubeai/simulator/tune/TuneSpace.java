package io.kubeai.simulator.tune;

import io.kubeai.core.config.ConfigValidationException;
import io.kubeai.core.config.SchedulingPolicy;
import io.kubeai.core.config.Tree;
import io.kubeai.core.config.ValidationError;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a tuning run explores and wants: the knobs (policy fields and their values), the
 * objectives (metrics, each optimised in its own direction), the constraints a recommendation
 * must meet, how configurations are searched, and the simulation seeds each configuration runs
 * with. Read from a {@code TuningSpace} YAML file by {@link #read}, which reports every error with
 * its path and checks every value of every knob against the policy's own validator.
 *
 * <pre>
 * apiVersion: kubeai.io/v1alpha1
 * kind: TuningSpace
 * knobs:
 *   - path: placement.policy
 *     values: [BestFit, FGD, GpuPacking]
 *   - path: queueing.agingIntervalSeconds
 *     min: 300
 *     max: 14400
 *     levels: 6          # or step: 600; scale: log spaces levels geometrically
 *     scale: log
 *   - path: preemption.enabled
 *     values: [true, false]
 * objectives: [gpuAllocation, queueingDelayP95.prod]
 * constraints: ["evictions <= 200"]
 * search:
 *   method: random       # grid | random | refine
 *   budget: 32           # configurations besides the current one
 *   seed: 1
 *   batch: 8             # refine: configurations per round
 * seeds: 3               # simulation seeds 1..3, or a list [1, 7, 9]
 * </pre>
 */
public record TuneSpace(List<Knob> knobs, List<TuneMetric> objectives, List<Constraint> constraints,
        SearchSettings search, List<Long> seeds) {

    public static final String API_VERSION = "kubeai.io/v1alpha1";
    public static final String KIND = "TuningSpace";
    /** The most levels one knob may have, and the most seeds. */
    public static final int MAX_LEVELS = 1000;
    static final int DEFAULT_LEVELS = 5;
    static final List<Long> DEFAULT_SEEDS = List.of(1L, 2L, 3L);

    public TuneSpace {
        knobs = List.copyOf(knobs);
        objectives = List.copyOf(objectives);
        constraints = List.copyOf(constraints);
        seeds = List.copyOf(seeds);
        Objects.requireNonNull(search, "search");
        if (knobs.isEmpty() || objectives.isEmpty() || seeds.isEmpty()) {
            throw new IllegalArgumentException("a tuning space needs knobs, objectives and seeds");
        }
    }

    /** How many configurations the knobs span (saturating at {@code Long.MAX_VALUE}). */
    public long size() {
        long n = 1;
        for (Knob k : knobs) {
            n = n > Long.MAX_VALUE / k.size() ? Long.MAX_VALUE : n * k.size();
        }
        return n;
    }

    public TuneSpace withObjectives(List<TuneMetric> o) {
        return new TuneSpace(knobs, o, constraints, search, seeds);
    }

    public TuneSpace withConstraints(List<Constraint> c) {
        return new TuneSpace(knobs, objectives, c, search, seeds);
    }

    public TuneSpace withSearch(SearchSettings s) {
        return new TuneSpace(knobs, objectives, constraints, s, seeds);
    }

    public TuneSpace withSeeds(List<Long> s) {
        return new TuneSpace(knobs, objectives, constraints, search, s);
    }

    /** Reads a space file; every value is checked against {@code basePolicy}, the policy being tuned. */
    public static TuneSpace load(Path file, Map<String, Object> basePolicy) {
        return load(file, basePolicy, TuneScenario.JOBS);
    }

    /** Reads a space file for {@code scenario}: knobs only at paths it reads, metrics only those it measures. */
    public static TuneSpace load(Path file, Map<String, Object> basePolicy, TuneScenario scenario) {
        Object doc = PolicyTrees.readYaml(file, "space file");
        try {
            return read(doc, basePolicy, scenario);
        } catch (ConfigValidationException e) {
            throw new ConfigValidationException("space file " + file, e.errors());
        }
    }

    /** Reads a parsed space document, or throws with every error found. */
    public static TuneSpace read(Object document, Map<String, Object> basePolicy) {
        return read(document, basePolicy, TuneScenario.JOBS);
    }

    /** Reads a parsed space document for {@code scenario}, or throws with every error found. */
    public static TuneSpace read(Object document, Map<String, Object> basePolicy, TuneScenario scenario) {
        List<ValidationError> errors = new ArrayList<>();
        Tree root = Tree.root(document, errors);
        root.allowOnly("apiVersion", "kind", "metadata", "knobs", "objectives", "constraints", "search", "seeds");
        String apiVersion = root.string("apiVersion", null);
        if (apiVersion == null) {
            root.error("apiVersion", "missing; expected " + API_VERSION);
        } else if (!apiVersion.equals(API_VERSION)) {
            root.error("apiVersion", "\"" + apiVersion + "\" is not supported; expected " + API_VERSION);
        }
        String kind = root.string("kind", null);
        if (!KIND.equals(kind)) {
            root.error("kind", (kind == null ? "missing" : "\"" + kind + "\" is not " + KIND) + "; expected " + KIND);
        }

        List<Knob> knobs = new ArrayList<>();
        if (!root.has("knobs")) {
            root.error("knobs", "missing; name at least one policy field to tune, from " + scenario.readPaths());
        } else {
            List<Tree> list = root.list("knobs");
            if (list.isEmpty() && root.raw().get("knobs") instanceof List<?> l && l.isEmpty()) {
                root.error("knobs", "empty; name at least one policy field to tune");
            }
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < list.size(); i++) {
                Knob k = readKnob(list.get(i), basePolicy, scenario, errors);
                if (k != null && !seen.add(k.path())) {
                    list.get(i).error("path", "\"" + k.path() + "\" is already a knob; each field may be tuned once");
                } else if (k != null) {
                    knobs.add(k);
                }
            }
        }

        List<TuneMetric> objectives = List.of();
        if (!root.has("objectives")) {
            root.error("objectives", "missing; name at least one metric from " + TuneMetric.names());
        } else {
            objectives = objectives(strings(root, "objectives"), "objectives", scenario, errors);
        }
        List<Constraint> constraints = root.has("constraints")
                ? constraints(strings(root, "constraints"), "constraints", scenario, errors) : List.of();

        Tree s = root.child("search");
        s.allowOnly("method", "budget", "seed", "batch");
        SearchSettings d = SearchSettings.DEFAULT;
        SearchSettings.Method method = SearchSettings.Method.of(
                s.choice("method", d.method().yaml(), SearchSettings.Method.NAMES));
        SearchSettings search = new SearchSettings(method, (int) s.integer("budget", d.budget(), 1, 1_000_000),
                s.integer("seed", d.seed(), Long.MIN_VALUE, Long.MAX_VALUE), (int) s.integer("batch", d.batch(), 1, 10_000));

        List<Long> seeds = DEFAULT_SEEDS;
        Object rawSeeds = root.raw().get("seeds");
        if (rawSeeds instanceof List<?> l) {
            List<Long> out = new ArrayList<>();
            Set<Long> unique = new HashSet<>();
            for (int i = 0; i < l.size(); i++) {
                Object v = PolicyTrees.normalize(l.get(i));
                if (!(v instanceof Long n)) {
                    root.error("seeds[" + i + "]", "expected an integer, found " + describe(l.get(i)));
                } else if (!unique.add(n)) {
                    root.error("seeds[" + i + "]", "seed " + n + " appears twice");
                } else {
                    out.add(n);
                }
            }
            if (l.isEmpty() || l.size() > MAX_LEVELS) {
                root.error("seeds", "expected 1 to " + MAX_LEVELS + " seeds, found " + l.size());
            } else {
                seeds = out;
            }
        } else if (rawSeeds != null) {
            long n = root.integer("seeds", 3, 1, MAX_LEVELS);
            List<Long> out = new ArrayList<>();
            for (long i = 1; i <= n; i++) {
                out.add(i);
            }
            seeds = out;
        }

        if (!errors.isEmpty()) {
            throw new ConfigValidationException("TuningSpace", errors);
        }
        return new TuneSpace(knobs, objectives, constraints, search, seeds);
    }

    /** Metric names as objectives; errors at {@code where[i]}. */
    public static List<TuneMetric> objectives(List<String> names, String where, List<ValidationError> errors) {
        return objectives(names, where, TuneScenario.JOBS, errors);
    }

    /** Metric names as objectives of a {@code scenario} run; errors at {@code where[i]}. */
    public static List<TuneMetric> objectives(List<String> names, String where, TuneScenario scenario,
            List<ValidationError> errors) {
        List<TuneMetric> out = new ArrayList<>();
        if (names.isEmpty()) {
            errors.add(new ValidationError(where, "empty; name at least one metric from " + scenario.metricNames()));
        }
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            var m = TuneMetric.named(n);
            if (m.isEmpty()) {
                errors.add(new ValidationError(where + "[" + i + "]", "unknown metric \"" + n + "\"; metrics are "
                        + TuneMetric.names()));
            } else if (!scenario.measures(m.get())) {
                errors.add(new ValidationError(where + "[" + i + "]", notMeasured(m.get(), scenario)));
            } else if (out.contains(m.get())) {
                errors.add(new ValidationError(where + "[" + i + "]", m.get().name() + " is already an objective"));
            } else {
                out.add(m.get());
            }
        }
        return out;
    }

    /** Constraint texts; errors at {@code where[i]}. */
    public static List<Constraint> constraints(List<String> texts, String where, List<ValidationError> errors) {
        return constraints(texts, where, TuneScenario.JOBS, errors);
    }

    /** Constraint texts on metrics a {@code scenario} run measures; errors at {@code where[i]}. */
    public static List<Constraint> constraints(List<String> texts, String where, TuneScenario scenario,
            List<ValidationError> errors) {
        List<Constraint> out = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            try {
                Constraint c = Constraint.parse(texts.get(i));
                if (!scenario.measures(c.metric())) {
                    errors.add(new ValidationError(where + "[" + i + "]", notMeasured(c.metric(), scenario)));
                    continue;
                }
                out.add(c);
            } catch (IllegalArgumentException e) {
                errors.add(new ValidationError(where + "[" + i + "]", e.getMessage()));
            }
        }
        return out;
    }

    private static String notMeasured(TuneMetric m, TuneScenario scenario) {
        return m.name() + " is measured by the stagger scenario only (--scenario stagger); the " + scenario.yaml()
                + " scenario measures " + scenario.metricNames();
    }

    private static Knob readKnob(Tree k, Map<String, Object> basePolicy, TuneScenario scenario,
            List<ValidationError> errors) {
        k.allowOnly("path", "values", "min", "max", "step", "levels", "scale");
        String path = k.string("path", null);
        if (path == null || path.isBlank()) {
            k.error("path", "missing; a policy field such as " + scenario.readPaths().get(0));
            return null;
        }
        path = path.strip();
        if (!scenario.readPaths().contains(path)) {
            k.error("path", "\"" + path + "\" " + whyNotTunable(path, scenario) + "; tunable paths"
                    + (scenario == TuneScenario.JOBS ? "" : " of the " + scenario.yaml() + " scenario") + " are "
                    + scenario.readPaths());
            return null;
        }
        boolean hasValues = k.has("values");
        boolean hasRange = k.has("min") || k.has("max") || k.has("step") || k.has("levels") || k.has("scale");
        if (hasValues == hasRange) {
            k.error(hasValues ? "values" : "path", hasValues
                    ? "give either values or a range (min, max, step or levels), not both"
                    : "give the values to try (values: [...]) or a range (min, max and step or levels)");
            return null;
        }
        int before = errors.size();
        List<Object> levels = new ArrayList<>();
        List<String> levelPaths = new ArrayList<>();
        boolean numeric;
        if (hasValues) {
            Object raw = k.raw().get("values");
            if (!(raw instanceof List<?> list)) {
                k.error("values", "expected a list of values");
                return null;
            }
            if (list.isEmpty() || list.size() > MAX_LEVELS) {
                k.error("values", "expected 1 to " + MAX_LEVELS + " values, found " + list.size());
                return null;
            }
            Set<Object> unique = new LinkedHashSet<>();
            for (int i = 0; i < list.size(); i++) {
                Object v = PolicyTrees.normalize(list.get(i));
                if (v == null || v instanceof Map || v instanceof List) {
                    k.error("values[" + i + "]", "expected a single value, found " + describe(list.get(i)));
                } else if (!unique.add(v)) {
                    k.error("values[" + i + "]", Knob.label(v) + " appears twice");
                } else {
                    levels.add(v);
                    levelPaths.add("values[" + i + "]");
                }
            }
            numeric = !levels.isEmpty() && levels.stream().allMatch(v -> v instanceof Number);
            if (numeric) {
                // sorted, so that a neighbour is a close value
                List<Integer> order = new ArrayList<>();
                for (int i = 0; i < levels.size(); i++) {
                    order.add(i);
                }
                order.sort(Comparator.comparingDouble(i -> ((Number) levels.get(i)).doubleValue()));
                List<Object> sl = new ArrayList<>();
                List<String> sp = new ArrayList<>();
                for (int i : order) {
                    sl.add(levels.get(i));
                    sp.add(levelPaths.get(i));
                }
                levels.clear();
                levels.addAll(sl);
                levelPaths.clear();
                levelPaths.addAll(sp);
            }
        } else {
            numeric = true;
            expandRange(k, levels, levelPaths);
        }
        if (errors.size() > before) {
            return null;
        }
        // Every value must be one the policy accepts at that path.
        for (int i = 0; i < levels.size(); i++) {
            Map<String, Object> tree = PolicyTrees.with(basePolicy, path, levels.get(i));
            try {
                SchedulingPolicy.fromTree(tree);
            } catch (ConfigValidationException e) {
                for (ValidationError ve : e.errors()) {
                    String where = levelPaths.get(i);
                    String what = ve.path().equals(path) ? ve.message() : ve.path() + ": " + ve.message();
                    k.error(where, Knob.label(levels.get(i)) + " is not a valid " + path + ": " + what);
                }
            }
        }
        if (errors.size() > before) {
            return null;
        }
        return new Knob(path, levels, numeric);
    }

    /** min, max and step or levels (linear or log) into levels; errors at the knob's fields. */
    private static void expandRange(Tree k, List<Object> levels, List<String> paths) {
        Object minRaw = PolicyTrees.normalize(k.raw().get("min"));
        Object maxRaw = PolicyTrees.normalize(k.raw().get("max"));
        Object stepRaw = PolicyTrees.normalize(k.raw().get("step"));
        boolean ok = true;
        for (String f : List.of("min", "max")) {
            Object v = f.equals("min") ? minRaw : maxRaw;
            if (v == null) {
                k.error(f, "missing; a range needs min and max");
                ok = false;
            } else if (!(v instanceof Number)) {
                k.error(f, "expected a number, found " + describe(v));
                ok = false;
            }
        }
        if (stepRaw != null && !(stepRaw instanceof Number)) {
            k.error("step", "expected a number, found " + describe(stepRaw));
            ok = false;
        }
        if (stepRaw != null && k.has("levels")) {
            k.error("step", "give step or levels, not both");
            ok = false;
        }
        String scale = k.choice("scale", "linear", List.of("linear", "log"));
        if (stepRaw != null && scale.equals("log")) {
            k.error("scale", "log spacing takes levels, not a step");
            ok = false;
        }
        if (!ok) {
            return;
        }
        double min = ((Number) minRaw).doubleValue();
        double max = ((Number) maxRaw).doubleValue();
        if (!(min <= max)) {
            k.error("max", "must be at least min (" + Knob.label(minRaw) + "), was " + Knob.label(maxRaw));
            return;
        }
        if (scale.equals("log") && min <= 0) {
            k.error("min", "must be above 0 for log spacing, was " + Knob.label(minRaw));
            return;
        }
        boolean whole = minRaw instanceof Long && maxRaw instanceof Long && (stepRaw == null || stepRaw instanceof Long);
        if (stepRaw != null) {
            BigDecimal step = new BigDecimal(stepRaw.toString());
            if (step.signum() <= 0) {
                k.error("step", "must be above 0, was " + Knob.label(stepRaw));
                return;
            }
            BigDecimal lo = new BigDecimal(minRaw.toString());
            BigDecimal hi = new BigDecimal(maxRaw.toString());
            BigDecimal count = hi.subtract(lo).divideToIntegralValue(step);
            if (count.compareTo(BigDecimal.valueOf(MAX_LEVELS - 1)) > 0) {
                k.error("step", "makes " + count.add(BigDecimal.ONE) + " levels from min to max; at most "
                        + MAX_LEVELS + " are allowed");
                return;
            }
            for (BigDecimal v = lo; v.compareTo(hi) <= 0; v = v.add(step)) {
                levels.add(whole ? (Object) v.longValueExact() : (Object) v.doubleValue());
                paths.add(v.compareTo(lo) == 0 ? "min" : v.compareTo(hi) == 0 ? "max" : "step");
            }
            return;
        }
        long n = k.integer("levels", DEFAULT_LEVELS, 1, MAX_LEVELS);
        if (n == 1 && min != max) {
            k.error("levels", "must be at least 2 when min and max differ");
            return;
        }
        Set<Object> unique = new LinkedHashSet<>();
        for (long i = 0; i < n; i++) {
            double f = n == 1 ? 0 : i / (double) (n - 1);
            double v = scale.equals("log") ? min * Math.pow(max / min, f) : min + (max - min) * f;
            if (i == n - 1) {
                v = max;
            }
            Object level = whole ? (Object) Math.round(v) : (Object) v;
            if (unique.add(level)) {
                levels.add(level);
                paths.add(i == 0 ? "min" : i == n - 1 ? "max" : "levels");
            }
        }
    }

    /** Why a path cannot be tuned: not a policy field at all, a section, or a field the simulator does not read. */
    static String whyNotTunable(String path) {
        return whyNotTunable(path, TuneScenario.JOBS);
    }

    static String whyNotTunable(String path, TuneScenario scenario) {
        List<ValidationError> probe = new ArrayList<>();
        try {
            SchedulingPolicy.fromTree(PolicyTrees.with(PolicyTrees.defaults(), path, "?"));
        } catch (ConfigValidationException e) {
            probe = e.errors();
        } catch (RuntimeException e) {
            return "is not a SchedulingPolicy field";
        }
        for (ValidationError e : probe) {
            if ((path.equals(e.path()) || path.startsWith(e.path() + ".")) && e.message().startsWith("unknown field")) {
                return "is not a SchedulingPolicy field";
            }
            if (path.equals(e.path()) && e.message().startsWith("expected a mapping")) {
                return "is a section of the policy, not one field";
            }
        }
        if (scenario == TuneScenario.JOBS) {
            return "is not read by the job simulator yet, so tuning it would change nothing"
                    + (TuneScenario.STAGGER.readPaths().contains(path) ? " (the stagger scenario reads it: "
                    + "--scenario stagger)" : "");
        }
        return "is not read by the " + scenario.yaml() + " scenario, so tuning it would change nothing";
    }

    private static List<String> strings(Tree t, String key) {
        Object v = t.raw().get(key);
        if (v instanceof String s) {
            return List.of(s);
        }
        if (!(v instanceof List<?> l)) {
            t.error(key, "expected a list of strings, found " + describe(v));
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < l.size(); i++) {
            if (l.get(i) instanceof String s) {
                out.add(s);
            } else {
                t.error(key + "[" + i + "]", "expected a string, found " + describe(l.get(i)));
            }
        }
        return out;
    }

    private static String describe(Object v) {
        if (v == null) {
            return "nothing";
        }
        if (v instanceof String s) {
            return "\"" + s + "\"";
        }
        if (v instanceof Map) {
            return "a mapping";
        }
        if (v instanceof List) {
            return "a list";
        }
        return String.valueOf(v);
    }
}
