package io.kubeai.kube;

/**
 * The names users write and the ones KubeAI writes, in one place: labels, annotations, the
 * scheduling gate, resource names, and the conventions of other schedulers we read.
 */
public final class KubeAiNames {
    private KubeAiNames() {
    }

    public static final String SCHEDULER_NAME = "kubeai-scheduler";
    public static final String API_GROUP = "scheduling.kubeai.io";
    public static final String API_VERSION = "v1alpha1";

    // What users write on pods and PodGroups.
    public static final String QUEUE = "kubeai.io/queue";
    public static final String TIER = "kubeai.io/tier";
    public static final String GANG = "kubeai.io/gang";
    public static final String ELASTIC = "kubeai.io/elastic";
    /**
     * Annotation: {@code none} (default), {@code exclusive} (whole CPUs of its own, on one NUMA
     * node when they fit there) or {@code numa} (whole CPUs of its own, all on one NUMA node).
     */
    public static final String CPU_PINNING = "kubeai.io/cpu-pinning";
    public static final String NOT_BEFORE = "kubeai.io/not-before";
    /**
     * Annotation on a pod or PodGroup: how long the workload runs once started ({@code 90m},
     * {@code 2h30m}, {@code 1d}). Read by {@code kubeai what-if}, which Kubernetes cannot tell.
     */
    public static final String EXPECTED_DURATION = "kubeai.io/expected-duration";
    public static final String DEADLINE = "kubeai.io/deadline";
    /** Annotation: the share of one GPU a pod requesting {@code nvidia.com/gpu: 1} uses, 1..1000. */
    public static final String GPU_MILLI = "kubeai.io/gpu-milli";
    /** Annotation: the GPU models a pod accepts, {@code |}-separated ({@code A100|H100}). */
    public static final String GPU_MODELS = "kubeai.io/gpu-models";

    // What KubeAI writes.
    public static final String PLANNED_NODE = "kubeai.io/planned-node";
    /** Annotation written at bind: the CPUs a pinned pod was given, kernel list format ({@code 0-3,16-19}). */
    public static final String CPUSET = "kubeai.io/cpuset";
    /** Annotation: the GPU device indexes a pod was given, {@code 0,3}. */
    public static final String GPU_DEVICES = "kubeai.io/gpu-devices";
    public static final String SCHEDULING_GATE = "kubeai.io/admission";
    /**
     * Annotation on every member of an admitted workload: {@code <admission uid>/<members>}. All
     * members carry it before any gate is lifted, so a new leader can tell a finished plan
     * (finish lifting the gates) from one cut short (roll it back).
     */
    public static final String ADMISSION_ID = "kubeai.io/admission-id";

    // Resources.
    public static final String GPU_RESOURCE = "nvidia.com/gpu";
    public static final String ELASTIC_CPU = "kubeai.io/elastic-cpu";
    public static final String ELASTIC_MEMORY = "kubeai.io/elastic-memory";
    /** Node labels naming the GPU model: NVIDIA GPU feature discovery's, then our own. */
    public static final String GPU_PRODUCT_LABEL = "nvidia.com/gpu.product";
    public static final String GPU_MODEL_LABEL = "kubeai.io/gpu-model";

    // CPU pinning (docs/cpu-pinning.md).
    /**
     * Node annotation: the node's CPU topology, {@code sockets=2,numa=2,cores=4,threads=2} (2
     * sockets, 2 NUMA nodes per socket, 4 physical cores per NUMA node, 2 hardware threads per
     * core), optionally {@code ,siblings=adjacent} when a core's threads have consecutive ids
     * (default {@code spread}: siblings a core count apart, as Linux numbers x86 servers). Used
     * where the node has no NodeResourceTopology; where it has one, it must agree with it and
     * adds what NodeResourceTopology does not say (sockets, threads per core).
     */
    public static final String CPU_TOPOLOGY = "kubeai.io/cpu-topology";
    /**
     * NodeResourceTopology ({@code topology.node.k8s.io/v1alpha2}), published by
     * node-feature-discovery's topology-updater or the resource-topology-exporter: one
     * cluster-scoped object per node, named after it, with a zone of type {@code Node} per NUMA
     * node carrying the {@code cpu} resource's capacity, allocatable and available.
     */
    public static final String NRT_GROUP = "topology.node.k8s.io";
    public static final String NRT_VERSION = "v1alpha2";
    public static final String NRT_KIND = "NodeResourceTopology";
    public static final String NRT_PLURAL = "noderesourcetopologies";
    /** The NodeResourceTopology attribute naming kubelet's Topology Manager policy. */
    public static final String NRT_TOPOLOGY_MANAGER_POLICY = "topologyManagerPolicy";
    /** The zone type NodeResourceTopology gives NUMA nodes. */
    public static final String NRT_ZONE_NUMA = "Node";
    /** Node label set by node-feature-discovery: {@code true} when the CPUs run 2 threads per core (SMT). */
    public static final String NFD_SMT_LABEL = "feature.node.kubernetes.io/cpu-hardware_multithreading";

    // Gangs as other schedulers and operators write them.
    public static final String SCHEDULER_PLUGINS_POD_GROUP = "scheduling.x-k8s.io/pod-group";
    public static final String VOLCANO_GROUP_NAME = "scheduling.k8s.io/group-name";
    public static final String KUBEFLOW_JOB_NAME = "training.kubeflow.org/job-name";
    public static final String KUBEFLOW_REPLICA_TYPE = "training.kubeflow.org/replica-type";

    // The admission webhook's names.
    /** Namespace label: {@code "true"} puts a namespace's pods under the webhook, as configuration can. */
    public static final String MANAGED_NAMESPACE = "kubeai.io/managed";
    /**
     * Annotation written by the webhook on production pods run by a CronJob's Job: {@code "true"}
     * marks them for staggering (the controller may defer them to an off-peak window unless
     * {@link #DEADLINE} needs them earlier). Users may write it themselves on other periodic pods.
     */
    public static final String PERIODIC = "kubeai.io/periodic";
}
