package io.kubeai.cli;

import io.kubeai.simulator.fgd.FgdExperiment;
import io.kubeai.simulator.fgd.FgdResults;
import io.kubeai.simulator.fgd.FgdWorkload;
import io.kubeai.simulator.fgd.PublishedMedians;
import io.kubeai.simulator.report.FgdReport;
import io.kubeai.simulator.offline.OfflinePacking;
import io.kubeai.simulator.offline.OfflineResult;
import java.io.PrintWriter;
import java.time.Duration;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;

/** Runs an FGD experiment from the command line: progress, table, CSV, HTML. */
final class FgdRunner {
    private FgdRunner() {
    }

    static FgdResults run(List<FgdWorkload> workloads, FgdOptions o, String command, CommandLine cmd) {
        PrintWriter out = cmd.getOut();
        PrintWriter err = cmd.getErr();
        FgdExperiment.Spec spec = new FgdExperiment.Spec(workloads, o.canonicalPolicies(), o.seeds, o.inflate, o.threads);
        err.printf(Locale.ROOT, "Running %d workload(s) × %d policies × %d seeds = %d runs on %d thread(s)%n",
                workloads.size(), spec.policies().size(), spec.seeds().size(), spec.runs(),
                o.threads > 0 ? o.threads : Runtime.getRuntime().availableProcessors());
        FgdResults results = FgdExperiment.run(spec, new ProgressLine(err, System.console() != null));
        FgdReport report = new FgdReport(results, PublishedMedians.load());
        if (o.offlineSeconds > 0) {
            long seed = spec.seeds().get(0);
            for (FgdWorkload w : workloads) {
                err.printf(Locale.ROOT, "Packing %s offline (seed %d) for %d s...%n", w.name(), seed, o.offlineSeconds);
                err.flush();
                OfflineResult r = OfflinePacking.solve(w, seed, o.inflate, Duration.ofSeconds(o.offlineSeconds));
                report.withReference(new FgdReport.ReferenceLine(w.name(), "Offline (Timefold)", r.allocationPercent(),
                        String.format(Locale.ROOT, "all %d pods of seed %d known in advance, %d placed, %s, "
                                + "greedy start %.2f %%, %.0f s", r.podsTotal(), seed, r.podsPlaced(),
                                r.verified() ? "verified by replay" : "NOT verified", r.greedyAllocationPercent(),
                                r.solveTime().toMillis() / 1000.0)));
            }
        }
        out.print(report.table());
        out.flush();
        String environment = environment(results);
        out.println();
        out.println(environment);
        if (o.csv != null) {
            report.writeCsv(o.csv);
            out.println("CSV:  " + o.csv.toAbsolutePath());
        }
        if (o.html != null) {
            report.writeHtml(o.html, command, environment);
            out.println("HTML: " + o.html.toAbsolutePath());
        }
        out.flush();
        return results;
    }

    static String environment(FgdResults results) {
        return String.format(Locale.ROOT,
                "%d runs in %.1f s wall on %d thread(s) (%d cores); peak heap used %.0f MiB of %.0f MiB max; Java %s",
                results.runs().size(), results.wallNanos() / 1e9, results.threads(),
                Runtime.getRuntime().availableProcessors(), peakHeapMiB(), Runtime.getRuntime().maxMemory() / 1048576.0,
                System.getProperty("java.version"));
    }

    /** Sum of the peak usage of every heap pool since start: an upper bound of the peak heap in use. */
    static double peakHeapMiB() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum / 1048576.0;
    }
}
