package io.kubeai.cli;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kubeai.core.config.SchedulingPolicy;
import io.kubeai.core.queue.QueueTree;
import io.kubeai.kube.PolicyFile;
import io.kubeai.quota.AdmissionController;
import io.kubeai.quota.WorkloadDurations;
import io.kubeai.simulator.whatif.WhatIfReplay;
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
import picocli.CommandLine.Spec;

/** {@code kubeai what-if}: the cluster's pending work replayed under the current and a proposed policy. */
@Command(name = "what-if", mixinStandardHelpOptions = true,
        description = {"Replay the cluster's pending work from its running work through the scheduling cycle, under "
                + "the current policy and, with --proposed or --proposed-queues, a proposed one: when each pending "
                + "workload would be admitted, or why it would still wait at the horizon. Nothing is written.",
            "How long work runs comes from the annotation kubeai.io/expected-duration on the PodGroup or its pods, "
                + "else the pods' activeDeadlineSeconds, else --assume-duration.",
            "Exit codes: 0 done; 1 bad input (a flag, or a policy or queue file: the message names the file and "
                + "field); 2 the cluster cannot be reached; 3 the proposal leaves unadmitted a workload that the "
                + "current policy admits by the horizon."})
public final class WhatIfCommand implements Callable<Integer> {
    static final int BAD_INPUT = 1;
    static final int UNREACHABLE = 2;
    static final int REGRESSION = 3;

    @Mixin
    KubeOptions kube;

    @Option(names = "--policy", paramLabel = "FILE",
            description = "The current SchedulingPolicy (default: the --policy-configmap, else built-in defaults).")
    Path policy;

    @Option(names = "--policy-configmap", paramLabel = "NAMESPACE/NAME", defaultValue = "kubeai-system/kubeai-policy",
            description = "The ConfigMap the controller reads its policy from, key scheduling-policy.yaml "
                    + "(default: ${DEFAULT-VALUE}, the chart's for release kubeai).")
    String policyConfigMap;

    @Option(names = "--proposed", paramLabel = "FILE", description = "A proposed SchedulingPolicy to compare with.")
    Path proposed;

    @Option(names = "--proposed-queues", paramLabel = "FILE",
            description = "Proposed Queue objects (YAML, as kubectl applies them) standing for the whole queue tree.")
    Path proposedQueues;

    @Option(names = "--horizon", paramLabel = "DURATION", defaultValue = "24h",
            description = "How far ahead to replay (default: ${DEFAULT-VALUE}).")
    String horizon;

    @Option(names = "--assume-duration", paramLabel = "DURATION", defaultValue = "1h",
            description = "How long work runs when nothing says (default: ${DEFAULT-VALUE}).")
    String assumeDuration;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s",
            description = "How long to wait for the cluster's objects to be listed (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table, json or yaml (default: ${DEFAULT-VALUE}).")
    OutputFormat output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        long horizonSeconds = seconds("--horizon", horizon);
        long assumedSeconds = seconds("--assume-duration", assumeDuration);
        long timeoutSeconds = seconds("--timeout", timeout);
        // Files first: a bad proposal is reported without touching the cluster.
        SchedulingPolicy given = policy == null ? null : PolicyFile.load(policy);
        SchedulingPolicy proposedPolicy = proposed == null ? null : PolicyFile.load(proposed);
        QueueTree proposedTree = proposedQueues == null ? null : QueueFile.load(proposedQueues);
        String[] cm = policyConfigMap.split("/", -1);
        if (cm.length != 2 || cm[0].isEmpty() || cm[1].isEmpty()) {
            throw new IllegalArgumentException("--policy-configmap: expected NAMESPACE/NAME, found \"" + policyConfigMap
                    + "\"");
        }
        // A tool run once: a few quick retries, then report the cluster as unreachable.
        KubernetesClient client = kube.client(c -> {
            c.setRequestRetryBackoffLimit(3);
            c.setConnectionTimeout((int) Math.min(Integer.MAX_VALUE, timeoutSeconds * 1000));
        });
        String currentFrom;
        SchedulingPolicy current;
        if (given != null) {
            current = given;
            currentFrom = "file " + policy;
        } else {
            Optional<SchedulingPolicy> fromCluster;
            try {
                fromCluster = configMapPolicy(client, cm[0], cm[1]);
            } catch (RuntimeException e) {
                client.close();
                throw e;
            }
            current = fromCluster.orElse(SchedulingPolicy.DEFAULT);
            currentFrom = fromCluster.isPresent() ? "ConfigMap " + policyConfigMap
                    : "built-in defaults (no ConfigMap " + policyConfigMap + ")";
        }
        PrintWriter out = spec.commandLine().getOut();
        try (LiveCluster live = new LiveCluster(client, current, Duration.ofSeconds(timeoutSeconds))) {
            Instant at = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            long now = at.getEpochSecond();
            Optional<AdmissionController.Snapshot> snap = live.controller.snapshot(now);
            if (snap.isEmpty()) {
                throw new IllegalArgumentException("the cluster's queues are invalid, so the controller admits nothing; "
                        + "kubectl describe queues shows why");
            }
            AdmissionController.Snapshot s = snap.get();
            WhatIf.Policy cur = new WhatIf.Policy(currentFrom + "; queues from the cluster", AdmissionController.cycle(current),
                    s.state());
            WhatIf.Policy prop = null;
            if (proposedPolicy != null || proposedTree != null) {
                SchedulingPolicy p = proposedPolicy == null ? current : proposedPolicy;
                String from = (proposedPolicy == null ? currentFrom : "file " + proposed) + "; queues from "
                        + (proposedTree == null ? "the cluster" : "file " + proposedQueues);
                prop = new WhatIf.Policy(from, AdmissionController.cycle(p),
                        proposedTree == null ? s.state() : WhatIfReplay.withQueues(s.state(), proposedTree));
            }
            WhatIf.Report report = WhatIf.run(s, now, at.toString(), assumedSeconds,
                    WhatIfReplay.Settings.DEFAULT.withHorizon(horizonSeconds), cur, prop);
            if (output != OutputFormat.table) {
                out.println(output.render(report));
            } else {
                print(out, report);
            }
            out.flush();
            if (!report.regressions().isEmpty()) {
                spec.commandLine().getErr().println("kubeai: the proposal leaves unadmitted by the horizon "
                        + report.regressions().size() + " workload(s) the current policy admits: " + report.regressions());
                return REGRESSION;
            }
            return 0;
        }
    }

    private static long seconds(String option, String text) {
        try {
            return WorkloadDurations.parseSeconds(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage());
        }
    }

    /** The policy in the controller's ConfigMap, or empty when there is no such ConfigMap. */
    private static Optional<SchedulingPolicy> configMapPolicy(KubernetesClient client, String namespace, String name) {
        ConfigMap m;
        try {
            m = client.configMaps().inNamespace(namespace).withName(name).get();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 403) {
                throw new IllegalArgumentException("cannot read ConfigMap " + namespace + "/" + name + " (forbidden); "
                        + "give the policy with --policy FILE");
            }
            throw new ClusterUnreachableException("cannot reach the cluster at " + client.getMasterUrl() + ": "
                    + e.getMessage(), e);
        }
        if (m == null) {
            return Optional.empty();
        }
        String key = "scheduling-policy.yaml";
        Map<String, String> data = m.getData() == null ? Map.of() : m.getData();
        if (!data.containsKey(key)) {
            throw new IllegalArgumentException("ConfigMap " + namespace + "/" + name + " has no key " + key);
        }
        return Optional.of(PolicyFile.parse(data.get(key), "ConfigMap " + namespace + "/" + name + " " + key,
                "the policy in ConfigMap " + namespace + "/" + name));
    }

    static void print(PrintWriter out, WhatIf.Report r) {
        boolean both = r.proposed() != null;
        out.printf("Snapshot:   %s: %d nodes, %s GPUs, %d running and %d pending workloads; horizon %s%n", r.snapshotAt(),
                r.nodes(), r.gpus(), r.running(), r.workloads().size(), WorkloadDurations.format(r.horizonSeconds()));
        WhatIf.Durations d = r.durations();
        out.printf("Durations:  %d from kubeai.io/expected-duration, %d from activeDeadlineSeconds, %d assumed %s "
                + "(--assume-duration)%n", d.bySource().getOrDefault("annotation", 0),
                d.bySource().getOrDefault("activeDeadlineSeconds", 0), d.bySource().getOrDefault("assumed", 0),
                WorkloadDurations.format(d.assumedSeconds()));
        d.warnings().forEach(w -> out.println("Warning:    " + w));
        d.overran().forEach(w -> out.println("Note:       " + w));
        out.println("Current:    " + r.current().policy());
        if (both) {
            out.println("Proposed:   " + r.proposed().policy());
        }
        out.println();
        if (r.workloads().isEmpty()) {
            out.println("No pending workloads.");
        } else {
            Table t = both ? new Table(new String[] {"WORKLOAD", "QUEUE", "PODS", "GPUS", "RUNS", "CURRENT", "PROPOSED"}, 2, 3)
                    : new Table(new String[] {"WORKLOAD", "QUEUE", "PODS", "GPUS", "RUNS", "CURRENT"}, 2, 3);
            for (WhatIf.Row w : r.workloads()) {
                String runs = WorkloadDurations.format(w.durationSeconds()) + (w.durationSource().equals("assumed") ? "*" : "");
                if (both) {
                    t.row(w.workload(), w.queue(), String.valueOf(w.pods()), w.gpus(), runs, cell(w.current()),
                            cell(w.proposed()) + (r.regressions().contains(w.workload()) ? "  <- stranded" : ""));
                } else {
                    t.row(w.workload(), w.queue(), String.valueOf(w.pods()), w.gpus(), runs, cell(w.current()));
                }
            }
            t.print(out, "");
            out.println("(+T: admitted T after the snapshot; * assumed duration)");
            boolean header = false;
            for (WhatIf.Row w : r.workloads()) {
                for (var f : both ? new Object[][] {{"current", w.current()}, {"proposed", w.proposed()}}
                        : new Object[][] {{"current", w.current()}}) {
                    WhatIf.Fate fate = (WhatIf.Fate) f[1];
                    if (!fate.admitted() && !fate.reason().isEmpty()) {
                        if (!header) {
                            out.println();
                            out.println("Why they would still wait:");
                            header = true;
                        }
                        out.printf("  %s (%s): %s%n", w.workload(), f[0], fate.reason());
                    }
                }
            }
        }
        out.println();
        Table t = both ? new Table(new String[] {"SUMMARY", "CURRENT", "PROPOSED"}) : new Table(new String[] {"SUMMARY", "CURRENT"});
        String horizonText = "> " + WorkloadDurations.format(r.horizonSeconds());
        summaryRow(t, both, "admitted", s -> s.admitted() + " of " + s.pending(), r);
        summaryRow(t, both, "waiting at horizon", s -> String.valueOf(s.waiting()), r);
        summaryRow(t, both, "expired", s -> String.valueOf(s.expired()), r);
        summaryRow(t, both, "wait p50", s -> s.waitP50Seconds() == null ? horizonText : WorkloadDurations.format(s.waitP50Seconds()), r);
        summaryRow(t, both, "wait p95", s -> s.waitP95Seconds() == null ? horizonText : WorkloadDurations.format(s.waitP95Seconds()), r);
        summaryRow(t, both, "GPUs allocated at end", s -> s.gpusAllocatedAtEnd() + "/" + s.gpusTotal() + " ("
                + Math.round(100 * s.gpuAllocationAtEnd()) + "%)", r);
        summaryRow(t, both, "GPU allocation, mean", s -> Math.round(100 * s.meanGpuAllocation()) + "%", r);
        summaryRow(t, both, "running work preempted", s -> String.valueOf(s.runningPreempted()), r);
        t.print(out, "");
    }

    private static void summaryRow(Table t, boolean both, String name, java.util.function.Function<WhatIf.Summary, String> f,
            WhatIf.Report r) {
        if (both) {
            t.row(name, f.apply(r.current()), f.apply(r.proposed()));
        } else {
            t.row(name, f.apply(r.current()));
        }
    }

    private static String cell(WhatIf.Fate f) {
        if (f.admitted()) {
            return "+" + WorkloadDurations.format(f.admittedAfterSeconds()) + (f.evictions() > 0 ? " (preempted "
                    + f.evictions() + "x)" : "");
        }
        return f.status();
    }
}
