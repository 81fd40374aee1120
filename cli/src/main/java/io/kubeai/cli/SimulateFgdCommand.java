package io.kubeai.cli;

import io.kubeai.simulator.fgd.FgdWorkload;
import io.kubeai.simulator.trace.OpenbTrace;
import io.kubeai.simulator.trace.TraceSource;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kubeai simulate fgd}: the FGD protocol on a node list and a pod list of your choice. */
@Command(name = "fgd",
        mixinStandardHelpOptions = true,
        description = "The FGD paper's protocol (Weng et al., USENIX ATC '23) on an openb-format node list and pod list.")
public final class SimulateFgdCommand implements Callable<Integer> {
    @Option(names = "--nodes", paramLabel = "FILE",
            description = "Node list CSV (sn,cpu_milli,memory_mib,gpu,model); default: the bundled openb GPU node list.")
    Path nodes;

    @Option(names = "--pods", paramLabel = "FILE",
            description = "Pod list CSV (name,cpu_milli,memory_mib,num_gpu,gpu_milli[,gpu_spec]); "
                    + "default: the bundled openb default pod list.")
    Path pods;

    @Mixin
    FgdOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        options.validate();
        TraceSource n = nodes == null ? TraceSource.bundled(OpenbTrace.DEFAULT_NODES) : TraceSource.file(nodes);
        TraceSource p = pods == null ? TraceSource.bundled(OpenbTrace.DEFAULT_PODS) : TraceSource.file(pods);
        FgdWorkload workload = FgdWorkload.load(n, p);
        FgdRunner.run(List.of(workload), options, "kubeai simulate fgd", spec.commandLine());
        return 0;
    }
}
