package io.kubeai.cli;

import io.kubeai.core.config.SchedulingPolicy;
import io.kubeai.kube.PolicyFile;
import io.kubeai.quota.Explainer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kubeai explain NAMESPACE/POD|NAMESPACE/PODGROUP}: why it is pending, in plain words. */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "Why a pod or PodGroup is pending: its place in its queue, its queue's quota against what it asks, "
                + "how much of it fits the nodes now, its decision in the next cycle, and what would have to leave. "
                + "Exit codes: 0 found; 1 bad input; 2 the cluster cannot be reached; 3 no gated or admitted workload "
                + "has that name.")
public final class ExplainCommand implements Callable<Integer> {
    @Parameters(paramLabel = "NAMESPACE/NAME", description = "A pod, or a gang (PodGroup) name.")
    String target;

    @Mixin
    KubeOptions kube;

    @Option(names = "--config", paramLabel = "FILE", description = "SchedulingPolicy YAML (default: built-in defaults).")
    Path config;

    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table, json or yaml (default: ${DEFAULT-VALUE}).")
    OutputFormat output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (!target.contains("/")) {
            throw new IllegalArgumentException("expected NAMESPACE/NAME, found \"" + target + "\"");
        }
        SchedulingPolicy policy = config == null ? SchedulingPolicy.DEFAULT : PolicyFile.load(config);
        PrintWriter out = spec.commandLine().getOut();
        try (LiveCluster live = new LiveCluster(kube.client(), policy, Duration.ofSeconds(30))) {
            Optional<Explainer.Explanation> e = Explainer.explain(live.controller, target, Instant.now().getEpochSecond());
            if (e.isEmpty()) {
                spec.commandLine().getErr().println("kubeai: no gated or admitted workload named " + target
                        + " (pods must carry the scheduling gate kubeai.io/admission to be queued)");
                return 3;
            }
            if (output != OutputFormat.table) {
                out.println(output.render(e.get()));
            } else {
                print(out, e.get());
            }
            out.flush();
            return 0;
        }
    }

    static void print(PrintWriter out, Explainer.Explanation e) {
        out.printf("%-16s %s%n", "Workload:", e.workload());
        out.printf("%-16s %s%n", "Queue:", e.queue());
        out.printf("%-16s %s%n", "State:", e.state());
        if (!e.queuePosition().isEmpty()) {
            out.printf("%-16s %s%n", "Position:", e.queuePosition());
        }
        out.printf("%-16s %s%n", "Next cycle:", e.decision() + (e.reason().isEmpty() ? "" : ": " + e.reason()));
        if (!e.placement().isEmpty()) {
            out.printf("%-16s %s%n", "Placement:", e.placement());
        }
        boolean first = true;
        for (Map.Entry<String, String> q : e.quota().entrySet()) {
            out.printf("%-16s %s: %s%n", first ? "Quota:" : "", q.getKey(), q.getValue());
            first = false;
        }
        if (!e.quotaLimit().isEmpty()) {
            out.printf("%-16s %s%n", "Quota check:", e.quotaLimit());
        }
        first = true;
        for (String v : e.wouldPreempt()) {
            out.printf("%-16s %s%n", first ? "To run now:" : "", v);
            first = false;
        }
    }
}
