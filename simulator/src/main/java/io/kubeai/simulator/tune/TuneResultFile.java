package io.kubeai.simulator.tune;

import io.kubeai.core.config.ConfigValidationException;
import io.kubeai.core.config.ValidationError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * A {@link TuneResult} as a JSON file, self-contained (the space, the current policy, the
 * workload's fingerprint and every run's metrics), so that shards computed on other machines
 * can be merged without the inputs, and {@link #merge merged} into the result one machine would
 * have produced. Doubles are written exactly (NaN as null).
 */
public final class TuneResultFile {
    public static final String KIND = "TuningResult";
    public static final int FORMAT = 1;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private TuneResultFile() {
    }

    /** {@code shard-I-of-N.json}, or {@code tune-result.json} for a whole run. */
    public static String fileName(TuneResult r) {
        return r.shards() == 1 ? "tune-result.json" : "shard-" + r.shard() + "-of-" + r.shards() + ".json";
    }

    public static Path write(TuneResult r, Path dir) {
        Path file = dir.resolve(fileName(r));
        try {
            Files.createDirectories(dir);
            Files.writeString(file, toJson(r));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }

    public static String toJson(TuneResult r) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("kind", KIND);
        root.put("format", FORMAT);
        root.put("shard", r.shard());
        root.put("shards", r.shards());
        root.put("configurations", r.configurations());
        root.put("workload", r.workload());
        root.put("fingerprint", r.fingerprint());
        TuneSpace s = r.space();
        Map<String, Object> space = new LinkedHashMap<>();
        List<Object> knobs = new ArrayList<>();
        for (Knob k : s.knobs()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", k.path());
            m.put("levels", k.levels());
            m.put("numeric", k.numeric());
            knobs.add(m);
        }
        space.put("knobs", knobs);
        space.put("objectives", s.objectives().stream().map(TuneMetric::name).toList());
        space.put("constraints", s.constraints().stream().map(Constraint::text).toList());
        Map<String, Object> search = new LinkedHashMap<>();
        search.put("method", s.search().method().yaml());
        search.put("budget", s.search().budget());
        search.put("seed", s.search().seed());
        search.put("batch", s.search().batch());
        space.put("search", search);
        space.put("seeds", s.seeds());
        root.put("space", space);
        root.put("basePolicy", r.basePolicy());
        root.put("metrics", TuneMetric.names());
        List<Object> evals = new ArrayList<>();
        for (Evaluation e : r.evaluations()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("configuration", e.candidate().index());
            m.put("levels", e.candidate().levels());
            List<Object> runs = new ArrayList<>();
            for (double[] run : e.runs()) {
                List<Object> v = new ArrayList<>(run.length);
                for (double x : run) {
                    v.add(Double.isNaN(x) ? null : x);
                }
                runs.add(v);
            }
            m.put("runs", runs);
            evals.add(m);
        }
        root.put("evaluations", evals);
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    }

    /** Reads a result file; anything missing or of the wrong shape is refused naming the file and field. */
    public static TuneResult read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        Object tree;
        try {
            tree = JSON.readValue(text, Object.class);
        } catch (JacksonException e) {
            throw new ConfigValidationException("tuning result " + file, List.of(new ValidationError(
                    file + (e.getLocation() == null ? "" : ":" + e.getLocation().getLineNr() + ":"
                            + e.getLocation().getColumnNr()), "not valid JSON: " + e.getOriginalMessage())));
        }
        try {
            return fromTree(tree);
        } catch (RuntimeException e) {
            throw new ConfigValidationException("tuning result " + file,
                    List.of(new ValidationError(file.toString(), e.getMessage())));
        }
    }

    @SuppressWarnings("unchecked")
    static TuneResult fromTree(Object tree) {
        Map<String, Object> root = map(tree, "the document");
        if (!KIND.equals(root.get("kind")) || !Objects.equals(root.get("format"), FORMAT)) {
            throw new IllegalArgumentException("not a " + KIND + " file of format " + FORMAT);
        }
        List<String> metrics = (List<String>) list(root.get("metrics"), "metrics");
        if (!metrics.equals(TuneMetric.names())) {
            throw new IllegalArgumentException("written with the metrics " + metrics + ", but this kubeai measures "
                    + TuneMetric.names() + "; rerun the shard with the same kubeai version");
        }
        Map<String, Object> s = map(root.get("space"), "space");
        List<Knob> knobs = new ArrayList<>();
        for (Object o : list(s.get("knobs"), "space.knobs")) {
            Map<String, Object> k = map(o, "space.knobs[]");
            List<Object> levels = new ArrayList<>();
            for (Object v : list(k.get("levels"), "space.knobs[].levels")) {
                levels.add(PolicyTrees.normalize(v));
            }
            knobs.add(new Knob((String) k.get("path"), levels, Boolean.TRUE.equals(k.get("numeric"))));
        }
        List<TuneMetric> objectives = new ArrayList<>();
        for (Object o : list(s.get("objectives"), "space.objectives")) {
            objectives.add(TuneMetric.named((String) o).orElseThrow(
                    () -> new IllegalArgumentException("unknown objective " + o)));
        }
        List<Constraint> constraints = new ArrayList<>();
        for (Object o : list(s.get("constraints"), "space.constraints")) {
            constraints.add(Constraint.parse((String) o));
        }
        Map<String, Object> search = map(s.get("search"), "space.search");
        SearchSettings settings = new SearchSettings(SearchSettings.Method.of((String) search.get("method")),
                number(search.get("budget")).intValue(), number(search.get("seed")).longValue(),
                number(search.get("batch")).intValue());
        List<Long> seeds = list(s.get("seeds"), "space.seeds").stream().map(o -> number(o).longValue()).toList();
        TuneSpace space = new TuneSpace(knobs, objectives, constraints, settings, seeds);
        List<Evaluation> evals = new ArrayList<>();
        for (Object o : list(root.get("evaluations"), "evaluations")) {
            Map<String, Object> e = map(o, "evaluations[]");
            List<Integer> levels = list(e.get("levels"), "evaluations[].levels").stream()
                    .map(x -> number(x).intValue()).toList();
            List<?> runs = list(e.get("runs"), "evaluations[].runs");
            double[][] values = new double[runs.size()][];
            for (int r = 0; r < runs.size(); r++) {
                List<?> run = list(runs.get(r), "evaluations[].runs[]");
                values[r] = new double[run.size()];
                for (int m = 0; m < run.size(); m++) {
                    values[r][m] = run.get(m) == null ? Double.NaN : number(run.get(m)).doubleValue();
                }
            }
            evals.add(new Evaluation(new Candidate(number(e.get("configuration")).intValue(), levels), values));
        }
        return new TuneResult(space, map(root.get("basePolicy"), "basePolicy"), (String) root.get("workload"),
                (String) root.get("fingerprint"), number(root.get("configurations")).intValue(),
                number(root.get("shard")).intValue(), number(root.get("shards")).intValue(), evals);
    }

    /**
     * Reads every {@code shard-*-of-*.json} of a folder and merges them. Refused, naming each
     * problem, when a shard is missing or repeated, or when the shards differ in space, policy or
     * workload.
     */
    public static TuneResult collect(Path dir) {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(f -> f.getFileName().toString().matches("shard-\\d+-of-\\d+\\.json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        if (files.isEmpty()) {
            throw new ConfigValidationException("shard results in " + dir, List.of(new ValidationError(dir.toString(),
                    "no shard-I-of-N.json files; run each shard with --shards N --shard-index I --out " + dir)));
        }
        Map<Path, TuneResult> results = new LinkedHashMap<>();
        for (Path f : files) {
            results.put(f, read(f));
        }
        return merge(results);
    }

    /** Merges shard results (keyed by where they came from, for errors) into the whole run's result. */
    public static TuneResult merge(Map<Path, TuneResult> shards) {
        List<ValidationError> errors = new ArrayList<>();
        Map.Entry<Path, TuneResult> first = shards.entrySet().iterator().next();
        TuneResult a = first.getValue();
        Map<Integer, Path> seen = new TreeMap<>();
        List<Evaluation> all = new ArrayList<>();
        for (Map.Entry<Path, TuneResult> e : shards.entrySet()) {
            TuneResult r = e.getValue();
            String at = e.getKey().toString();
            if (!r.fingerprint().equals(a.fingerprint())) {
                errors.add(new ValidationError(at, "replayed another workload than " + first.getKey()
                        + " (fingerprint " + shortly(r.fingerprint()) + " against " + shortly(a.fingerprint()) + ")"));
            }
            if (!r.space().equals(a.space())) {
                errors.add(new ValidationError(at, "explored another space than " + first.getKey()));
            }
            if (!r.basePolicy().equals(a.basePolicy())) {
                errors.add(new ValidationError(at, "tuned another policy than " + first.getKey()));
            }
            if (r.shards() != a.shards() || r.configurations() != a.configurations()) {
                errors.add(new ValidationError(at, "is shard " + r.shard() + " of " + r.shards() + " with "
                        + r.configurations() + " configurations; " + first.getKey() + " is of " + a.shards()
                        + " with " + a.configurations()));
                continue;
            }
            Path before = seen.putIfAbsent(r.shard(), e.getKey());
            if (before != null) {
                errors.add(new ValidationError(at, "shard " + r.shard() + " is also in " + before));
                continue;
            }
            all.addAll(r.evaluations());
        }
        for (int i = 0; i < a.shards(); i++) {
            if (!seen.containsKey(i)) {
                errors.add(new ValidationError("shard " + i + " of " + a.shards(), "missing; run it with --shards "
                        + a.shards() + " --shard-index " + i));
            }
        }
        if (errors.isEmpty()) {
            all.sort(Comparator.comparingInt(e -> e.candidate().index()));
            for (int i = 0; i < all.size(); i++) {
                if (all.get(i).candidate().index() != i) {
                    errors.add(new ValidationError("configuration " + i, "missing or repeated among the shards"));
                    break;
                }
            }
            if (all.size() != a.configurations()) {
                errors.add(new ValidationError("shards", all.size() + " configurations evaluated, expected "
                        + a.configurations()));
            }
        }
        if (!errors.isEmpty()) {
            throw new ConfigValidationException("shard results", errors);
        }
        return new TuneResult(a.space(), a.basePolicy(), a.workload(), a.fingerprint(), a.configurations(), 0, 1, all);
    }

    private static String shortly(String fingerprint) {
        return fingerprint.length() > 12 ? fingerprint.substring(0, 12) : fingerprint;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o, String what) {
        if (!(o instanceof Map)) {
            throw new IllegalArgumentException(what + ": expected an object");
        }
        return (Map<String, Object>) o;
    }

    private static List<?> list(Object o, String what) {
        if (!(o instanceof List<?> l)) {
            throw new IllegalArgumentException(what + ": expected a list");
        }
        return l;
    }

    private static Number number(Object o) {
        if (!(o instanceof Number n)) {
            throw new IllegalArgumentException("expected a number, found " + o);
        }
        return n;
    }
}
