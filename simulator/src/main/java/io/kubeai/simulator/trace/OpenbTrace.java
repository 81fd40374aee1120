package io.kubeai.simulator.trace;

import io.kubeai.core.cluster.Node;
import io.kubeai.core.resource.ExtendedResources;
import io.kubeai.core.resource.GpuModels;
import io.kubeai.core.resource.PodRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Readers of Alibaba's GPU cluster trace v2023 ("openb", the FGD paper's input): node lists
 * ({@code sn,cpu_milli,memory_mib,gpu,model}) and pod lists
 * ({@code name,cpu_milli,memory_mib,num_gpu,gpu_milli[,gpu_spec,…]}). Only resource columns are
 * read. A file is either read whole or rejected with file, line and column: nothing is
 * half-loaded.
 */
public final class OpenbTrace {
    public static final String BUNDLED_DIR = "openb-v2023/";
    public static final String DEFAULT_NODES = BUNDLED_DIR + "openb_node_list_gpu_node.csv";
    public static final String DEFAULT_PODS = BUNDLED_DIR + "openb_pod_list_default.csv";
    /** The pod lists bundled in the jar, {@code default} first. */
    public static final List<String> BUNDLED_POD_LISTS = List.of(
            "openb_pod_list_default",
            "openb_pod_list_cpu0", "openb_pod_list_cpu037", "openb_pod_list_cpu050", "openb_pod_list_cpu072",
            "openb_pod_list_cpu100", "openb_pod_list_cpu200", "openb_pod_list_cpu235", "openb_pod_list_cpu250",
            "openb_pod_list_cpu300",
            "openb_pod_list_gpushare20", "openb_pod_list_gpushare40", "openb_pod_list_gpushare60",
            "openb_pod_list_gpushare80", "openb_pod_list_gpushare100",
            "openb_pod_list_gpuspec05", "openb_pod_list_gpuspec10", "openb_pod_list_gpuspec20",
            "openb_pod_list_gpuspec25",
            "openb_pod_list_multigpu20", "openb_pod_list_multigpu30", "openb_pod_list_multigpu40");
    private static final long MIB = 1024L * 1024L;

    private OpenbTrace() {
    }

    public static List<Node> readNodes(TraceSource source) {
        CsvTable t = CsvTable.read(source);
        int sn = t.require("sn");
        int cpu = t.require("cpu_milli");
        int mem = t.require("memory_mib");
        int gpu = t.require("gpu");
        int model = t.require("model");
        List<Node> nodes = new ArrayList<>(t.size());
        Set<String> names = new HashSet<>();
        for (int r = 0; r < t.size(); r++) {
            String name = t.text(r, sn);
            if (name.isEmpty()) {
                throw t.error(r, sn, "expected a node name in sn, found an empty field");
            }
            if (!names.add(name)) {
                throw t.error(r, sn, "duplicate node name \"" + name + "\"");
            }
            long gpus = t.nonNegativeLong(r, gpu);
            if (gpus > Node.MAX_GPUS) {
                throw t.error(r, gpu, "expected at most " + Node.MAX_GPUS + " GPUs per node, found " + gpus);
            }
            String m = t.text(r, model);
            if (gpus > 0 && m.isEmpty()) {
                throw t.error(r, model, "expected a GPU model for a node with " + gpus + " GPUs, found an empty field");
            }
            nodes.add(new Node(name, t.nonNegativeLong(r, cpu), t.nonNegativeLong(r, mem) * MIB, (int) gpus,
                    gpus > 0 ? m : "", ExtendedResources.NONE));
        }
        if (nodes.isEmpty()) {
            throw new TraceFormatException(source.name(), 2, 0, "expected at least one node, found none");
        }
        return nodes;
    }

    public static List<TracePod> readPods(TraceSource source) {
        CsvTable t = CsvTable.read(source);
        int nameCol = t.require("name");
        int cpu = t.require("cpu_milli");
        int mem = t.require("memory_mib");
        int numGpu = t.require("num_gpu");
        int gpuMilli = t.require("gpu_milli");
        int spec = t.hasColumn("gpu_spec") ? t.require("gpu_spec") : -1;
        List<TracePod> pods = new ArrayList<>(t.size());
        Set<String> names = new HashSet<>();
        for (int r = 0; r < t.size(); r++) {
            String name = t.text(r, nameCol);
            if (name.isEmpty()) {
                throw t.error(r, nameCol, "expected a pod name, found an empty field");
            }
            if (!names.add(name)) {
                throw t.error(r, nameCol, "duplicate pod name \"" + name + "\"");
            }
            long count = t.nonNegativeLong(r, numGpu);
            if (count > Node.MAX_GPUS) {
                throw t.error(r, numGpu, "expected at most " + Node.MAX_GPUS + " GPUs per pod, found " + count);
            }
            long milli = t.nonNegativeLong(r, gpuMilli);
            if (count == 0 && milli != 0) {
                throw t.error(r, gpuMilli, "expected gpu_milli 0 for a pod without GPUs, found " + milli);
            }
            if (count > 0 && (milli < 1 || milli > PodRequest.MILLIS_PER_GPU)) {
                throw t.error(r, gpuMilli, "expected gpu_milli within 1..1000 for a GPU pod, found " + milli);
            }
            if (count > 1 && milli != PodRequest.MILLIS_PER_GPU) {
                throw t.error(r, gpuMilli, "expected gpu_milli 1000 for a pod with " + count
                        + " GPUs (fractions are for one GPU), found " + milli);
            }
            GpuModels models = spec < 0 ? GpuModels.ANY : GpuModels.parse(t.text(r, spec));
            PodRequest request = new PodRequest(t.nonNegativeLong(r, cpu), t.nonNegativeLong(r, mem) * MIB,
                    (int) count, (int) milli, models, ExtendedResources.NONE);
            pods.add(new TracePod(name, request));
        }
        if (pods.isEmpty()) {
            throw new TraceFormatException(source.name(), 2, 0, "expected at least one pod, found none");
        }
        return pods;
    }

    /**
     * The {@code creation_time} column of a pod list (seconds from the trace's start, whose wall
     * clock the trace does not give), in file order, of the pods whose {@code qos} column is
     * {@code qos} ({@code LS}, {@code BE}, …), or of every pod when {@code qos} is null.
     */
    public static long[] readCreationTimes(TraceSource source, String qos) {
        CsvTable t = CsvTable.read(source);
        int created = t.require("creation_time");
        int q = qos == null ? -1 : t.require("qos");
        long[] out = new long[t.size()];
        int n = 0;
        for (int r = 0; r < t.size(); r++) {
            if (q >= 0 && !t.text(r, q).equals(qos)) {
                continue;
            }
            out[n++] = t.nonNegativeLong(r, created);
        }
        if (n == 0) {
            throw new TraceFormatException(source.name(), 2, 0, "expected at least one pod"
                    + (qos == null ? "" : " of qos " + qos) + ", found none");
        }
        return java.util.Arrays.copyOf(out, n);
    }
}
