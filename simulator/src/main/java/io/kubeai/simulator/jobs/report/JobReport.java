package io.kubeai.simulator.jobs.report;

import io.kubeai.simulator.jobs.metrics.JobMetrics;
import io.kubeai.simulator.jobs.metrics.JobRecord;
import io.kubeai.simulator.jobs.metrics.Percentiles;
import io.kubeai.simulator.jobs.metrics.TimeSeries;
import io.kubeai.simulator.jobs.scheduler.SchedulerKubeAi;
import io.kubeai.simulator.jobs.scheduler.SchedulerKubeDefault;
import io.kubeai.simulator.jobs.scheduler.SchedulerKueueLike;
import io.kubeai.simulator.jobs.scheduler.SchedulerVolcanoLike;
import io.kubeai.simulator.report.Html;
import io.kubeai.simulator.report.SvgLineChart;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * What a job-simulation comparison prints and writes: the console summary (one row per
 * scheduler), the per-job CSV, and a self-contained HTML report (inline SVG charts, nothing
 * fetched).
 */
public final class JobReport {
    /** Charts keep at most this many points per line; longer series are thinned evenly. */
    static final int MAX_POINTS = 1500;
    /** Per-queue charts show the queues with the largest values, at most this many. */
    static final int MAX_QUEUES_PER_CHART = 8;

    private JobReport() {
    }

    /** One row per scheduler: jobs done, deadlocks, queueing delay p50/p95/p99, mean GPU allocation, preemptions. */
    public static String summaryTable(List<JobMetrics> runs) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-13s %9s %9s %9s %9s %8s %8s %8s %8s %8s %7s %7s %8s %9s%n",
                "scheduler", "done", "unfinish", "timeouts", "deadlock", "wait p50", "wait p95", "wait p99",
                "jct p50", "jct p95", "alloc%", "frag%", "preempt", "jobs/day"));
        for (JobMetrics m : runs) {
            Percentiles wait = m.queueingDelay();
            Percentiles jct = m.completionTime();
            sb.append(String.format(Locale.ROOT, "%-13s %9d %9d %9d %9d %8s %8s %8s %8s %8s %7.1f %7.1f %8d %9.0f%n",
                    m.scheduler(), m.jobsDone(), m.jobsUnfinished(), m.timeouts(), m.deadlocks(),
                    duration(wait.p50()), duration(wait.p95()), duration(wait.p99()), duration(jct.p50()),
                    duration(jct.p95()), 100 * m.meanAllocation(), 100 * m.meanFragmentation(), m.evictions(),
                    m.jobsPerDay()));
        }
        return sb.toString();
    }

    /** One row per scheduler and job. */
    public static void writeCsv(Path file, List<JobMetrics> runs) {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("scheduler,job,queue,tier,priority,pods,gpu_milli_per_pod,submit_s,duration_s,first_admit_s,"
                    + "first_start_s,end_s,outcome,started,queueing_delay_s,completion_s,starts,restarts,evictions,"
                    + "wasted_gpu_h,held_idle_gpu_h,deadlocked,deadlocked_at_s\n");
            for (JobMetrics m : runs) {
                for (JobRecord j : m.jobs()) {
                    out.write(String.format(Locale.ROOT, "%s,%s,%s,%s,%d,%d,%d,%d,%d,%d,%d,%d,%s,%b,%d,%d,%d,%d,%d,%.4f,%.4f,%b,%d%n",
                            csv(m.scheduler()), csv(j.id()), csv(j.queue()), csv(j.tier()), j.priority(), j.pods(),
                            j.gpuMillisPerPod(), j.submitSeconds(), j.durationSeconds(), j.firstAdmitSeconds(),
                            j.firstStartSeconds(), j.endSeconds(), j.outcome(), j.started(), j.queueingDelaySeconds(),
                            j.completionSeconds(), j.starts(), j.restarts(), j.evictions(), j.wastedGpuSeconds() / 3600,
                            j.heldIdleGpuSeconds() / 3600, j.deadlocked(), j.deadlockedAtSeconds()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public static void writeHtml(Path file, List<JobMetrics> runs, String command, String environment) {
        try {
            Files.writeString(file, html(runs, command, environment), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The self-contained page: summary, charts over time, percentile and fairness tables, what each baseline models. */
    public static String html(List<JobMetrics> runs, String command, String environment) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>KubeAI simulate: jobs</title>\n<style>")
                .append("body{font-family:sans-serif;margin:2em;max-width:1150px}")
                .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;")
                .append("text-align:right}th{background:#f4f4f4}td:first-child,th:first-child{text-align:left}")
                .append("code{background:#f4f4f4;padding:1px 4px}</style></head><body>\n");
        h.append("<h1>Jobs: queues, quotas and gangs under four schedulers</h1>\n");
        if (!runs.isEmpty()) {
            JobMetrics first = runs.get(0);
            h.append(String.format(Locale.ROOT, "<p>%d jobs on %s GPUs, placement %s, seed %d; simulated span %s.</p>%n",
                    first.jobs().size(), gpus(first.clusterGpuMillis()), Html.escape(first.placementPolicy()),
                    first.seed(), duration(first.endSeconds() - first.startSeconds())));
        }
        h.append("<p>Command: <code>").append(Html.escape(command)).append("</code><br>")
                .append(Html.escape(environment)).append("</p>\n");

        h.append("<h2>Summary</h2>\n<table><tr><th>scheduler</th><th>done</th><th>unfinished</th><th>timeouts</th>")
                .append("<th>deadlocked gangs</th><th>wait p50</th><th>wait p95</th><th>wait p99</th><th>JCT p50</th>")
                .append("<th>JCT p95</th><th>JCT p99</th><th>GPU alloc % while jobs arrive</th><th>GPU alloc % whole run</th><th>mean frag %</th>")
                .append("<th>evictions</th><th>wasted GPU-h</th><th>held idle GPU-h</th><th>jobs/day</th>")
                .append("<th>run s</th></tr>\n");
        for (JobMetrics m : runs) {
            Percentiles w = m.queueingDelay();
            Percentiles c = m.completionTime();
            h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%d</td><td>%d</td><td>%d</td><td>%d</td><td>%s</td>"
                    + "<td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%.1f</td><td>%.1f</td><td>%.1f</td><td>%d</td>"
                    + "<td>%.1f</td><td>%.1f</td><td>%.0f</td><td>%.1f</td></tr>%n",
                    Html.escape(m.scheduler()), m.jobsDone(), m.jobsUnfinished(), m.timeouts(), m.deadlocks(),
                    duration(w.p50()), duration(w.p95()), duration(w.p99()), duration(c.p50()), duration(c.p95()),
                    duration(c.p99()), 100 * m.meanAllocation(), 100 * m.meanAllocationWholeRun(),
                    100 * m.meanFragmentation(), m.evictions(),
                    m.wastedGpuHours(), m.heldIdleGpuHours(), m.jobsPerDay(), m.wallNanos() / 1e9));
        }
        h.append("</table>\n<p>Waiting time (queueing delay) is first start − submission; a job that never started ")
                .append("counts with how long it had waited when the run ended, so stuck jobs are not left out. ")
                .append("JCT is end − submission of completed jobs. A deadlocked gang holds some of its pods with ")
                .append("no way to get the rest; held idle GPU-hours are what partially placed gangs held while ")
                .append("they could not run; wasted GPU-hours are progress lost to evictions.</p>\n");

        h.append("<h2>Over time</h2>\n");
        h.append(chart("GPU allocation", "allocated, % of cluster GPUs", runs,
                m -> scale(m.series().gpuAllocation(), 100)).yRange(0, 100).render());
        h.append(chart("GPU fragmentation", "fragmented, % of cluster GPUs", runs,
                m -> scale(m.series().gpuFragmentation(), 100)).render());
        h.append(chart("Queue length", "pending jobs", runs, m -> toDouble(m.series().pendingJobs())).render());
        h.append(chart("Capacity borrowed beyond guarantees", "GPUs borrowed, all leaf queues", runs,
                m -> leafSum(m, m.series().borrowedGpuMillisByQueue(), 1000.0)).render());
        h.append(chart("GPUs held by gangs that cannot run yet", "GPUs", runs,
                m -> scale(toDouble(m.series().partialHeldGpuMillis()), 0.001)).render());
        for (JobMetrics m : runs) {
            h.append(queueChart(m, "Queue length by queue — " + m.scheduler(), "pending jobs",
                    toDouble(m.series().pendingJobsByQueue()), 1));
            h.append(queueChart(m, "GPUs borrowed by queue — " + m.scheduler(), "GPUs",
                    toDouble(m.series().borrowedGpuMillisByQueue()), 0.001));
        }

        h.append("<h2>By tier</h2>\n");
        h.append(percentileTable("Queueing delay", runs, JobMetrics::queueingDelayByTier));
        h.append(percentileTable("Job completion time", runs, JobMetrics::completionTimeByTier));
        h.append("<h2>By queue</h2>\n");
        h.append(percentileTable("Queueing delay", runs, JobMetrics::queueingDelayByQueue));
        h.append(percentileTable("Job completion time", runs, JobMetrics::completionTimeByQueue));

        h.append("<h2>Fairness</h2>\n<p>Each queue's GPU held on nodes, averaged over the run, against its ")
                .append("entitlement (its guaranteed min), both as % of the cluster's GPUs.</p>\n<table><tr>")
                .append("<th>queue</th><th>entitlement %</th>");
        for (JobMetrics m : runs) {
            h.append("<th>").append(Html.escape(m.scheduler())).append(" share %</th>");
        }
        h.append("</tr>\n");
        if (!runs.isEmpty()) {
            List<JobMetrics.Fairness> base = runs.get(0).fairness();
            for (int q = 0; q < base.size(); q++) {
                h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%.2f</td>", Html.escape(base.get(q).queue()),
                        100 * base.get(q).entitlement()));
                for (JobMetrics m : runs) {
                    h.append(String.format(Locale.ROOT, "<td>%.2f</td>", 100 * m.fairness().get(q).averageShare()));
                }
                h.append("</tr>\n");
            }
        }
        h.append("</table>\n");

        h.append("<h2>Jobs completed per simulated day</h2>\n<table><tr><th>day</th>");
        int days = 0;
        for (JobMetrics m : runs) {
            h.append("<th>").append(Html.escape(m.scheduler())).append("</th>");
            days = Math.max(days, m.completedPerDay().length);
        }
        h.append("</tr>\n");
        for (int d = 0; d < days; d++) {
            h.append("<tr><td>").append(d).append("</td>");
            for (JobMetrics m : runs) {
                long[] per = m.completedPerDay();
                h.append("<td>").append(d < per.length ? per[d] : 0).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");

        h.append("<h2>What each scheduler models</h2>\n<ul>")
                .append("<li><b>").append(SchedulerKubeAi.NAME).append("</b>: ours, core's scheduling cycle: ")
                .append("hierarchical quota with borrowing and reclaim, all-or-nothing gangs, gang-aware preemption.</li>")
                .append("<li><b>").append(SchedulerKubeDefault.NAME).append("</b>: kube-scheduler alone, pod by pod in ")
                .append("priority-then-FIFO order, no quota, no gang. Leaves out priority preemption, backoff timing, ")
                .append("other plugins' filters and scores.</li>")
                .append("<li><b>").append(SchedulerKueueLike.NAME).append("</b>: whole-job quota admission per queue ")
                .append("in strict FIFO with the same quotas and borrowing, then pods placed one by one. Leaves out ")
                .append("preemption and reclaim, fair sharing, flavors, waitForPodsReady.</li>")
                .append("<li><b>").append(SchedulerVolcanoLike.NAME).append("</b>: all-or-nothing gangs, queues ordered ")
                .append("by share of a deserved capacity proportional to weight, reclaim from queues above their ")
                .append("share. Leaves out water-filling by demand, priority preemption within a queue, task-level ")
                .append("eviction, backfill.</li></ul>\n");
        h.append("</body></html>\n");
        return h.toString();
    }

    private static SvgLineChart chart(String title, String yLabel, List<JobMetrics> runs,
            Function<JobMetrics, double[]> values) {
        SvgLineChart c = new SvgLineChart(title, "simulated hours", yLabel);
        for (JobMetrics m : runs) {
            c.series(m.scheduler(), thin(hours(m)), thin(values.apply(m)));
        }
        return c;
    }

    private static String queueChart(JobMetrics m, String title, String yLabel, double[][] perQueue, double scale) {
        TimeSeries s = m.series();
        List<Integer> leaves = new ArrayList<>();
        for (int q = 0; q < s.queues().size(); q++) {
            if (isLeaf(m, q)) {
                leaves.add(q);
            }
        }
        // The queues with the largest peaks, then by name.
        leaves.sort(Comparator.comparingDouble((Integer q) -> -max(perQueue[q])).thenComparing(q -> s.queues().get(q)));
        SvgLineChart c = new SvgLineChart(title, "simulated hours", yLabel);
        double[] x = thin(hours(m));
        int shown = 0;
        for (int q : leaves) {
            if (shown == MAX_QUEUES_PER_CHART || max(perQueue[q]) <= 0) {
                break;
            }
            c.series(s.queues().get(q), x, thin(scale(perQueue[q], scale)));
            shown++;
        }
        return shown == 0 ? "" : c.render();
    }

    private static String percentileTable(String title, List<JobMetrics> runs,
            Function<JobMetrics, Map<String, Percentiles>> groups) {
        TreeSet<String> keys = new TreeSet<>();
        List<Map<String, Percentiles>> maps = new ArrayList<>();
        for (JobMetrics m : runs) {
            Map<String, Percentiles> g = groups.apply(m);
            maps.add(g);
            keys.addAll(g.keySet());
        }
        StringBuilder h = new StringBuilder();
        h.append("<h3>").append(Html.escape(title)).append("</h3>\n<table><tr><th></th>");
        for (JobMetrics m : runs) {
            h.append("<th colspan=\"4\">").append(Html.escape(m.scheduler())).append("</th>");
        }
        h.append("</tr>\n<tr><th></th>");
        for (int i = 0; i < runs.size(); i++) {
            h.append("<th>n</th><th>p50</th><th>p95</th><th>p99</th>");
        }
        h.append("</tr>\n");
        for (String k : keys) {
            h.append("<tr><td>").append(Html.escape(k)).append("</td>");
            for (Map<String, Percentiles> g : maps) {
                Percentiles p = g.getOrDefault(k, Percentiles.EMPTY);
                h.append("<td>").append(p.count()).append("</td><td>").append(duration(p.p50())).append("</td><td>")
                        .append(duration(p.p95())).append("</td><td>").append(duration(p.p99())).append("</td>");
            }
            h.append("</tr>\n");
        }
        return h.append("</table>\n").toString();
    }

    private static boolean isLeaf(JobMetrics m, int q) {
        return m.leafQueue()[q];
    }

    private static double[] leafSum(JobMetrics m, long[][] perQueue, double divisor) {
        double[] out = new double[m.series().size()];
        for (int q = 0; q < perQueue.length; q++) {
            if (isLeaf(m, q)) {
                for (int i = 0; i < out.length; i++) {
                    out[i] += perQueue[q][i] / divisor;
                }
            }
        }
        return out;
    }

    private static double[] hours(JobMetrics m) {
        long[] t = m.series().timesSeconds();
        double[] out = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            out[i] = t[i] / 3600.0;
        }
        return out;
    }

    /** Every k-th point (and the last) so that at most {@link #MAX_POINTS} remain. */
    static double[] thin(double[] v) {
        if (v.length <= MAX_POINTS) {
            return v;
        }
        int k = (v.length + MAX_POINTS - 2) / (MAX_POINTS - 1);
        int n = (v.length - 1) / k + 1;
        boolean lastIncluded = (v.length - 1) % k == 0;
        double[] out = new double[lastIncluded ? n : n + 1];
        for (int i = 0; i < n; i++) {
            out[i] = v[i * k];
        }
        if (!lastIncluded) {
            out[n] = v[v.length - 1];
        }
        return out;
    }

    private static double[] scale(double[] v, double f) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] * f;
        }
        return out;
    }

    private static double[] toDouble(int[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    private static double[] toDouble(long[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    private static double[][] toDouble(int[][] v) {
        double[][] out = new double[v.length][];
        for (int i = 0; i < v.length; i++) {
            out[i] = toDouble(v[i]);
        }
        return out;
    }

    private static double[][] toDouble(long[][] v) {
        double[][] out = new double[v.length][];
        for (int i = 0; i < v.length; i++) {
            out[i] = toDouble(v[i]);
        }
        return out;
    }

    private static double max(double[] v) {
        double m = 0;
        for (double d : v) {
            m = Math.max(m, d);
        }
        return m;
    }

    private static String gpus(long millis) {
        return millis % 1000 == 0 ? String.valueOf(millis / 1000) : String.format(Locale.ROOT, "%.1f", millis / 1000.0);
    }

    /** A duration as people read it: {@code 45s}, {@code 12m}, {@code 3.5h}, {@code 2.1d}; {@code -} for none. */
    static String duration(double seconds) {
        if (Double.isNaN(seconds)) {
            return "-";
        }
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.0fs", seconds);
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%.0fm", seconds / 60);
        }
        if (seconds < 86_400) {
            return String.format(Locale.ROOT, "%.1fh", seconds / 3600);
        }
        return String.format(Locale.ROOT, "%.1fd", seconds / 86_400);
    }

    private static String csv(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
