package io.kubeai.cli;

import io.kubeai.core.config.SchedulingPolicy;
import io.kubeai.kube.PolicyFile;
import io.kubeai.quota.AdmissionController;
import io.kubeai.quota.QueueView;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kubeai queues}: the queue tree with min, max, used, borrowed, lent, lendable, pending. */
@Command(name = "queues", mixinStandardHelpOptions = true,
        description = "The queue tree: each queue's min (guarantee), max, what it uses, borrows, lends and could lend now, "
                + "and its admitted and pending workloads. Exit codes: 0 done; 1 bad input; 2 the cluster cannot be reached; "
                + "4 the queues are invalid.")
public final class QueuesCommand implements Callable<Integer> {
    @Mixin
    KubeOptions kube;

    @Option(names = "--config", paramLabel = "FILE", description = "SchedulingPolicy YAML (default: built-in defaults).")
    Path config;

    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table, json or yaml (default: ${DEFAULT-VALUE}).")
    OutputFormat output;

    @Option(names = "--resource", defaultValue = "nvidia.com/gpu",
            description = "The resource the table shows (default: ${DEFAULT-VALUE}); json and yaml show all.")
    String resource;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        SchedulingPolicy policy = config == null ? SchedulingPolicy.DEFAULT : PolicyFile.load(config);
        PrintWriter out = spec.commandLine().getOut();
        try (LiveCluster live = new LiveCluster(kube.client(), policy, Duration.ofSeconds(30))) {
            java.util.Optional<AdmissionController.Snapshot> s = live.controller.snapshot(Instant.now().getEpochSecond());
            if (s.isEmpty()) {
                spec.commandLine().getErr().println("kubeai: the queues are invalid; the controller admits nothing until "
                        + "they are fixed (see its log or kubectl describe queues)");
                return 4;
            }
            List<QueueView.Row> rows = QueueView.rows(s.get());
            if (output != OutputFormat.table) {
                out.println(output.render(rows));
            } else {
                table(out, rows, resource);
            }
            out.flush();
            return 0;
        }
    }

    static void table(PrintWriter out, List<QueueView.Row> rows, String resource) {
        String[] head = {"QUEUE", "MIN", "MAX", "USED", "BORROWED", "LENT", "LENDABLE", "ADMITTED", "PENDING", "WINDOW"};
        List<String[]> cells = new java.util.ArrayList<>();
        cells.add(head);
        for (QueueView.Row r : rows) {
            cells.add(new String[] {"  ".repeat(r.depth()) + r.name(), get(r.min(), resource, "0"),
                    get(r.max(), resource, "-"), get(r.used(), resource, "0"), get(r.borrowed(), resource, "0"),
                    get(r.lent(), resource, "0"), get(r.lendable(), resource, "0"), String.valueOf(r.admittedWorkloads()),
                    String.valueOf(r.pendingWorkloads()), r.window() == null ? "-" : r.window()});
        }
        int[] width = new int[head.length];
        for (String[] row : cells) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        for (String[] row : cells) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                // Names and the window read left to right; numbers are right-aligned.
                sb.append(i == 0 ? String.format("%-" + width[i] + "s", row[i])
                        : i == row.length - 1 ? "  " + row[i] : String.format("  %" + width[i] + "s", row[i]));
            }
            out.println(sb.toString().stripTrailing());
        }
        out.println("(" + resource + "; min, used and borrowed include children; lent: this queue's share of what its "
                + "siblings borrow; lendable: its unused min)");
    }

    private static String get(Map<String, String> m, String r, String dflt) {
        return m.getOrDefault(r, dflt);
    }

    static String join(Map<String, String> m) {
        return m.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }
}
