package io.kubeai.benchmarks.extender;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A synthetic GPU cluster, deterministic in its size and seed, as the API server would serve it:
 * node and pod objects as JSON-ready maps (nested {@link LinkedHashMap}s and lists), so that
 * both sides of the load benchmark can build byte-identical objects without sharing anything
 * but {@code --nodes} and {@code --seed}.
 *
 * <p>Shape. Two nodes in three are 8-GPU nodes (allocatable 95.5 cores, 750 GiB, GKE-like names,
 * {@code nvidia.com/gpu.product} label: 40 % H100, 40 % A100, 20 % L40S, tainted
 * {@code nvidia.com/gpu:NoSchedule}); the others are 64-core CPU nodes. Every node carries the
 * labels, conditions, addresses, node info and 24 cached images a kubelet reports, which is what
 * makes full {@code Nodes} bodies large (about 6 KB per node).
 *
 * <p>Bound pods ({@link #bindPods}): first the daemon pods of every node (kube-proxy, cilium with
 * three init containers, node-exporter with its rbac proxy; on GPU nodes also the NVIDIA device
 * plugin and DCGM exporter), then workload pods: GPU pods (8, 4, 2, 1 whole GPUs, or a share of
 * 500 or 250 milli-GPU) sized to bring GPU allocation near 80 %, and CPU services, workers and
 * batch jobs (several with an Istio sidecar and init container) on the CPU nodes. Placement is
 * random first-fit on what this class tracks as free, so nothing is over-committed; a pod that
 * finds no room after a few tries shrinks to the next smaller shape. One GPU node in 20 is
 * left with its daemon pods only (as freshly scaled-up nodes are), so whole-node GPU pods stay
 * schedulable. Every pod has the metadata
 * (labels, annotations, owner reference, UID), spec (containers with requests and limits, env,
 * ports, probes, volume mounts, the projected service-account volume, tolerations) and status
 * (conditions, IPs, container statuses) of a running pod; no {@code managedFields}.
 */
public final class SyntheticCluster {
    public static final String GPU_PRODUCT_LABEL = "nvidia.com/gpu.product";
    public static final String H100 = "NVIDIA-H100-80GB-HBM3";
    public static final String A100 = "NVIDIA-A100-SXM4-80GB";
    public static final String L40S = "NVIDIA-L40S";
    static final long GIB = 1024L * 1024 * 1024;
    static final long MIB = 1024L * 1024;

    private static final String[] TEAMS = {"search", "ads", "recsys", "nlp", "vision", "speech", "platform",
        "payments", "checkout", "identity", "maps", "video", "music", "fraud", "growth", "infra-ml", "research",
        "llm-serving", "llm-train", "data-eng", "analytics", "robotics", "health", "security", "mobile-api",
        "gaming", "edge", "billing", "support", "ops"};
    private static final String[] IMAGES = {
        "registry.k8s.io/kube-proxy:v1.31.4", "quay.io/cilium/cilium:v1.16.5", "quay.io/prometheus/node-exporter:v1.8.2",
        "quay.io/brancz/kube-rbac-proxy:v0.18.1", "nvcr.io/nvidia/k8s-device-plugin:v0.17.0",
        "nvcr.io/nvidia/k8s/dcgm-exporter:3.3.9-3.6.1-ubuntu22.04", "docker.io/istio/proxyv2:1.24.2",
        "nvcr.io/nvidia/pytorch:24.12-py3", "nvcr.io/nvidia/tritonserver:24.12-py3", "vllm/vllm-openai:v0.6.6",
        "ghcr.io/huggingface/text-generation-inference:3.0.1", "gcr.io/prod/search/frontend:2025.01.14-4f1c2ab",
        "gcr.io/prod/ads/ranker:2025.01.13-9e0d7a1", "gcr.io/prod/recsys/feature-server:2025.01.10-a2c4e91",
        "gcr.io/prod/payments/api:2025.01.15-77b1f3e", "gcr.io/prod/batch/spark:3.5.3-scala2.12",
        "docker.io/library/redis:7.4.1", "docker.io/library/postgres:16.6", "quay.io/jupyter/pytorch-notebook:cuda12-2025-01-13",
        "registry.k8s.io/pause:3.10", "registry.k8s.io/coredns/coredns:v1.11.3", "docker.io/grafana/promtail:3.3.2",
        "gcr.io/prod/platform/envoy-gateway:1.2.4", "gcr.io/prod/llm/tokenizer-svc:2025.01.12-1be0c55"};

    private final int nodeCount;
    private final long seed;
    private final String[] names;
    private final String[] models;
    private final long[] cpuAllocatable;
    private final long[] memAllocatable;

    public SyntheticCluster(int nodeCount, long seed) {
        this.nodeCount = nodeCount;
        this.seed = seed;
        this.names = new String[nodeCount];
        this.models = new String[nodeCount];
        this.cpuAllocatable = new long[nodeCount];
        this.memAllocatable = new long[nodeCount];
        for (int i = 0; i < nodeCount; i++) {
            boolean gpu = isGpu(i);
            String model = gpu ? modelOf(i) : "";
            models[i] = model;
            String pool = !gpu ? "cpu-n2-64" : model.equals(H100) ? "gpu-a3-h100" : model.equals(A100) ? "gpu-a2-a100"
                    : "gpu-g2-l40s";
            int group = i / 250; // managed instance groups of 250 nodes
            names[i] = "gke-prod-" + pool + "-" + String.format(Locale.ROOT, "%08x", (pool.hashCode() * 31 + group) & 0xffffffffL)
                    + "-" + base36(i, 4);
            cpuAllocatable[i] = gpu ? 95_500 : 63_500;
            memAllocatable[i] = gpu ? 750 * GIB : 240 * GIB;
        }
    }

    public int nodeCount() {
        return nodeCount;
    }

    public static boolean isGpu(int i) {
        return i % 3 != 2;
    }

    static String modelOf(int i) {
        int g = (i / 3) * 2 + (i % 3); // index among GPU nodes
        int r = g % 5;
        return r < 2 ? H100 : r < 4 ? A100 : L40S;
    }

    public String nodeName(int i) {
        return names[i];
    }

    public List<String> nodeNames() {
        return Arrays.asList(names.clone());
    }

    /** Node {@code i} as the API server serves it. */
    public Map<String, Object> node(int i) {
        SplittableRandom r = new SplittableRandom(seed * 1_000_003L + i);
        boolean gpu = isGpu(i);
        String name = names[i];
        String zone = "us-central1-" + "abcf".charAt(i % 4);
        Map<String, Object> labels = obj(
                "beta.kubernetes.io/arch", "amd64", "beta.kubernetes.io/instance-type", gpu ? "a3-highgpu-8g" : "n2-standard-64",
                "beta.kubernetes.io/os", "linux", "cloud.google.com/gke-boot-disk", "pd-balanced",
                "cloud.google.com/gke-container-runtime", "containerd", "cloud.google.com/gke-nodepool", name.substring(9, name.length() - 14),
                "cloud.google.com/gke-os-distribution", "cos", "cloud.google.com/machine-family", gpu ? "a3" : "n2",
                "failure-domain.beta.kubernetes.io/region", "us-central1", "failure-domain.beta.kubernetes.io/zone", zone,
                "kubernetes.io/arch", "amd64", "kubernetes.io/hostname", name, "kubernetes.io/os", "linux",
                "node.kubernetes.io/instance-type", gpu ? "a3-highgpu-8g" : "n2-standard-64",
                "topology.kubernetes.io/region", "us-central1", "topology.kubernetes.io/zone", zone);
        if (gpu) {
            labels.put("cloud.google.com/gke-accelerator", models[i].toLowerCase(Locale.ROOT));
            labels.put(GPU_PRODUCT_LABEL, models[i]);
            labels.put("nvidia.com/gpu.count", "8");
            labels.put("nvidia.com/gpu.memory", models[i].equals(L40S) ? "46068" : "81559");
            labels.put("nvidia.com/cuda.driver.major", "550");
            labels.put("nvidia.com/gpu.present", "true");
        }
        String created = timestamp(r, 2024);
        Map<String, Object> meta = obj("name", name, "uid", uuid(r), "resourceVersion", String.valueOf(1_000_000 + r.nextInt(90_000_000)),
                "creationTimestamp", created, "labels", labels, "annotations", obj(
                        "container.googleapis.com/instance_id", String.valueOf(1_000_000_000_000L + r.nextLong(8_000_000_000_000L)),
                        "csi.volume.kubernetes.io/nodeid", "{\"pd.csi.storage.gke.io\":\"projects/prod/zones/" + zone + "/instances/" + name + "\"}",
                        "node.alpha.kubernetes.io/ttl", "0",
                        "volumes.kubernetes.io/controller-managed-attach-detach", "true"));
        String cidr = "10." + (64 + i / 256) + "." + (i % 256) + ".0/24";
        Map<String, Object> spec = obj("podCIDR", cidr, "podCIDRs", List.of(cidr),
                "providerID", "gce://prod/" + zone + "/" + name);
        if (gpu) {
            spec.put("taints", List.of(obj("key", "nvidia.com/gpu", "value", "present", "effect", "NoSchedule")));
        }
        Map<String, Object> capacity = obj("cpu", gpu ? "96" : "64", "ephemeral-storage", "507944172Ki",
                "hugepages-1Gi", "0", "hugepages-2Mi", "0", "memory", gpu ? "791247612Ki" : "264104252Ki", "pods", "110");
        Map<String, Object> allocatable = obj("cpu", gpu ? "95500m" : "63500m", "ephemeral-storage", "468118039846",
                "hugepages-1Gi", "0", "hugepages-2Mi", "0", "memory", gpu ? "750Gi" : "240Gi", "pods", "110");
        if (gpu) {
            capacity.put("nvidia.com/gpu", "8");
            allocatable.put("nvidia.com/gpu", "8");
        }
        String beat = "2025-01-15T10:" + two(r.nextInt(60)) + ":" + two(r.nextInt(60)) + "Z";
        List<Object> conditions = new ArrayList<>();
        for (String[] c : new String[][] {
            {"FrequentContainerdRestart", "False", "NoFrequentContainerdRestart", "containerd is functioning properly"},
            {"KernelDeadlock", "False", "KernelHasNoDeadlock", "kernel has no deadlock"},
            {"NetworkUnavailable", "False", "RouteCreated", "NodeController create implicit route"},
            {"MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"},
            {"DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"},
            {"PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"},
            {"Ready", "True", "KubeletReady", "kubelet is posting ready status. AppArmor enabled"}}) {
            conditions.add(obj("type", c[0], "status", c[1], "lastHeartbeatTime", beat, "lastTransitionTime", created,
                    "reason", c[2], "message", c[3]));
        }
        String ip = "10.128." + (i / 256) + "." + (i % 256);
        List<Object> images = new ArrayList<>();
        for (int k = 0; k < IMAGES.length; k++) {
            String img = IMAGES[k];
            String repo = img.substring(0, img.lastIndexOf(':'));
            images.add(obj("names", List.of(repo + "@sha256:" + hex(r, 64), img), "sizeBytes", 20_000_000L + r.nextLong(9_000_000_000L)));
        }
        Map<String, Object> status = obj("capacity", capacity, "allocatable", allocatable, "conditions", conditions,
                "addresses", List.of(obj("type", "InternalIP", "address", ip), obj("type", "ExternalIP", "address",
                        "34." + (100 + i % 100) + "." + (i / 100 % 256) + "." + (i % 256)), obj("type", "Hostname", "address", name)),
                "daemonEndpoints", obj("kubeletEndpoint", obj("Port", 10250)),
                "nodeInfo", obj("machineID", hex(r, 32), "systemUUID", uuid(r), "bootID", uuid(r),
                        "kernelVersion", "6.1.100+", "osImage", "Container-Optimized OS from Google",
                        "containerRuntimeVersion", "containerd://1.7.24", "kubeletVersion", "v1.31.4-gke.1256000",
                        "kubeProxyVersion", "v1.31.4-gke.1256000", "operatingSystem", "linux", "architecture", "amd64"),
                "images", images);
        return obj("kind", "Node", "apiVersion", "v1", "metadata", meta, "spec", spec, "status", status);
    }

    /** A pod shape: what it requests, which nodes it goes to. */
    public enum Shape {
        TRAIN_8(8, 0, 88_000, 700 * GIB, true),
        FINETUNE_4(4, 0, 44_000, 340 * GIB, true),
        TRAIN_2(2, 0, 20_000, 160 * GIB, true),
        INFERENCE_1(1, 0, 8_000, 64 * GIB, true),
        NOTEBOOK_HALF(1, 500, 4_000, 24 * GIB, true),
        EMBED_QUARTER(1, 250, 2_000, 8 * GIB, true),
        WEB(0, 0, 600, 1 * GIB, false),
        WORKER(0, 0, 1_500, 4 * GIB, false),
        BATCH(0, 0, 3_000, 12 * GIB, false),
        TINY(0, 0, 100, 128 * MIB, false);

        final int gpus;
        final int gpuMilli;
        final long cpuMillis;
        final long memory;
        final boolean onGpuNodes;

        Shape(int gpus, int gpuMilli, long cpuMillis, long memory, boolean onGpuNodes) {
            this.gpus = gpus;
            this.gpuMilli = gpuMilli;
            this.cpuMillis = cpuMillis;
            this.memory = memory;
            this.onGpuNodes = onGpuNodes;
        }

        int milliPerDevice() {
            return gpuMilli == 0 ? 1000 : gpuMilli;
        }
    }

    /** What the bound pods used, for the log. */
    public record Fill(int pods, int daemonPods, int gpuPods, long gpuMilliUsed, long gpuMilliTotal, long cpuUsed,
            long cpuTotal) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%,d pods (%,d daemon, %,d using GPUs); GPU allocation %.1f %%, CPU %.1f %%",
                    pods, daemonPods, gpuPods, 100.0 * gpuMilliUsed / Math.max(1, gpuMilliTotal),
                    100.0 * cpuUsed / Math.max(1, cpuTotal));
        }
    }

    /**
     * Generates {@code count} bound pods and hands each to {@code sink} as soon as it is built,
     * so nothing here keeps them.
     */
    public Fill bindPods(int count, Consumer<Map<String, Object>> sink) {
        SplittableRandom r = new SplittableRandom(seed ^ 0x5DEECE66DL);
        long[] cpuFree = cpuAllocatable.clone();
        long[] memFree = memAllocatable.clone();
        int[][] gpuFree = new int[nodeCount][];
        int gpuNodes = 0;
        for (int i = 0; i < nodeCount; i++) {
            gpuFree[i] = new int[isGpu(i) ? 8 : 0];
            Arrays.fill(gpuFree[i], 1000);
            if (isGpu(i)) {
                gpuNodes++;
            }
        }
        int[] podsOn = new int[nodeCount];
        int made = 0;
        int daemon = 0;
        int gpuPods = 0;
        long gpuMilli = 0;
        // Daemon pods, node by node, while there is room in the count.
        String[][] ds = {{"kube-system", "kube-proxy"}, {"kube-system", "cilium"}, {"monitoring", "node-exporter"},
            {"kube-system", "nvidia-device-plugin-daemonset"}, {"monitoring", "dcgm-exporter"}};
        for (int i = 0; i < nodeCount && made < count; i++) {
            int kinds = isGpu(i) ? 5 : 3;
            for (int k = 0; k < kinds && made < count; k++) {
                Map<String, Object> p = daemonPod(r, ds[k][0], ds[k][1], i);
                cpuFree[i] -= DAEMON_CPU[k];
                memFree[i] -= DAEMON_MEM[k];
                podsOn[i]++;
                sink.accept(p);
                made++;
                daemon++;
            }
        }
        int workload = count - made;
        // GPU pods: enough to fill about 80 % of the GPUs at the mix's mean of 1.46 GPUs a pod.
        int gpuTarget = (int) Math.min(workload * 0.4, 0.8 * gpuNodes * 8 / 1.46);
        Shape[] gpuShapes = {Shape.TRAIN_8, Shape.FINETUNE_4, Shape.TRAIN_2, Shape.INFERENCE_1, Shape.NOTEBOOK_HALF,
            Shape.EMBED_QUARTER};
        int[] gpuWeights = {5, 8, 10, 40, 20, 17};
        Shape[] cpuShapes = {Shape.WEB, Shape.WORKER, Shape.BATCH};
        int[] cpuWeights = {50, 35, 15};
        int cpuNodes = nodeCount - gpuNodes;
        for (int w = 0; w < workload; w++) {
            boolean wantGpu = w % Math.max(1, workload / Math.max(1, gpuTarget)) == 0 && gpuPods < gpuTarget && gpuNodes > 0;
            Shape shape = wantGpu ? pick(r, gpuShapes, gpuWeights) : pick(r, cpuShapes, cpuWeights);
            if (!shape.onGpuNodes && cpuNodes == 0) {
                shape = Shape.TINY;
            }
            int node = -1;
            int devices = 0;
            while (node < 0) {
                for (int attempt = 0; attempt < 24 && node < 0; attempt++) {
                    int cand = randomNode(r, shape);
                    if (cand < 0) {
                        break;
                    }
                    if (spare(cand) && shape != Shape.TINY) {
                        continue; // kept empty, as freshly scaled-up nodes are
                    }
                    if (podsOn[cand] >= 110 || cpuFree[cand] < shape.cpuMillis || memFree[cand] < shape.memory) {
                        continue;
                    }
                    int d = shape.gpus == 0 ? 0 : devices(gpuFree[cand], shape);
                    if (d >= 0) {
                        node = cand;
                        devices = d;
                    }
                }
                if (node < 0) {
                    if (shape == Shape.TINY) {
                        node = r.nextInt(nodeCount); // the cluster is full: over-commit, as a static pod would
                        devices = 0;
                    } else {
                        shape = smaller(shape);
                    }
                }
            }
            cpuFree[node] -= shape.cpuMillis;
            memFree[node] -= shape.memory;
            podsOn[node]++;
            for (int d = 0; d < 8; d++) {
                if ((devices & (1 << d)) != 0) {
                    gpuFree[node][d] -= shape.milliPerDevice();
                    gpuMilli += shape.milliPerDevice();
                }
            }
            if (shape.gpus > 0) {
                gpuPods++;
            }
            sink.accept(workloadPod(r, shape, w, node, devices));
            made++;
        }
        long cpuUsed = 0;
        long cpuTotal = 0;
        for (int i = 0; i < nodeCount; i++) {
            cpuTotal += cpuAllocatable[i];
            cpuUsed += cpuAllocatable[i] - cpuFree[i];
        }
        return new Fill(made, daemon, gpuPods, gpuMilli, gpuNodes * 8000L, cpuUsed, cpuTotal);
    }

    /** One GPU node in 20 runs only its daemon pods, so that whole-node GPU pods still find room. */
    static boolean spare(int i) {
        return isGpu(i) && (i / 3) % 20 == 7;
    }

    /** The next shape to try when one finds no room: fewer GPUs, then CPU pods, then a tiny one. */
    private static Shape smaller(Shape s) {
        return switch (s) {
            case TRAIN_8 -> Shape.FINETUNE_4;
            case FINETUNE_4 -> Shape.TRAIN_2;
            case TRAIN_2 -> Shape.INFERENCE_1;
            case INFERENCE_1 -> Shape.NOTEBOOK_HALF;
            case NOTEBOOK_HALF -> Shape.EMBED_QUARTER;
            case EMBED_QUARTER, BATCH -> Shape.WORKER;
            case WORKER -> Shape.WEB;
            case WEB, TINY -> Shape.TINY;
        };
    }

    private int randomNode(SplittableRandom r, Shape shape) {
        if (nodeCount == 0) {
            return -1;
        }
        // GPU shapes on GPU nodes (i % 3 != 2); others on CPU nodes (i % 3 == 2).
        if (shape.onGpuNodes) {
            int gpuNodes = nodeCount - nodeCount / 3;
            int g = r.nextInt(Math.max(1, gpuNodes));
            int i = (g / 2) * 3 + (g % 2);
            return i < nodeCount && isGpu(i) ? i : -1;
        }
        if (shape == Shape.TINY) {
            return r.nextInt(nodeCount);
        }
        int cpuNodes = nodeCount / 3;
        if (cpuNodes == 0) {
            return -1;
        }
        return r.nextInt(cpuNodes) * 3 + 2;
    }

    /** Devices for a shape on a node: the lowest fully free ones, or the tightest that has room for a share; -1 if none. */
    private static int devices(int[] free, Shape shape) {
        if (shape.gpuMilli > 0) {
            int best = -1;
            for (int d = 0; d < free.length; d++) {
                if (free[d] >= shape.gpuMilli && (best < 0 || free[d] < free[best])) {
                    best = d;
                }
            }
            return best < 0 ? -1 : 1 << best;
        }
        int mask = 0;
        int want = shape.gpus;
        for (int d = 0; d < free.length && want > 0; d++) {
            if (free[d] == 1000) {
                mask |= 1 << d;
                want--;
            }
        }
        return want == 0 ? mask : -1;
    }

    private static final long[] DAEMON_CPU = {100, 100, 110, 50, 100};
    private static final long[] DAEMON_MEM = {0, 10 * MIB, 200 * MIB, 64 * MIB, 512 * MIB};

    private Map<String, Object> daemonPod(SplittableRandom r, String ns, String ds, int node) {
        String name = ds + "-" + base36(r.nextInt(60_466_176), 5);
        String created = timestamp(r, 2024);
        Map<String, Object> labels = obj("app.kubernetes.io/name", ds, "controller-revision-hash", hex(r, 10),
                "pod-template-generation", "3");
        Map<String, Object> meta = meta(r, name, ns, labels, obj("kubectl.kubernetes.io/default-container", ds.equals("cilium")
                ? "cilium-agent" : ds), "DaemonSet", "apps/v1", ds, created);
        List<Object> containers = new ArrayList<>();
        List<Object> inits = new ArrayList<>();
        switch (ds) {
            case "kube-proxy" -> containers.add(container(r, "kube-proxy", IMAGES[0], "100m", null, null, null, 0));
            case "cilium" -> {
                containers.add(container(r, "cilium-agent", IMAGES[1], "100m", "10Mi", null, null, 9879));
                for (String init : new String[] {"mount-cgroup", "apply-sysctl-overwrites", "clean-cilium-state"}) {
                    inits.add(container(r, init, IMAGES[1], "100m", "100Mi", null, null, 0));
                }
            }
            case "node-exporter" -> {
                containers.add(container(r, "node-exporter", IMAGES[2], "100m", "180Mi", "250m", "180Mi", 9100));
                containers.add(container(r, "kube-rbac-proxy", IMAGES[3], "10m", "20Mi", "40m", "40Mi", 8443));
            }
            case "nvidia-device-plugin-daemonset" ->
                containers.add(container(r, "nvidia-device-plugin-ctr", IMAGES[4], "50m", "64Mi", null, null, 0));
            default -> containers.add(container(r, "dcgm-exporter", IMAGES[5], "100m", "512Mi", "1", "1Gi", 9400));
        }
        Map<String, Object> spec = spec(node, containers, inits, "system-node-critical", true);
        return obj("kind", "Pod", "apiVersion", "v1", "metadata", meta, "spec", spec, "status", running(r, node, containers, inits, created));
    }

    private Map<String, Object> workloadPod(SplittableRandom r, Shape shape, int w, int node, int devices) {
        String team = TEAMS[r.nextInt(TEAMS.length)];
        String ns = team;
        String app = switch (shape) {
            case TRAIN_8 -> "llm-pretrain";
            case FINETUNE_4 -> "finetune";
            case TRAIN_2 -> "trainer";
            case INFERENCE_1 -> "model-server";
            case NOTEBOOK_HALF -> "notebook";
            case EMBED_QUARTER -> "embedder";
            case WEB -> "frontend";
            case WORKER -> "worker";
            case BATCH -> "etl";
            case TINY -> "sidecar-job";
        };
        boolean job = shape == Shape.TRAIN_8 || shape == Shape.FINETUNE_4 || shape == Shape.TRAIN_2 || shape == Shape.BATCH;
        String owner = team + "-" + app + "-" + base36(w / 16, 4);
        String name = job ? owner + "-worker-" + (w % 16) : owner + "-" + hex(r, 9) + "-" + base36(r.nextInt(60_466_176), 5);
        String created = timestamp(r, 2025);
        Map<String, Object> labels = obj("app.kubernetes.io/name", app, "app.kubernetes.io/part-of", team,
                "team", team, "kubeai.io/queue", team + "-" + (shape.gpus > 0 ? "gpu" : "cpu"));
        if (job) {
            labels.put("batch.kubernetes.io/job-name", owner);
            labels.put("batch.kubernetes.io/controller-uid", uuid(r));
            if (shape.gpus >= 2) {
                labels.put("kubeai.io/gang", owner);
            }
        } else {
            labels.put("pod-template-hash", hex(r, 9));
        }
        Map<String, Object> ann = obj("prometheus.io/scrape", "true", "prometheus.io/port", "9090",
                "kubectl.kubernetes.io/default-container", "main");
        if (shape.gpus > 0) {
            ann.put("kubeai.io/gpu-devices", devicesAnnotation(devices));
            if (shape.gpuMilli > 0) {
                ann.put("kubeai.io/gpu-milli", String.valueOf(shape.gpuMilli));
            }
        }
        Map<String, Object> meta = meta(r, name, ns, labels, ann, job ? "Job" : "ReplicaSet", job ? "batch/v1" : "apps/v1",
                owner, created);
        List<Object> containers = new ArrayList<>();
        List<Object> inits = new ArrayList<>();
        String cpu = shape.cpuMillis % 1000 == 0 ? String.valueOf(shape.cpuMillis / 1000) : shape.cpuMillis + "m";
        String mem = shape.memory % GIB == 0 ? shape.memory / GIB + "Gi" : shape.memory / MIB + "Mi";
        String image = switch (shape) {
            case TRAIN_8, FINETUNE_4, TRAIN_2 -> IMAGES[7];
            case INFERENCE_1 -> IMAGES[9];
            case NOTEBOOK_HALF -> IMAGES[18];
            case EMBED_QUARTER -> IMAGES[8];
            default -> IMAGES[11 + r.nextInt(5)];
        };
        Map<String, Object> main = container(r, "main", image, cpu, mem, shape.gpus > 0 ? null : cpu, mem, 8080);
        if (shape.gpus > 0) {
            @SuppressWarnings("unchecked")
            Map<String, Object> res = (Map<String, Object>) main.get("resources");
            @SuppressWarnings("unchecked")
            Map<String, Object> limits = (Map<String, Object>) res.get("limits");
            limits.put("nvidia.com/gpu", String.valueOf(shape.gpus));
        }
        containers.add(main);
        if (shape == Shape.INFERENCE_1 || shape == Shape.WEB || (shape == Shape.WORKER && r.nextBoolean())) {
            containers.add(container(r, "istio-proxy", IMAGES[6], "100m", "128Mi", "2", "1Gi", 15090));
            inits.add(container(r, "istio-init", IMAGES[6], "100m", "128Mi", "2", "1Gi", 0));
        }
        Map<String, Object> spec = spec(node, containers, inits, shape.gpus > 0 ? "gpu-workload" : null, false);
        return obj("kind", "Pod", "apiVersion", "v1", "metadata", meta, "spec", spec, "status", running(r, node, containers, inits, created));
    }

    /**
     * The pods kube-scheduler asks about in the load generator: pending, unbound, with the
     * metadata and spec a controller would give them.
     */
    public static List<Map<String, Object>> pendingPods(long seed) {
        SplittableRandom r = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
        SyntheticCluster none = new SyntheticCluster(0, seed);
        List<Map<String, Object>> out = new ArrayList<>();
        out.add(none.pending(r, "llm-serving", "model-server", Shape.INFERENCE_1, null, true));
        out.add(none.pending(r, "llm-train", "llm-pretrain", Shape.TRAIN_8, H100 + "|" + A100, false));
        out.add(none.pending(r, "research", "notebook", Shape.NOTEBOOK_HALF, null, false));
        out.add(none.pending(r, "checkout", "frontend", Shape.WEB, null, true));
        out.add(none.pending(r, "nlp", "finetune", Shape.FINETUNE_4, A100 + "|" + H100, false));
        out.add(none.pending(r, "fraud", "worker", Shape.WORKER, null, false));
        return out;
    }

    private Map<String, Object> pending(SplittableRandom r, String team, String app, Shape shape, String models, boolean sidecar) {
        String name = team + "-" + app + "-" + hex(r, 9) + "-" + base36(r.nextInt(60_466_176), 5);
        Map<String, Object> labels = obj("app.kubernetes.io/name", app, "team", team, "kubeai.io/queue", team + "-"
                + (shape.gpus > 0 ? "gpu" : "cpu"), "pod-template-hash", hex(r, 9));
        Map<String, Object> ann = obj("prometheus.io/scrape", "true", "kubectl.kubernetes.io/default-container", "main");
        if (shape.gpuMilli > 0) {
            ann.put("kubeai.io/gpu-milli", String.valueOf(shape.gpuMilli));
        }
        if (models != null) {
            ann.put("kubeai.io/gpu-models", models);
        }
        String created = "2025-01-15T10:30:00Z";
        Map<String, Object> meta = meta(r, name, team, labels, ann, "ReplicaSet", "apps/v1", team + "-" + app, created);
        String cpu = shape.cpuMillis % 1000 == 0 ? String.valueOf(shape.cpuMillis / 1000) : shape.cpuMillis + "m";
        String mem = shape.memory % GIB == 0 ? shape.memory / GIB + "Gi" : shape.memory / MIB + "Mi";
        Map<String, Object> main = container(r, "main", IMAGES[shape.gpus > 0 ? 9 : 11], cpu, mem, null, mem, 8080);
        if (shape.gpus > 0) {
            @SuppressWarnings("unchecked")
            Map<String, Object> res = (Map<String, Object>) main.get("resources");
            @SuppressWarnings("unchecked")
            Map<String, Object> limits = (Map<String, Object>) res.get("limits");
            limits.put("nvidia.com/gpu", String.valueOf(shape.gpus));
        }
        List<Object> containers = new ArrayList<>(List.of(main));
        List<Object> inits = new ArrayList<>();
        if (sidecar) {
            containers.add(container(r, "istio-proxy", IMAGES[6], "100m", "128Mi", "2", "1Gi", 15090));
            inits.add(container(r, "istio-init", IMAGES[6], "100m", "128Mi", "2", "1Gi", 0));
        }
        Map<String, Object> spec = spec(-1, containers, inits, shape.gpus > 0 ? "gpu-workload" : null, false);
        Map<String, Object> status = obj("phase", "Pending", "qosClass", "Burstable", "conditions", List.of(obj("type",
                "PodScheduled", "status", "False", "lastProbeTime", null, "lastTransitionTime", created, "reason", "Unschedulable",
                "message", "0/5000 nodes are available: waiting for the extender.")));
        Map<String, Object> pod = obj("kind", "Pod", "apiVersion", "v1", "metadata", meta, "spec", spec, "status", status);
        return pod;
    }

    private Map<String, Object> meta(SplittableRandom r, String name, String ns, Map<String, Object> labels,
            Map<String, Object> annotations, String ownerKind, String ownerApi, String ownerName, String created) {
        return obj("name", name, "generateName", name.substring(0, name.lastIndexOf('-') + 1), "namespace", ns,
                "uid", uuid(r), "resourceVersion", String.valueOf(1_000_000 + r.nextInt(900_000_000)),
                "creationTimestamp", created, "labels", labels, "annotations", annotations,
                "ownerReferences", List.of(obj("apiVersion", ownerApi, "kind", ownerKind, "name", ownerName, "uid", uuid(r),
                        "controller", true, "blockOwnerDeletion", true)));
    }

    private Map<String, Object> spec(int node, List<Object> containers, List<Object> inits, String priorityClass,
            boolean hostNetwork) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("volumes", List.of(obj("name", "kube-api-access-" + "x7k2p", "projected", obj("sources", List.of(
                obj("serviceAccountToken", obj("expirationSeconds", 3607, "path", "token")),
                obj("configMap", obj("name", "kube-root-ca.crt", "items", List.of(obj("key", "ca.crt", "path", "ca.crt")))),
                obj("downwardAPI", obj("items", List.of(obj("path", "namespace", "fieldRef", obj("apiVersion", "v1",
                        "fieldPath", "metadata.namespace")))))), "defaultMode", 420))));
        if (!inits.isEmpty()) {
            spec.put("initContainers", inits);
        }
        spec.put("containers", containers);
        spec.put("restartPolicy", "Always");
        spec.put("terminationGracePeriodSeconds", 30);
        spec.put("dnsPolicy", hostNetwork ? "ClusterFirstWithHostNet" : "ClusterFirst");
        spec.put("serviceAccountName", "default");
        spec.put("serviceAccount", "default");
        if (node >= 0) {
            spec.put("nodeName", names[node]);
        }
        if (hostNetwork) {
            spec.put("hostNetwork", true);
        }
        spec.put("securityContext", obj());
        spec.put("schedulerName", "default-scheduler");
        List<Object> tolerations = new ArrayList<>();
        tolerations.add(obj("key", "node.kubernetes.io/not-ready", "operator", "Exists", "effect", "NoExecute",
                "tolerationSeconds", 300));
        tolerations.add(obj("key", "node.kubernetes.io/unreachable", "operator", "Exists", "effect", "NoExecute",
                "tolerationSeconds", 300));
        if (priorityClass != null && priorityClass.startsWith("gpu") || hostNetwork) {
            tolerations.add(obj("key", "nvidia.com/gpu", "operator", "Exists", "effect", "NoSchedule"));
        }
        spec.put("tolerations", tolerations);
        if (priorityClass != null) {
            spec.put("priorityClassName", priorityClass);
            spec.put("priority", priorityClass.startsWith("system") ? 2_000_001_000 : 1000);
        } else {
            spec.put("priority", 0);
        }
        spec.put("enableServiceLinks", true);
        spec.put("preemptionPolicy", "PreemptLowerPriority");
        return spec;
    }

    private static Map<String, Object> container(SplittableRandom r, String name, String image, String cpu, String mem,
            String cpuLimit, String memLimit, int port) {
        Map<String, Object> requests = new LinkedHashMap<>();
        if (cpu != null) {
            requests.put("cpu", cpu);
        }
        if (mem != null) {
            requests.put("memory", mem);
        }
        Map<String, Object> limits = new LinkedHashMap<>();
        if (cpuLimit != null) {
            limits.put("cpu", cpuLimit);
        }
        if (memLimit != null) {
            limits.put("memory", memLimit);
        }
        Map<String, Object> resources = obj("requests", requests);
        resources.put("limits", limits);
        Map<String, Object> c = obj("name", name, "image", image, "args", List.of("--port=" + (port == 0 ? 8080 : port),
                "--log-level=info"), "env", List.of(
                        obj("name", "POD_NAME", "valueFrom", obj("fieldRef", obj("apiVersion", "v1", "fieldPath", "metadata.name"))),
                        obj("name", "POD_NAMESPACE", "valueFrom", obj("fieldRef", obj("apiVersion", "v1",
                                "fieldPath", "metadata.namespace"))),
                        obj("name", "GOMAXPROCS", "value", String.valueOf(1 + r.nextInt(8)))),
                "resources", resources,
                "volumeMounts", List.of(obj("name", "kube-api-access-x7k2p", "readOnly", true, "mountPath",
                        "/var/run/secrets/kubernetes.io/serviceaccount")),
                "terminationMessagePath", "/dev/termination-log", "terminationMessagePolicy", "File",
                "imagePullPolicy", "IfNotPresent");
        if (port > 0) {
            c.put("ports", List.of(obj("name", "http", "containerPort", port, "protocol", "TCP")));
            c.put("readinessProbe", obj("httpGet", obj("path", "/ready", "port", port, "scheme", "HTTP"),
                    "periodSeconds", 10, "timeoutSeconds", 1, "successThreshold", 1, "failureThreshold", 3));
        }
        return c;
    }

    private Map<String, Object> running(SplittableRandom r, int node, List<Object> containers, List<Object> inits,
            String created) {
        String started = created.replace(":00Z", ":05Z");
        List<Object> conditions = new ArrayList<>();
        for (String t : new String[] {"PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"}) {
            conditions.add(obj("type", t, "status", "True", "lastProbeTime", null, "lastTransitionTime", started));
        }
        List<Object> statuses = new ArrayList<>();
        for (Object o : containers) {
            @SuppressWarnings("unchecked")
            Map<String, Object> c = (Map<String, Object>) o;
            String image = (String) c.get("image");
            statuses.add(obj("name", c.get("name"), "state", obj("running", obj("startedAt", started)), "ready", true,
                    "restartCount", r.nextInt(3), "image", image, "imageID", image.substring(0, image.lastIndexOf(':'))
                            + "@sha256:" + hex(r, 64), "containerID", "containerd://" + hex(r, 64), "started", true));
        }
        String hostIp = "10.128." + (node / 256) + "." + (node % 256);
        String podIp = "10." + (64 + node / 256) + "." + (node % 256) + "." + (2 + r.nextInt(250));
        Map<String, Object> status = obj("phase", "Running", "conditions", conditions, "hostIP", hostIp,
                "hostIPs", List.of(obj("ip", hostIp)), "podIP", podIp, "podIPs", List.of(obj("ip", podIp)),
                "startTime", started, "containerStatuses", statuses, "qosClass", "Burstable");
        if (!inits.isEmpty()) {
            List<Object> initStatuses = new ArrayList<>();
            for (Object o : inits) {
                @SuppressWarnings("unchecked")
                Map<String, Object> c = (Map<String, Object>) o;
                initStatuses.add(obj("name", c.get("name"), "state", obj("terminated", obj("exitCode", 0, "reason", "Completed",
                        "startedAt", started, "finishedAt", started, "containerID", "containerd://" + hex(r, 64))),
                        "ready", true, "restartCount", 0, "image", c.get("image"), "imageID", "sha256:" + hex(r, 64)));
            }
            status.put("initContainerStatuses", initStatuses);
        }
        return status;
    }

    private static Shape pick(SplittableRandom r, Shape[] shapes, int[] weights) {
        int total = 0;
        for (int w : weights) {
            total += w;
        }
        int x = r.nextInt(total);
        for (int i = 0; i < shapes.length; i++) {
            x -= weights[i];
            if (x < 0) {
                return shapes[i];
            }
        }
        return shapes[shapes.length - 1];
    }

    static String devicesAnnotation(int mask) {
        StringBuilder sb = new StringBuilder();
        for (int d = 0; d < 32; d++) {
            if ((mask & (1 << d)) != 0) {
                if (sb.length() > 0) {
                    sb.append(',');
                }
                sb.append(d);
            }
        }
        return sb.toString();
    }

    /** A JSON object: keys and values alternating, in order. */
    static Map<String, Object> obj(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static String uuid(SplittableRandom r) {
        return new UUID(r.nextLong(), r.nextLong()).toString();
    }

    private static String hex(SplittableRandom r, int digits) {
        StringBuilder sb = new StringBuilder(digits);
        for (int i = 0; i < digits; i++) {
            sb.append(Character.forDigit(r.nextInt(16), 16));
        }
        return sb.toString();
    }

    private static String base36(int v, int width) {
        String s = Integer.toString(Math.abs(v), 36);
        StringBuilder sb = new StringBuilder();
        for (int i = s.length(); i < width; i++) {
            sb.append('0');
        }
        return sb.append(s).toString();
    }

    private static String timestamp(SplittableRandom r, int year) {
        return year + "-" + two(1 + r.nextInt(12)) + "-" + two(1 + r.nextInt(28)) + "T" + two(r.nextInt(24)) + ":"
                + two(r.nextInt(60)) + ":00Z";
    }

    private static String two(int v) {
        return v < 10 ? "0" + v : String.valueOf(v);
    }
}
