package io.kubeai.simulator.report;

import io.kubeai.simulator.fgd.ArrivalCurve;
import io.kubeai.simulator.fgd.FgdResults;
import io.kubeai.simulator.fgd.FgdResults.Metric;
import io.kubeai.simulator.fgd.FgdRunResult;
import io.kubeai.simulator.fgd.PublishedMedians;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * What an FGD experiment prints and writes: the table of medians beside the published ones, the
 * list of deviations, the per-run CSV, and a self-contained HTML report with inline SVG charts.
 */
public final class FgdReport {
    /** The arrived loads the table shows. */
    public static final int[] TABLE_PERCENTS = {90, 100, 130};

    private final FgdResults results;
    private final PublishedMedians published;
    private final List<ReferenceLine> references = new ArrayList<>();

    /** A level drawn across the allocation chart (the offline packing), with how it was obtained. */
    public record ReferenceLine(String workload, String label, double allocationPercent, String detail) {
    }

    /** One of our medians beside a published one. */
    public record Deviation(String workload, String policy, int arrivedPercent, double ours, double published) {
        public double delta() {
            return ours - published;
        }

        public boolean withinTolerance() {
            return Math.abs(delta()) <= PublishedMedians.TOLERANCE_POINTS + 1e-9;
        }
    }

    public FgdReport(FgdResults results, PublishedMedians published) {
        this.results = results;
        this.published = published;
    }

    public FgdReport withReference(ReferenceLine line) {
        references.add(line);
        return this;
    }

    /** Every median of ours that has a published counterpart. */
    public List<Deviation> deviations() {
        List<Deviation> out = new ArrayList<>();
        for (String w : results.workloads()) {
            for (String p : results.policies()) {
                for (int pct : TABLE_PERCENTS) {
                    OptionalDouble pub = published.allocation(w, p, pct);
                    if (pub.isPresent()) {
                        out.add(new Deviation(w, p, pct, results.median(w, p, Metric.ALLOCATION, pct), pub.getAsDouble()));
                    }
                }
            }
        }
        return out;
    }

    /** The console table: per workload and policy, median allocation (published) and fragmentation. */
    public String table() {
        StringBuilder sb = new StringBuilder();
        for (String w : results.workloads()) {
            sb.append(String.format(Locale.ROOT, "%n%s  (median of %d seeds, tune %.2f)%n", w,
                    results.seeds().size(), results.inflate()));
            sb.append(String.format(Locale.ROOT, "%-14s %-34s %-22s %s%n", "",
                    "GPU allocation % at arrived 90/100/130", "fragmented GPU %", "run ms"));
            sb.append(String.format(Locale.ROOT, "%-14s %-34s %-22s%n", "policy", "ours (published)", "90/100/130"));
            for (String p : results.policies()) {
                StringBuilder alloc = new StringBuilder();
                StringBuilder frag = new StringBuilder();
                for (int pct : TABLE_PERCENTS) {
                    double ours = results.median(w, p, Metric.ALLOCATION, pct);
                    OptionalDouble pub = published.allocation(w, p, pct);
                    alloc.append(String.format(Locale.ROOT, "%6.2f", ours));
                    alloc.append(pub.isPresent() ? String.format(Locale.ROOT, " (%5.2f)", pub.getAsDouble()) : "        ");
                    frag.append(String.format(Locale.ROOT, "%6.2f", results.median(w, p, Metric.FRAGMENTATION, pct)));
                }
                sb.append(String.format(Locale.ROOT, "%-14s %-34s %-22s %6.0f%n", p, alloc.toString().strip(),
                        frag.toString().strip(), results.medianRunMillis(w, p)));
            }
            for (ReferenceLine r : references) {
                if (r.workload().equals(w)) {
                    sb.append(String.format(Locale.ROOT, "%-14s %6.2f at the end   %s%n", r.label(), r.allocationPercent(),
                            r.detail()));
                }
            }
        }
        List<Deviation> devs = deviations();
        if (!devs.isEmpty()) {
            long outside = devs.stream().filter(d -> !d.withinTolerance()).count();
            double worst = devs.stream().mapToDouble(d -> Math.abs(d.delta())).max().orElse(0);
            sb.append(String.format(Locale.ROOT,
                    "%n%d of %d published medians reproduced within %.1f points (largest deviation %.2f)%n",
                    devs.size() - outside, devs.size(), PublishedMedians.TOLERANCE_POINTS, worst));
            for (Deviation d : devs) {
                if (!d.withinTolerance()) {
                    sb.append(String.format(Locale.ROOT, "  outside: %s %s at %d %%: %.2f vs %.2f (%+.2f)%n",
                            d.workload(), d.policy(), d.arrivedPercent(), d.ours(), d.published(), d.delta()));
                }
            }
        }
        return sb.toString();
    }

    /** One row per workload, policy, seed and arrived percentage. */
    public void writeCsv(Path file) {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("workload,policy,seed,arrived_pct,alloc_pct,frag_total_pct,frag_rate_pct\n");
            for (FgdRunResult r : results.runs()) {
                for (int p = 0; p <= ArrivalCurve.MAX_PERCENT; p++) {
                    out.write(String.format(Locale.ROOT, "%s,%s,%d,%d,%s,%s,%s%n", r.workload(), r.policy(), r.seed(), p,
                            num(r.allocationPercent()[p]), num(r.fragmentationPercent()[p]),
                            num(r.fragmentationRatePercent()[p])));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** A self-contained page: tables, charts, deviations and how the run was made. */
    public void writeHtml(Path file, String command, String environment) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>KubeAI simulate: FGD placement experiment</title>\n<style>")
                .append("body{font-family:sans-serif;margin:2em;max-width:1100px}")
                .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;")
                .append("text-align:right}th{background:#f4f4f4}td:first-child,th:first-child{text-align:left}")
                .append(".bad{color:#b00;font-weight:bold}.ok{color:#070}code{background:#f4f4f4;padding:1px 4px}")
                .append("</style></head><body>\n");
        h.append("<h1>GPU placement: the FGD experiments</h1>\n");
        h.append("<p>Each pod of the workload arrives once, in a seeded random order, tuned to ")
                .append(String.format(Locale.ROOT, "%.2f", results.inflate()))
                .append(" × the cluster's GPUs; pods never leave. Figures are medians over seeds ")
                .append(Html.escape(results.seeds().toString()))
                .append(". Published figures: the FGD artifact (Weng et al., USENIX ATC '23).</p>\n");
        h.append("<p>Command: <code>").append(Html.escape(command)).append("</code><br>")
                .append(Html.escape(environment)).append("</p>\n");
        List<Deviation> devs = deviations();
        if (!devs.isEmpty()) {
            long outside = devs.stream().filter(d -> !d.withinTolerance()).count();
            h.append("<h2>Reproduction</h2><p class=\"").append(outside == 0 ? "ok" : "bad").append("\">")
                    .append(devs.size() - outside).append(" of ").append(devs.size())
                    .append(" published medians reproduced within ")
                    .append(PublishedMedians.TOLERANCE_POINTS).append(" percentage points.</p>\n");
            h.append("<table><tr><th>workload</th><th>policy</th><th>arrived %</th><th>ours</th><th>published</th>")
                    .append("<th>Δ</th></tr>\n");
            for (Deviation d : devs) {
                h.append(String.format(Locale.ROOT,
                        "<tr><td>%s</td><td>%s</td><td>%d</td><td>%.2f</td><td>%.2f</td><td class=\"%s\">%+.2f</td></tr>%n",
                        Html.escape(d.workload()), Html.escape(d.policy()), d.arrivedPercent(), d.ours(), d.published(),
                        d.withinTolerance() ? "ok" : "bad", d.delta()));
            }
            h.append("</table>\n");
        }
        double[] x = new double[ArrivalCurve.MAX_PERCENT + 1];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        for (String w : results.workloads()) {
            h.append("<h2>").append(Html.escape(w)).append("</h2>\n");
            h.append("<table><tr><th>policy</th>");
            for (int pct : TABLE_PERCENTS) {
                h.append("<th>alloc @").append(pct).append("%</th>");
            }
            for (int pct : TABLE_PERCENTS) {
                h.append("<th>frag @").append(pct).append("%</th>");
            }
            h.append("<th>pods placed (median)</th><th>run ms (median)</th></tr>\n");
            SvgLineChart alloc = new SvgLineChart("GPU allocation — " + w, "arrived GPU request, % of cluster GPUs",
                    "allocated, % of cluster GPUs");
            SvgLineChart frag = new SvgLineChart("Fragmented GPU — " + w, "arrived GPU request, % of cluster GPUs",
                    "fragmented, % of cluster GPUs");
            for (String p : results.policies()) {
                h.append("<tr><td>").append(Html.escape(p)).append("</td>");
                for (int pct : TABLE_PERCENTS) {
                    OptionalDouble pub = published.allocation(w, p, pct);
                    h.append(String.format(Locale.ROOT, "<td>%.2f%s</td>", results.median(w, p, Metric.ALLOCATION, pct),
                            pub.isPresent() ? String.format(Locale.ROOT, " (%.2f)", pub.getAsDouble()) : ""));
                }
                for (int pct : TABLE_PERCENTS) {
                    h.append(String.format(Locale.ROOT, "<td>%.2f</td>", results.median(w, p, Metric.FRAGMENTATION, pct)));
                }
                List<FgdRunResult> runs = results.runsOf(w, p);
                double[] placed = runs.stream().mapToDouble(FgdRunResult::podsPlaced).sorted().toArray();
                h.append(String.format(Locale.ROOT, "<td>%.0f of %d</td><td>%.0f</td></tr>%n",
                        placed.length == 0 ? 0 : placed[placed.length / 2], runs.isEmpty() ? 0 : runs.get(0).podsArrived(),
                        results.medianRunMillis(w, p)));
                alloc.series(p, x, results.medianCurve(w, p, Metric.ALLOCATION));
                frag.series(p, x, results.medianCurve(w, p, Metric.FRAGMENTATION));
            }
            h.append("</table>\n");
            for (ReferenceLine r : references) {
                if (r.workload().equals(w)) {
                    double[] level = new double[x.length];
                    java.util.Arrays.fill(level, r.allocationPercent());
                    alloc.series(r.label(), x, level);
                    h.append("<p>").append(Html.escape(r.label())).append(": ")
                            .append(String.format(Locale.ROOT, "%.2f", r.allocationPercent()))
                            .append(" % of cluster GPUs allocated; ").append(Html.escape(r.detail())).append("</p>\n");
                }
            }
            h.append(alloc.render()).append(frag.render());
        }
        h.append("<p>Fragmented GPU: free milli-GPU that the workload's typical pods cannot use, weighted by how often ")
                .append("each occurs (FGD's measure). Allocation and fragmentation are averaged over the pods whose ")
                .append("arrived request rounds to each percentage, as in the artifact's analysis.</p>\n");
        h.append("</body></html>\n");
        try {
            Files.writeString(file, h.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.2f", v);
    }
}
