package io.kubeai.simulator.fgd;

import io.kubeai.core.cluster.Node;
import io.kubeai.core.fragmentation.TypicalPods;
import io.kubeai.core.resource.PodRequest;
import io.kubeai.simulator.trace.OpenbTrace;
import io.kubeai.simulator.trace.TracePod;
import io.kubeai.simulator.trace.TraceSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A cluster and a workload for the FGD protocol: the nodes, the pods sorted by name (the order
 * the protocol shuffles from), and the workload's typical pods. Immutable and shared by runs.
 */
public record FgdWorkload(String name, List<Node> nodes, List<TracePod> pods, TypicalPods typicalPods) {

    public FgdWorkload {
        nodes = List.copyOf(nodes);
        List<TracePod> sorted = new ArrayList<>(pods);
        sorted.sort(Comparator.comparing(TracePod::name));
        pods = List.copyOf(sorted);
    }

    public static FgdWorkload of(String name, List<Node> nodes, List<TracePod> pods) {
        List<PodRequest> requests = new ArrayList<>(pods.size());
        for (TracePod p : pods) {
            requests.add(p.request());
        }
        return new FgdWorkload(name, nodes, pods, TypicalPods.fromWorkload(requests));
    }

    public static FgdWorkload load(TraceSource nodes, TraceSource pods) {
        return of(pods.baseName(), OpenbTrace.readNodes(nodes), OpenbTrace.readPods(pods));
    }

    /** All GPU devices of the cluster. */
    public int clusterGpus() {
        int n = 0;
        for (Node node : nodes) {
            n += node.gpuCount();
        }
        return n;
    }

    public long requestedGpuMillis() {
        long sum = 0;
        for (TracePod p : pods) {
            sum += p.request().totalGpuMillis();
        }
        return sum;
    }
}
