package io.kubeai.simulator.tune;

import io.kubeai.simulator.report.Html;
import io.kubeai.simulator.report.SvgScatterChart;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a person reads after a tuning run: a self-contained HTML page (the Pareto frontier as a
 * table and charts with each configuration's spread over seeds, the recommendation against the
 * current configuration seed by seed, every configuration tried), the same in plain text for a
 * terminal, a CSV of every configuration, and the recommended configuration as a
 * {@code SchedulingPolicy} file that every process's loader reads unchanged. O(configurations ×
 * metrics), plus O(frontier²) for the frontier.
 */
public final class TuneReport {
    /** The files {@link #writeAll} writes. */
    public static final String HTML = "tune-report.html";
    public static final String CSV = "configurations.csv";
    public static final String RECOMMENDED = "recommended-policy.yaml";

    private TuneReport() {
    }

    /**
     * Writes the report, the CSV, the result file and, when a configuration meets the
     * constraints, the recommended policy into {@code dir}; returns the files written.
     */
    public static List<Path> writeAll(TuneResult r, Path dir, String command, String environment) {
        List<Path> out = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            out.add(write(dir.resolve(HTML), html(r, command, environment)));
            out.add(write(dir.resolve(CSV), csv(r)));
            out.add(TuneResultFile.write(r, dir));
            Optional<String> policy = recommendedPolicyYaml(r, command);
            if (policy.isPresent()) {
                out.add(write(dir.resolve(RECOMMENDED), policy.get()));
            } else {
                Files.deleteIfExists(dir.resolve(RECOMMENDED));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write into " + dir, e);
        }
        return out;
    }

    private static Path write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    /** The policy document of a configuration: the current one with the configuration's values set. */
    public static Map<String, Object> policyTree(TuneResult r, Evaluation e) {
        return e.candidate().tree(r.space(), r.basePolicy());
    }

    /** The recommended configuration as a policy file, its provenance in comment lines; empty if none meets the constraints. */
    public static Optional<String> recommendedPolicyYaml(TuneResult r, String command) {
        Optional<Evaluation> rec = r.recommended();
        if (rec.isEmpty()) {
            return Optional.empty();
        }
        Evaluation e = rec.get();
        List<String> header = new ArrayList<>();
        header.add("Recommended by: " + command);
        header.add("Workload: " + r.workload());
        header.add("Configuration " + e.candidate().index() + " of " + r.configurations() + ": "
                + e.candidate().label(r.space()));
        header.add("Objectives: " + r.space().objectives() + (r.space().constraints().isEmpty() ? ""
                : "; constraints: " + r.space().constraints().stream().map(Constraint::canonical).toList()));
        for (TuneResult.Comparison c : r.comparison()) {
            if (r.space().objectives().contains(c.metric())) {
                header.add(String.format(Locale.ROOT, "  %s: %s (current %s), %s", c.metric().name(),
                        c.metric().format(c.recommendedMedian()), c.metric().format(c.currentMedian()), c.verdict()));
            }
        }
        return Optional.of(PolicyTrees.toYaml(policyTree(r, e), header));
    }

    /** Every configuration, one row each: number, knob values, feasibility, frontier, each metric's median, min and max. */
    public static String csv(TuneResult r) {
        StringBuilder sb = new StringBuilder("configuration");
        for (Knob k : r.space().knobs()) {
            sb.append(',').append(k.path());
        }
        sb.append(",feasible,frontier,recommended");
        for (TuneMetric m : TuneMetric.ALL) {
            sb.append(',').append(m.name()).append(".median,").append(m.name()).append(".min,").append(m.name())
                    .append(".max");
        }
        sb.append('\n');
        List<Evaluation> frontier = r.frontier();
        Optional<Evaluation> rec = r.recommended();
        for (Evaluation e : r.evaluations()) {
            sb.append(e.candidate().index());
            List<Object> values = e.candidate().values(r.space());
            for (int k = 0; k < r.space().knobs().size(); k++) {
                sb.append(',').append(e.candidate().isCurrent() ? "current" : Knob.label(values.get(k)));
            }
            sb.append(',').append(r.feasible(e)).append(',').append(frontier.contains(e)).append(',')
                    .append(rec.isPresent() && rec.get().equals(e));
            for (TuneMetric m : TuneMetric.ALL) {
                sb.append(',').append(num(e.median(m))).append(',').append(num(e.min(m))).append(',')
                        .append(num(e.max(m)));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
    }

    /** The frontier and the recommendation as plain text for a terminal. */
    public static String text(TuneResult r) {
        StringBuilder sb = new StringBuilder();
        List<TuneMetric> shown = r.reportedMetrics().subList(0,
                r.space().objectives().size() + extraConstrained(r).size());
        sb.append(String.format(Locale.ROOT, "%d configurations (current + %d), %d seeds each; %d meet the constraints; "
                + "%d on the frontier%n", r.evaluations().size(), r.evaluations().size() - 1, r.space().seeds().size(),
                r.feasible().size(), r.frontier().size()));
        List<String> head = new ArrayList<>(List.of("#", "configuration"));
        for (TuneMetric m : shown) {
            head.add(m.name() + " (" + (m.higherIsBetter() ? "↑" : "↓") + ")");
        }
        List<List<String>> rows = new ArrayList<>();
        Optional<Evaluation> rec = r.recommended();
        List<Evaluation> listed = new ArrayList<>(r.frontier());
        if (!listed.contains(r.current())) {
            listed.add(0, r.current());
        }
        for (Evaluation e : listed) {
            List<String> row = new ArrayList<>();
            row.add(e.candidate().index() + (rec.isPresent() && rec.get().equals(e) ? " *" : ""));
            row.add(e.candidate().label(r.space()));
            for (TuneMetric m : shown) {
                row.add(m.format(e.median(m)) + " [" + m.format(e.min(m)) + " – " + m.format(e.max(m)) + "]");
            }
            rows.add(row);
        }
        sb.append("Frontier (median [min – max] over seeds; * recommended):\n").append(table(head, rows));
        if (rec.isEmpty()) {
            sb.append("No configuration meets the constraints ").append(r.space().constraints()).append(
                    ": nothing is recommended.\n");
            return sb.toString();
        }
        sb.append("\nRecommended: ").append(rec.get().candidate().label(r.space())).append('\n');
        List<List<String>> cmp = new ArrayList<>();
        for (TuneResult.Comparison c : r.comparison()) {
            if (!shown.contains(c.metric())) {
                continue;
            }
            cmp.add(List.of(c.metric().name(), spread(c.metric(), c.currentMedian(), c.currentMin(), c.currentMax()),
                    spread(c.metric(), c.recommendedMedian(), c.recommendedMin(), c.recommendedMax()),
                    c.metric().formatChange(c.medianChange()), c.verdict()));
        }
        sb.append(table(List.of("metric", "current", "recommended", "change (median of pairs)", "over seeds"), cmp));
        return sb.toString();
    }

    private static List<TuneMetric> extraConstrained(TuneResult r) {
        List<TuneMetric> out = new ArrayList<>();
        for (Constraint c : r.space().constraints()) {
            if (!r.space().objectives().contains(c.metric()) && !out.contains(c.metric())) {
                out.add(c.metric());
            }
        }
        return out;
    }

    private static String spread(TuneMetric m, double median, double min, double max) {
        return m.format(median) + " [" + m.format(min) + " – " + m.format(max) + "]";
    }

    private static String table(List<String> head, List<List<String>> rows) {
        int[] w = new int[head.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = head.get(i).length();
            for (List<String> row : rows) {
                w[i] = Math.max(w[i], row.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        List<List<String>> all = new ArrayList<>();
        all.add(head);
        all.addAll(rows);
        for (List<String> row : all) {
            sb.append("|");
            for (int i = 0; i < w.length; i++) {
                sb.append(' ').append(row.get(i)).append(" ".repeat(w[i] - row.get(i).length())).append(" |");
            }
            sb.append('\n');
            if (row == head) {
                sb.append("|");
                for (int i = 0; i < w.length; i++) {
                    sb.append("-".repeat(w[i] + 2)).append('|');
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    /** The self-contained page. */
    public static String html(TuneResult r, String command, String environment) {
        TuneSpace s = r.space();
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>KubeAI simulate tune</title>\n<style>")
                .append("body{font-family:sans-serif;margin:2em;max-width:1200px}")
                .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;")
                .append("text-align:right}th{background:#f4f4f4}td:first-child,th:first-child{text-align:left}")
                .append("td.l{text-align:left}tr.rec{background:#eef6ee}tr.cur{background:#f6f2e8}")
                .append("code,pre{background:#f4f4f4;padding:1px 4px}</style></head><body>\n");
        h.append("<h1>Policy tuning</h1>\n");
        h.append("<p>Workload: ").append(Html.escape(r.workload())).append("<br>Command: <code>")
                .append(Html.escape(command)).append("</code><br>").append(Html.escape(environment)).append("</p>\n");
        h.append("<h2>Space</h2>\n<table><tr><th>knob</th><th>values</th></tr>\n");
        for (Knob k : s.knobs()) {
            h.append("<tr><td>").append(Html.escape(k.path())).append("</td><td class=\"l\">")
                    .append(Html.escape(k.levels().stream().map(Knob::label).toList().toString())).append("</td></tr>\n");
        }
        h.append("</table>\n<p>").append(s.size()).append(" combinations; search ").append(s.search().method().yaml())
                .append(", budget ").append(s.search().budget()).append(", search seed ").append(s.search().seed())
                .append("; simulation seeds ").append(Html.escape(s.seeds().toString())).append(".<br>Objectives: ");
        for (int i = 0; i < s.objectives().size(); i++) {
            TuneMetric m = s.objectives().get(i);
            h.append(i == 0 ? "" : "; ").append("<b>").append(Html.escape(m.name())).append("</b> (")
                    .append(m.higherIsBetter() ? "higher" : "lower").append(" is better: ")
                    .append(Html.escape(m.description())).append(")");
        }
        h.append(".<br>Constraints, on the median over seeds: ").append(s.constraints().isEmpty() ? "none"
                : Html.escape(s.constraints().stream().map(Constraint::canonical).toList().toString())).append(".</p>\n");
        h.append(String.format(Locale.ROOT, "<p>%d configurations evaluated (the current one and %d others), %d meet "
                + "the constraints, %d on the Pareto frontier: no other configuration meeting the constraints is at "
                + "least as good on every objective and better on one.</p>%n", r.evaluations().size(),
                r.evaluations().size() - 1, r.feasible().size(), r.frontier().size()));

        h.append("<h2>Frontier</h2>\n");
        for (String svg : charts(r)) {
            h.append(svg);
        }
        h.append("<p>Each point is a configuration's median over seeds; on the frontier and for the current and the ")
                .append("recommended configurations, the bars span the least and the greatest seed. Hover a point for ")
                .append("its configuration.</p>\n");
        h.append(evaluationTable(r, withCurrent(r, r.frontier()), s.objectives()));

        Optional<Evaluation> rec = r.recommended();
        h.append("<h2>Recommendation</h2>\n");
        if (rec.isEmpty()) {
            h.append("<p>No configuration meets the constraints: nothing is recommended. Loosen a constraint or widen ")
                    .append("the space.</p>\n");
        } else {
            h.append("<p>Configuration ").append(rec.get().candidate().index()).append(": <code>")
                    .append(Html.escape(rec.get().candidate().label(s))).append("</code>, the frontier's balanced ")
                    .append("point: each objective scaled from the best to the worst any configuration meeting the ")
                    .append("constraints reached, the least distance to best-on-all.</p>\n");
            h.append("<p>Against the current configuration, on the same jobs with the same seeds. A pair of runs ")
                    .append("with one seed differs only by the configuration, so a change on every seed is a real ")
                    .append("gain or loss; when the seeds disagree it is within noise.</p>\n");
            h.append("<table><tr><th>metric</th><th>current median</th><th>current min – max</th>")
                    .append("<th>recommended median</th><th>recommended min – max</th>")
                    .append("<th>change (median of pairs)</th><th>over seeds</th></tr>\n");
            for (TuneResult.Comparison c : r.comparison()) {
                TuneMetric m = c.metric();
                h.append("<tr><td>").append(Html.escape(m.name())).append(s.objectives().contains(m) ? " (objective)" : "")
                        .append("</td><td>").append(m.format(c.currentMedian())).append("</td><td>")
                        .append(m.format(c.currentMin())).append(" – ").append(m.format(c.currentMax()))
                        .append("</td><td>").append(m.format(c.recommendedMedian())).append("</td><td>")
                        .append(m.format(c.recommendedMin())).append(" – ").append(m.format(c.recommendedMax()))
                        .append("</td><td>").append(m.formatChange(c.medianChange())).append("</td><td class=\"l\">")
                        .append(Html.escape(c.verdict())).append("</td></tr>\n");
            }
            h.append("</table>\n<h3>").append(RECOMMENDED).append("</h3>\n<pre>")
                    .append(Html.escape(recommendedPolicyYaml(r, command).orElseThrow())).append("</pre>\n");
        }

        h.append("<h2>Every configuration</h2>\n");
        h.append(evaluationTable(r, r.evaluations(), r.reportedMetrics().subList(0,
                s.objectives().size() + extraConstrained(r).size())));
        h.append("<h2>Metrics</h2>\n<ul>");
        for (TuneMetric m : TuneMetric.ALL) {
            h.append("<li><b>").append(Html.escape(m.name())).append("</b>: ").append(Html.escape(m.description()))
                    .append("</li>");
        }
        h.append("</ul>\n</body></html>\n");
        return h.toString();
    }

    private static List<Evaluation> withCurrent(TuneResult r, List<Evaluation> list) {
        List<Evaluation> out = new ArrayList<>(list);
        if (!out.contains(r.current())) {
            out.add(0, r.current());
        }
        return out;
    }

    private static String evaluationTable(TuneResult r, List<Evaluation> rows, List<TuneMetric> metrics) {
        StringBuilder h = new StringBuilder("<table><tr><th>#</th>");
        for (Knob k : r.space().knobs()) {
            h.append("<th>").append(Html.escape(k.path())).append("</th>");
        }
        for (TuneMetric m : metrics) {
            h.append("<th>").append(Html.escape(m.name())).append(m.higherIsBetter() ? " ↑" : " ↓")
                    .append("<br>median [min – max]</th>");
        }
        h.append("<th>meets constraints</th></tr>\n");
        Optional<Evaluation> rec = r.recommended();
        List<Evaluation> frontier = r.frontier();
        for (Evaluation e : rows) {
            boolean isRec = rec.isPresent() && rec.get().equals(e);
            h.append("<tr").append(isRec ? " class=\"rec\"" : e.candidate().isCurrent() ? " class=\"cur\"" : "")
                    .append("><td>").append(e.candidate().index()).append(isRec ? " recommended"
                            : e.candidate().isCurrent() ? " current" : "")
                    .append(frontier.contains(e) ? " ◆" : "").append("</td>");
            List<Object> values = e.candidate().values(r.space());
            for (int k = 0; k < r.space().knobs().size(); k++) {
                h.append("<td>").append(e.candidate().isCurrent()
                        ? Html.escape(currentValue(r, r.space().knobs().get(k).path()))
                        : Html.escape(Knob.label(values.get(k)))).append("</td>");
            }
            for (TuneMetric m : metrics) {
                h.append("<td>").append(m.format(e.median(m))).append(" [").append(m.format(e.min(m))).append(" – ")
                        .append(m.format(e.max(m))).append("]</td>");
            }
            h.append("<td>").append(r.feasible(e) ? "yes" : "no").append("</td></tr>\n");
        }
        return h.append("</table>\n<p>◆ on the frontier.</p>\n").toString();
    }

    /** The current policy's value at a path: as written, or the default. */
    @SuppressWarnings("unchecked")
    static String currentValue(TuneResult r, String path) {
        Object at = r.basePolicy();
        for (String key : path.split("\\.")) {
            at = at instanceof Map<?, ?> m ? ((Map<String, Object>) m).get(key) : null;
        }
        return at == null ? "(default)" : Knob.label(at);
    }

    /** One chart per pair of the first objective with each other (or, with one objective, against config number). */
    static List<String> charts(TuneResult r) {
        List<TuneMetric> obj = r.space().objectives();
        List<String> out = new ArrayList<>();
        if (obj.size() == 1) {
            out.add(chart(r, obj.get(0), null));
            return out;
        }
        for (int j = 1; j < Math.min(obj.size(), 4); j++) {
            out.add(chart(r, obj.get(0), obj.get(j)));
        }
        return out;
    }

    private static String chart(TuneResult r, TuneMetric x, TuneMetric y) {
        String yLabel = y == null ? "configuration" : axis(y);
        SvgScatterChart c = new SvgScatterChart(y == null ? x.name() : x.name() + " against " + y.name(), axis(x), yLabel);
        List<Evaluation> frontier = r.frontier();
        Optional<Evaluation> rec = r.recommended();
        // the others without their spread, so that the frontier's reads
        for (boolean feasible : new boolean[] {true, false}) {
            c.group(feasible ? "tried" : "fails a constraint", feasible ? "#9aa4b1" : "#e3b5b5",
                    SvgScatterChart.Marker.DOT, 3, false);
            for (Evaluation e : r.evaluations()) {
                if (!frontier.contains(e) && r.feasible(e) == feasible) {
                    double yv = y == null ? e.candidate().index() : scale(y, e.median(y));
                    double xv = scale(x, e.median(x));
                    c.point(xv, yv, xv, xv, yv, yv, label(r, e, x, y));
                }
            }
        }
        c.group("frontier", "#1f77b4", SvgScatterChart.Marker.DOT, 4.5, y != null);
        for (Evaluation e : frontier) {
            point(c, r, e, x, y);
        }
        c.group("current", "#d62728", SvgScatterChart.Marker.SQUARE, 7, false);
        point(c, r, r.current(), x, y);
        if (rec.isPresent()) {
            c.group("recommended", "#2ca02c", SvgScatterChart.Marker.DIAMOND, 9, false);
            point(c, r, rec.get(), x, y);
        }
        return c.render();
    }

    private static void point(SvgScatterChart c, TuneResult r, Evaluation e, TuneMetric x, TuneMetric y) {
        String label = label(r, e, x, y);
        double yv = y == null ? e.candidate().index() : scale(y, e.median(y));
        double yLo = y == null ? yv : scale(y, e.min(y));
        double yHi = y == null ? yv : scale(y, e.max(y));
        c.point(scale(x, e.median(x)), yv, scale(x, e.min(x)), scale(x, e.max(x)), yLo, yHi, label);
    }

    private static String label(TuneResult r, Evaluation e, TuneMetric x, TuneMetric y) {
        return "#" + e.candidate().index() + " " + e.candidate().label(r.space()) + ": " + x.name() + " "
                + x.format(e.median(x)) + (y == null ? "" : ", " + y.name() + " " + y.format(e.median(y)));
    }

    private static double scale(TuneMetric m, double v) {
        return switch (m.unit()) {
            case FRACTION -> 100 * v;
            case SECONDS -> v / 60;
            default -> v;
        };
    }

    private static String axis(TuneMetric m) {
        String unit = switch (m.unit()) {
            case FRACTION -> ", %";
            case SECONDS -> ", minutes";
            default -> "";
        };
        return m.name() + unit + (m.higherIsBetter() ? " (higher is better)" : " (lower is better)");
    }
}
