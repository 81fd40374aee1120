package io.kubeai.cli;

import io.kubeai.simulator.fgd.FgdWorkload;
import io.kubeai.simulator.trace.OpenbTrace;
import io.kubeai.simulator.trace.TraceSource;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code kubeai simulate}: with no arguments, the FGD GPU-placement experiment on the bundled
 * Alibaba openb default workload, all six policies, seeds 42..51.
 */
@Command(name = "simulate",
        mixinStandardHelpOptions = true,
        description = {
            "Replay traces through the scheduler's policies.",
            "Without a subcommand: the FGD experiment on the bundled Alibaba openb 'default' pod list and GPU node "
                    + "list (1,213 nodes, 6,212 GPUs), every policy, seeds 42..51, with the published medians beside ours."
        },
        subcommands = {SimulateFgdCommand.class, SimulateGridCommand.class, SimulateJobsCommand.class,
            SimulateCycleCommand.class, SimulateTuneCommand.class, SimulateOvercommitCommand.class,
            SimulateStaggerCommand.class, SimulateGrowthCommand.class})
public final class SimulateCommand implements Callable<Integer> {
    @Mixin
    FgdOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        options.validate();
        FgdWorkload workload = FgdWorkload.load(TraceSource.bundled(OpenbTrace.DEFAULT_NODES),
                TraceSource.bundled(OpenbTrace.DEFAULT_PODS));
        FgdRunner.run(List.of(workload), options, "kubeai simulate", spec.commandLine());
        return 0;
    }
}
