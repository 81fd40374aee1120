package io.kubeai.cli;

import io.kubeai.core.cluster.Node;
import io.kubeai.simulator.fgd.FgdWorkload;
import io.kubeai.simulator.trace.OpenbTrace;
import io.kubeai.simulator.trace.TraceFormatException;
import io.kubeai.simulator.trace.TraceSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kubeai simulate grid}: every workload × every policy × every seed, on all cores. */
@Command(name = "grid",
        mixinStandardHelpOptions = true,
        description = "The FGD protocol on every openb pod list (bundled, or openb_pod_list_*.csv in --traces), "
                + "every policy and seed, using every core; prints each median beside the published one.")
public final class SimulateGridCommand implements Callable<Integer> {
    @Option(names = "--traces", paramLabel = "DIR",
            description = "Folder with openb_node_list_gpu_node.csv and openb_pod_list_*.csv; default: the bundled traces.")
    Path traces;

    @Mixin
    FgdOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        options.validate();
        List<FgdWorkload> workloads = new ArrayList<>();
        if (traces == null) {
            List<Node> nodes = OpenbTrace.readNodes(TraceSource.bundled(OpenbTrace.DEFAULT_NODES));
            for (String name : OpenbTrace.BUNDLED_POD_LISTS) {
                workloads.add(FgdWorkload.of(name, nodes,
                        OpenbTrace.readPods(TraceSource.bundled(OpenbTrace.BUNDLED_DIR + name + ".csv"))));
            }
        } else {
            Path nodeFile = traces.resolve("openb_node_list_gpu_node.csv");
            List<Node> nodes = OpenbTrace.readNodes(TraceSource.file(nodeFile));
            List<Path> podFiles;
            try (Stream<Path> s = Files.list(traces)) {
                podFiles = s.filter(f -> f.getFileName().toString().matches("openb_pod_list_.*\\.csv")).sorted().toList();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + traces, e);
            }
            if (podFiles.isEmpty()) {
                throw new TraceFormatException(traces.toString(), 0, 0, "no openb_pod_list_*.csv files in this folder");
            }
            for (Path f : podFiles) {
                TraceSource src = TraceSource.file(f);
                workloads.add(FgdWorkload.of(src.baseName(), nodes, OpenbTrace.readPods(src)));
            }
        }
        FgdRunner.run(workloads, options, "kubeai simulate grid", spec.commandLine());
        return 0;
    }
}
