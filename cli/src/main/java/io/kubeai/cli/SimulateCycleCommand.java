package io.kubeai.cli;

import io.kubeai.core.config.SchedulingPolicy;
import io.kubeai.kube.PolicyFile;
import io.kubeai.simulator.jobs.sim.AdmissionCycleScale;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kubeai simulate cycle}: what one admission cycle costs at scale, on the CPU clock. */
@Command(name = "cycle",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Times kubeai's admission cycle at scale: PENDING generated workloads dealt to QUEUES queues with equal "
                    + "guarantees on NODES openb-shaped nodes; one cycle onto the empty cluster, then one with what it "
                    + "left pending onto the full cluster (preemption on). Medians over the repeats, thread CPU time.",
            "Defaults: Kueue's performance baseline, 15,000 workloads in 30 queues, on 2,000 nodes."
        })
public final class SimulateCycleCommand implements Callable<Integer> {
    @Option(names = "--pending", paramLabel = "N", defaultValue = "15000",
            description = "Pending workloads (default: ${DEFAULT-VALUE}).")
    int pending;

    @Option(names = "--queues", paramLabel = "N", defaultValue = "30", description = "Queues (default: ${DEFAULT-VALUE}).")
    int queues;

    @Option(names = "--node-count", paramLabel = "N", defaultValue = "2000",
            description = "Nodes (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--repeats", paramLabel = "N", defaultValue = "5",
            description = "Times each cycle is run from the same state (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--policy", paramLabel = "FILE",
            description = "SchedulingPolicy YAML for the cycle's settings and placement (default: built-in defaults).")
    Path policy;

    @Option(names = "--placement", paramLabel = "POLICY", description = "Placement policy (default: the policy's).")
    String placement;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        for (int v : new int[] {pending, queues, nodes, repeats}) {
            if (v < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--pending, --queues, --node-count and --repeats must be at least 1");
            }
        }
        SchedulingPolicy p = policy == null ? SchedulingPolicy.DEFAULT : PolicyFile.load(policy);
        AdmissionCycleScale.Spec s = new AdmissionCycleScale.Spec(pending, queues, nodes, seed,
                placement != null ? placement : p.placementPolicy(), p.cycle(), repeats);
        PrintWriter err = spec.commandLine().getErr();
        err.printf(Locale.ROOT, "Timing the admission cycle: %,d pending workloads, %d queues, %,d nodes, %d repeats...%n",
                pending, queues, nodes, repeats);
        err.flush();
        AdmissionCycleScale.Result r = AdmissionCycleScale.run(s);
        PrintWriter out = spec.commandLine().getOut();
        out.print(r.table());
        out.printf(Locale.ROOT, "%n%,d nodes / %,d GPUs, %d queues, placement %s; %d cores; peak heap used %.0f MiB; Java %s%n",
                nodes, r.gpus(), queues, s.placementPolicy(), Runtime.getRuntime().availableProcessors(),
                FgdRunner.peakHeapMiB(), System.getProperty("java.version"));
        out.flush();
        return 0;
    }
}
