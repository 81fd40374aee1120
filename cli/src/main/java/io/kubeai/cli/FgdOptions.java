package io.kubeai.cli;

import io.kubeai.core.placement.PlacementPolicies;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options shared by the FGD experiment commands. */
final class FgdOptions {
    @Option(names = "--policies", split = ",", paramLabel = "LIST",
            description = "Placement policies, comma-separated (default: all: ${DEFAULT-VALUE}).",
            defaultValue = "Random,DotProd,GpuClustering,GpuPacking,BestFit,FGD")
    List<String> policies;

    @Option(names = "--seeds", paramLabel = "SEEDS", converter = Seeds.class, defaultValue = "42..51",
            description = "Seeds, as a range or a list (default: ${DEFAULT-VALUE}).")
    List<Long> seeds;

    @Option(names = "--inflate", paramLabel = "RATIO", defaultValue = "1.3",
            description = "Tune the workload to RATIO × cluster GPUs (default: ${DEFAULT-VALUE}).")
    double inflate;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "Runs in parallel (default: one per core).")
    int threads;

    @Option(names = "--offline-seconds", paramLabel = "N", defaultValue = "0",
            description = "Also pack each workload offline (every pod known in advance) with Timefold for N seconds "
                    + "per workload, on the first seed's pods, and show it as the level the online policies approach "
                    + "(default: off).")
    int offlineSeconds;

    @Option(names = "--csv", paramLabel = "FILE",
            description = "Write one row per workload, policy, seed and arrived percentage.")
    Path csv;

    @Option(names = "--html", paramLabel = "FILE", defaultValue = "report.html",
            description = "Write the self-contained HTML report here (default: ${DEFAULT-VALUE}).")
    Path html;

    /** Canonical policy names, or an IllegalArgumentException naming the unknown one. */
    List<String> canonicalPolicies() {
        List<String> out = new ArrayList<>();
        for (String p : policies) {
            String c = PlacementPolicies.canonicalName(p);
            if (!out.contains(c)) {
                out.add(c);
            }
        }
        return out;
    }

    void validate() {
        if (!(inflate > 0) || inflate > 10) {
            throw new IllegalArgumentException("--inflate must be within (0, 10], was " + inflate);
        }
        if (offlineSeconds < 0) {
            throw new IllegalArgumentException("--offline-seconds must not be negative, was " + offlineSeconds);
        }
        if (threads < 0) {
            throw new IllegalArgumentException("--threads must not be negative, was " + threads);
        }
        canonicalPolicies();
    }
}
