package io.kubeai.core.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The {@code elastic:} section of the policy file: how much of each node's capacity that online
 * services reserved but do not use is lent to elastic pods, how fast that figure may move, how
 * lent capacity is taken back, and under which extended-resource names it is published. Every
 * default is in {@link #DEFAULT}; {@link #read} validates the section and reports every error
 * with its path. Off unless {@code enabled: true}.
 *
 * <pre>
 * elastic:
 *   enabled: false
 *   intervalSeconds: 60              # one calculation, publication and reclaim per interval
 *   reclaimThresholdPercent: 60      # CPU: what may be in use, by everything, before nothing is lent
 *   memoryReclaimThresholdPercent: 65
 *   memoryPolicy: usage              # usage | request
 *   metricsMaxAgeSeconds: 300        # older node metrics lend nothing
 *   hysteresisPercent: 5             # of capacity: smaller changes are not published
 *   maxStepPercent: 10               # of capacity: the most the published value moves per interval
 *   reclaim:
 *     enabled: true
 *     maxEvictionsPerInterval: 5     # cluster-wide
 *   resources:
 *     cpu: kubeai.io/elastic-cpu       # milli-cores
 *     memory: kubeai.io/elastic-memory # bytes
 *     gpu: kubeai.io/elastic-gpu       # devices
 *   lendIdleGpus: false
 *   idleGpu:
 *     maxUtilPercent: 5
 *     minFreeMemoryMiB: 8192
 *     idleForSeconds: 600
 *   gpuTelemetry:                    # where dcgm-exporter runs
 *     namespace: gpu-operator
 *     labelSelector: app=nvidia-dcgm-exporter
 *     port: 9400
 *     path: /metrics
 *     timeoutMillis: 2000
 * </pre>
 */
public record ElasticPolicy(
        boolean enabled,
        long intervalSeconds,
        int cpuReclaimThresholdPercent,
        int memoryReclaimThresholdPercent,
        MemoryPolicy memoryPolicy,
        long metricsMaxAgeSeconds,
        double hysteresisPercent,
        double maxStepPercent,
        Reclaim reclaim,
        ResourceNames resources,
        boolean lendIdleGpus,
        IdleGpu idleGpu,
        GpuTelemetry gpuTelemetry) {

    /** How the elastic memory of a node is worked out. */
    public enum MemoryPolicy {
        /** Like CPU: from what online pods use now (a pod without metrics at its request). */
        USAGE("usage"),
        /**
         * From what online pods request, whatever they use: memory cannot be taken back from a
         * running process without killing it, so this lends less but never what a pod may claim.
         */
        REQUEST("request");

        private final String yaml;

        MemoryPolicy(String yaml) {
            this.yaml = yaml;
        }

        public String yaml() {
            return yaml;
        }

        static final List<String> NAMES = List.of("usage", "request");

        static MemoryPolicy of(String name) {
            return name.equals("request") ? REQUEST : USAGE;
        }
    }

    /** Evicting elastic pods when a node lends less than they hold. */
    public record Reclaim(boolean enabled, int maxEvictionsPerInterval) {
    }

    /** The extended-resource names elastic capacity is published under. */
    public record ResourceNames(String cpu, String memory, String gpu) {
        public ResourceNames {
            Objects.requireNonNull(cpu, "cpu");
            Objects.requireNonNull(memory, "memory");
            Objects.requireNonNull(gpu, "gpu");
        }

        public List<String> all() {
            return List.of(cpu, memory, gpu);
        }
    }

    /** When a GPU that an online service holds counts as idle, and so as lendable. */
    public record IdleGpu(int maxUtilPercent, long minFreeMemoryMiB, long idleForSeconds) {
    }

    /** Where dcgm-exporter serves each node's GPU telemetry. */
    public record GpuTelemetry(String namespace, Map<String, String> podLabels, int port, String path,
            long timeoutMillis) {
        public GpuTelemetry {
            podLabels = Map.copyOf(podLabels);
        }
    }

    public static final String KOORDINATOR_CPU = "kubernetes.io/batch-cpu";
    public static final String KOORDINATOR_MEMORY = "kubernetes.io/batch-memory";

    public static final ElasticPolicy DEFAULT = new ElasticPolicy(false, 60, 60, 65, MemoryPolicy.USAGE, 300, 5, 10,
            new Reclaim(true, 5),
            new ResourceNames("kubeai.io/elastic-cpu", "kubeai.io/elastic-memory", "kubeai.io/elastic-gpu"),
            false, new IdleGpu(5, 8192, 600),
            new GpuTelemetry("gpu-operator", Map.of("app", "nvidia-dcgm-exporter"), 9400, "/metrics", 2000));

    private static final Pattern RESOURCE_NAME = Pattern.compile(
            "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
    private static final Pattern LABEL_KEY = Pattern.compile(
            "([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
    private static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final List<String> RESERVED_NAMES = List.of("cpu", "memory", "pods", "ephemeral-storage",
            "nvidia.com/gpu");

    public ElasticPolicy {
        Objects.requireNonNull(memoryPolicy, "memoryPolicy");
        Objects.requireNonNull(reclaim, "reclaim");
        Objects.requireNonNull(resources, "resources");
        Objects.requireNonNull(idleGpu, "idleGpu");
        Objects.requireNonNull(gpuTelemetry, "gpuTelemetry");
    }

    /** Reads the {@code elastic:} section; errors go to the tree's error list with their paths. */
    public static ElasticPolicy read(Tree t) {
        ElasticPolicy d = DEFAULT;
        t.allowOnly("enabled", "intervalSeconds", "reclaimThresholdPercent", "memoryReclaimThresholdPercent",
                "memoryPolicy", "metricsMaxAgeSeconds", "hysteresisPercent", "maxStepPercent", "reclaim", "resources",
                "lendIdleGpus", "idleGpu", "gpuTelemetry");
        boolean enabled = t.bool("enabled", d.enabled());
        long interval = t.integer("intervalSeconds", d.intervalSeconds(), 5, 3600);
        int cpuThreshold = (int) t.integer("reclaimThresholdPercent", d.cpuReclaimThresholdPercent(), 0, 100);
        // Memory follows CPU's threshold unless it is set on its own.
        int memoryDefault = t.has("reclaimThresholdPercent") ? cpuThreshold : d.memoryReclaimThresholdPercent();
        int memoryThreshold = (int) t.integer("memoryReclaimThresholdPercent", memoryDefault, 0, 100);
        MemoryPolicy memoryPolicy = MemoryPolicy.of(t.choice("memoryPolicy", d.memoryPolicy().yaml(), MemoryPolicy.NAMES));
        long maxAge = t.integer("metricsMaxAgeSeconds", d.metricsMaxAgeSeconds(), 1, 24 * 3600);
        if (maxAge < interval) {
            t.error("metricsMaxAgeSeconds", "must be at least intervalSeconds (" + interval + "), was " + maxAge
                    + ": GPU telemetry scraped in one interval is read in the next and would always be stale");
        }
        double hysteresis = t.number("hysteresisPercent", d.hysteresisPercent(), 0, 50);
        double maxStep = t.number("maxStepPercent", d.maxStepPercent(), 0, 100);
        if (t.has("maxStepPercent") && maxStep <= 0) {
            t.error("maxStepPercent", "must be above 0: a step of 0 would never publish anything");
            maxStep = d.maxStepPercent();
        }

        Tree r = t.child("reclaim");
        r.allowOnly("enabled", "maxEvictionsPerInterval");
        Reclaim reclaim = new Reclaim(r.bool("enabled", d.reclaim().enabled()),
                (int) r.integer("maxEvictionsPerInterval", d.reclaim().maxEvictionsPerInterval(), 0, 10_000));

        Tree rn = t.child("resources");
        rn.allowOnly("cpu", "memory", "gpu");
        String cpu = resourceName(rn, "cpu", d.resources().cpu());
        String memory = resourceName(rn, "memory", d.resources().memory());
        String gpu = resourceName(rn, "gpu", d.resources().gpu());
        Map<String, String> seen = new LinkedHashMap<>();
        for (String[] kv : new String[][] {{"cpu", cpu}, {"memory", memory}, {"gpu", gpu}}) {
            String before = seen.putIfAbsent(kv[1], kv[0]);
            if (before != null) {
                rn.error(kv[0], "\"" + kv[1] + "\" is already the name of " + before + "; each resource needs its own name");
            }
        }

        boolean lend = t.bool("lendIdleGpus", d.lendIdleGpus());
        Tree ig = t.child("idleGpu");
        ig.allowOnly("maxUtilPercent", "minFreeMemoryMiB", "idleForSeconds");
        IdleGpu idle = new IdleGpu((int) ig.integer("maxUtilPercent", d.idleGpu().maxUtilPercent(), 0, 100),
                ig.integer("minFreeMemoryMiB", d.idleGpu().minFreeMemoryMiB(), 0, 16L << 20),
                ig.integer("idleForSeconds", d.idleGpu().idleForSeconds(), 0, 7 * 24 * 3600));

        Tree gt = t.child("gpuTelemetry");
        gt.allowOnly("namespace", "labelSelector", "port", "path", "timeoutMillis");
        GpuTelemetry g = d.gpuTelemetry();
        String ns = gt.string("namespace", g.namespace());
        if (!DNS_LABEL.matcher(ns).matches() || ns.length() > 63) {
            gt.error("namespace", "\"" + ns + "\" is not a namespace name");
            ns = g.namespace();
        }
        Map<String, String> labels = gt.has("labelSelector") ? selector(gt, gt.string("labelSelector", "")) : g.podLabels();
        int port = (int) gt.integer("port", g.port(), 1, 65535);
        String path = gt.string("path", g.path());
        if (!path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ')) {
            gt.error("path", "\"" + path + "\" is not an absolute URL path");
            path = g.path();
        }
        long timeout = gt.integer("timeoutMillis", g.timeoutMillis(), 1, 60_000);
        if (timeout >= interval * 1000) {
            gt.error("timeoutMillis", "must be shorter than intervalSeconds (" + interval + " s), was " + timeout
                    + " ms: a scrape must end before the next one starts");
        }
        return new ElasticPolicy(enabled, interval, cpuThreshold, memoryThreshold, memoryPolicy, maxAge, hysteresis,
                maxStep, reclaim, new ResourceNames(cpu, memory, gpu), lend, idle,
                new GpuTelemetry(ns, labels, port, path, timeout));
    }

    private static String resourceName(Tree t, String key, String dflt) {
        String v = t.string(key, dflt);
        if (RESERVED_NAMES.contains(v)) {
            t.error(key, "\"" + v + "\" is a resource Kubernetes or the device plugin already counts; "
                    + "elastic capacity needs a name of its own, such as " + dflt);
            return dflt;
        }
        if (!RESOURCE_NAME.matcher(v).matches() || v.length() > 253) {
            t.error(key, "\"" + v + "\" is not an extended resource name (domain/name, e.g. " + dflt + ")");
            return dflt;
        }
        return v;
    }

    /** An equality-only label selector, {@code k=v,k2=v2}. */
    private static Map<String, String> selector(Tree t, String s) {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> bad = new ArrayList<>();
        for (String part : s.split(",")) {
            String p = part.strip();
            int eq = p.indexOf('=');
            String k = eq < 0 ? p : p.substring(0, eq).strip();
            String v = eq < 0 ? "" : p.substring(eq + 1).strip();
            if (v.startsWith("=")) {
                v = v.substring(1).strip();
            }
            if (eq < 0 || !LABEL_KEY.matcher(k).matches() || !LABEL_VALUE.matcher(v).matches() || v.length() > 63) {
                bad.add(p);
            } else {
                out.put(k, v);
            }
        }
        if (!bad.isEmpty() || out.isEmpty()) {
            t.error("labelSelector", "\"" + s + "\" is not a selector of label=value pairs separated by commas");
            return DEFAULT.gpuTelemetry().podLabels();
        }
        return out;
    }
}
