package io.kubeai.core.config;

import io.kubeai.core.queue.QueueSpec;
import io.kubeai.core.queue.QueueTree;
import io.kubeai.core.queue.QueueingStrategy;
import io.kubeai.core.resource.ResourceLimits;
import io.kubeai.core.resource.ResourceList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The {@code webhook:} section of the policy file: which pods the admission webhook takes over,
 * how it defaults their queue, tier and priority, when it moves small development pods to
 * elastic capacity (and large ones back to regular capacity), which pods it marks for
 * staggering, what it may overwrite, and the queue definitions it checks pods against (the
 * webhook is stateless and reads no Queue objects). Every default is in {@link #DEFAULT}.
 *
 * <pre>
 * webhook:
 *   managedNamespaces: [ml, "team-*"]    # globs; also namespaces labelled kubeai.io/managed=true,
 *                                        # and any pod that names kubeai-scheduler
 *   adoptSchedulerNames: []              # pods naming these schedulers are taken over too
 *   defaultQueue: ""                     # "" = none
 *   defaultTier: dev                     # prod | dev
 *   namespaceRules:                      # first match wins; namespace labels kubeai.io/queue and
 *     - namespace: "team-cv-*"           # kubeai.io/tier win over these
 *       queue: team-cv
 *       tier: dev
 *   tiers:
 *     prod: {priorityClassName: kubeai-prod, priority: 100000}
 *     dev:  {priorityClassName: kubeai-dev, priority: 10000}
 *   globalDefaultPriorityClassName: ""   # the cluster's globalDefault class: not a user's choice
 *   elastic:
 *     enabled: false
 *     tiers: [dev]
 *     smallAtMost: {cpu: "2", memory: 8Gi}     # at or below both: elastic
 *     largeAtLeast: {cpu: "8", memory: 32Gi}   # at or above either: regular
 *     queues:                                  # per-queue thresholds; figures not given are the above
 *       - {queue: team-search, smallAtMost: {cpu: "4"}, largeAtLeast: {cpu: "16"}}
 *     resources: {cpu: kubeai.io/elastic-cpu, memory: kubeai.io/elastic-memory}
 *     priorityClassName: ""
 *     priority: 0
 *     preemptionPolicy: PreemptLowerPriority
 *     tolerations: [{key: kubeai.io/elastic, operator: Exists, effect: NoSchedule}]
 *   periodic:
 *     enabled: true
 *     tiers: [prod]
 *   overwrite: []                        # queue | tier | priorityClassName | elastic
 *   queues: []                           # name, parent, min, max, weight, borrowingLimit,
 *                                        # lendingLimit, priority, queueing
 * </pre>
 */
public record WebhookPolicy(
        List<String> managedNamespaces,
        List<String> adoptSchedulerNames,
        String defaultQueue,
        String defaultTier,
        List<NamespaceRule> namespaceRules,
        Map<String, PriorityRule> tiers,
        String globalDefaultPriorityClassName,
        Elastic elastic,
        Periodic periodic,
        Set<String> overwrite,
        List<QueueSpec> queues) {

    public static final String PROD = "prod";
    public static final String DEV = "dev";
    public static final List<String> TIERS = List.of(PROD, DEV);
    public static final List<String> OVERWRITABLE = List.of("queue", "tier", "priorityClassName", "elastic");
    public static final List<String> PREEMPTION_POLICIES = List.of("PreemptLowerPriority", "Never");
    public static final List<String> QUEUEING = List.of("StrictFIFO", "BestEffortFIFO");

    public static final Elastic ELASTIC_DEFAULT = new Elastic(false, List.of(DEV), 2_000, 8L << 30, 8_000, 32L << 30,
            "kubeai.io/elastic-cpu", "kubeai.io/elastic-memory", PriorityRule.NONE,
            List.of(new Toleration("kubeai.io/elastic", "Exists", "", "NoSchedule")));
    public static final WebhookPolicy DEFAULT = new WebhookPolicy(List.of(), List.of(), "", DEV, List.of(),
            Map.of(PROD, PriorityRule.NONE, DEV, PriorityRule.NONE), "", ELASTIC_DEFAULT,
            new Periodic(true, List.of(PROD)), Set.of(), List.of());

    private static final Pattern GLOB = Pattern.compile("[a-z0-9.*?-]+");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile(
            "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern RESOURCE_NAME = Pattern.compile(
            "([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");

    public WebhookPolicy {
        managedNamespaces = List.copyOf(managedNamespaces);
        adoptSchedulerNames = List.copyOf(adoptSchedulerNames);
        Objects.requireNonNull(defaultQueue, "defaultQueue");
        Objects.requireNonNull(defaultTier, "defaultTier");
        namespaceRules = List.copyOf(namespaceRules);
        tiers = Map.copyOf(tiers);
        Objects.requireNonNull(globalDefaultPriorityClassName, "globalDefaultPriorityClassName");
        Objects.requireNonNull(elastic, "elastic");
        Objects.requireNonNull(periodic, "periodic");
        overwrite = Set.copyOf(overwrite);
        queues = List.copyOf(queues);
    }

    /** A namespace-to-queue-and-tier rule; {@code queue} and {@code tier} are "" where it names none. */
    public record NamespaceRule(String namespace, String queue, String tier) {
        public boolean matches(String ns) {
            return glob(namespace, ns);
        }
    }

    /**
     * The priority a tier (or elastic capacity) gives a pod: the PriorityClass name, and the value
     * and preemption policy that class has in the cluster (the webhook writes all three, so that
     * the API server's Priority plugin, run again after the webhook, finds them consistent).
     */
    public record PriorityRule(String priorityClassName, int priority, String preemptionPolicy) {
        public static final PriorityRule NONE = new PriorityRule("", 0, "PreemptLowerPriority");

        public boolean isNone() {
            return priorityClassName.isEmpty();
        }
    }

    /** A toleration as the webhook adds it; "" where a field is not set. */
    public record Toleration(String key, String operator, String value, String effect) {
    }

    /**
     * Elastic capacity: pods of {@code tiers} at or below both small thresholds have their CPU and
     * memory requests moved to the elastic resources; pods at or above either large threshold have
     * elastic requests moved back to CPU and memory; pods in between keep what they ask for.
     */
    public record Elastic(boolean enabled, List<String> tiers, long smallCpuMillis, long smallMemoryBytes,
            long largeCpuMillis, long largeMemoryBytes, String cpuResource, String memoryResource,
            PriorityRule priority, List<Toleration> tolerations, List<QueueSizes> queues) {
        public Elastic {
            tiers = List.copyOf(tiers);
            tolerations = List.copyOf(tolerations);
            queues = List.copyOf(queues);
        }

        /** With no per-queue thresholds. */
        public Elastic(boolean enabled, List<String> tiers, long smallCpuMillis, long smallMemoryBytes,
                long largeCpuMillis, long largeMemoryBytes, String cpuResource, String memoryResource,
                PriorityRule priority, List<Toleration> tolerations) {
            this(enabled, tiers, smallCpuMillis, smallMemoryBytes, largeCpuMillis, largeMemoryBytes, cpuResource,
                    memoryResource, priority, tolerations, List.of());
        }

        public boolean small(long cpuMillis, long memoryBytes) {
            return cpuMillis <= smallCpuMillis && memoryBytes <= smallMemoryBytes;
        }

        public boolean large(long cpuMillis, long memoryBytes) {
            return cpuMillis >= largeCpuMillis || memoryBytes >= largeMemoryBytes;
        }

        /** The thresholds for pods of {@code queue}: its entry in {@link #queues()}, else the global ones. */
        public QueueSizes sizesFor(String queue) {
            if (queue != null) {
                for (QueueSizes q : queues) {
                    if (q.queue().equals(queue)) {
                        return q;
                    }
                }
            }
            return new QueueSizes("", smallCpuMillis, smallMemoryBytes, largeCpuMillis, largeMemoryBytes);
        }
    }

    /**
     * Small/large thresholds of one queue ({@code elastic.queues[i]}): at or below both small
     * figures a pod goes to elastic capacity, at or above either large figure to regular.
     * {@code queue} is "" for the global thresholds.
     */
    public record QueueSizes(String queue, long smallCpuMillis, long smallMemoryBytes, long largeCpuMillis,
            long largeMemoryBytes) {
        public boolean small(long cpuMillis, long memoryBytes) {
            return cpuMillis <= smallCpuMillis && memoryBytes <= smallMemoryBytes;
        }

        public boolean large(long cpuMillis, long memoryBytes) {
            return cpuMillis >= largeCpuMillis || memoryBytes >= largeMemoryBytes;
        }
    }

    /** Periodic pods (run by a CronJob's Job) of these tiers are marked for staggering. */
    public record Periodic(boolean enabled, List<String> tiers) {
        public Periodic {
            tiers = List.copyOf(tiers);
        }
    }

    /** Whether pods of this namespace are managed by configuration (namespace labels aside). */
    public boolean manages(String namespace) {
        for (String g : managedNamespaces) {
            if (glob(g, namespace)) {
                return true;
            }
        }
        return false;
    }

    /** The first namespace rule that matches. */
    public Optional<NamespaceRule> ruleFor(String namespace) {
        for (NamespaceRule r : namespaceRules) {
            if (r.matches(namespace)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    public PriorityRule tier(String tier) {
        return tiers.getOrDefault(tier, PriorityRule.NONE);
    }

    /** Whether configuration wins over what a pod says for this field. */
    public boolean overwrites(String field) {
        return overwrite.contains(field);
    }

    /** The configured queues as a validated tree (empty when none are configured). */
    public QueueTree queueTree() {
        return QueueTree.of(queues);
    }

    /** {@code *} is any run of characters, {@code ?} any one; everything else matches itself. */
    static boolean glob(String pattern, String text) {
        return globAt(pattern, 0, text, 0);
    }

    private static boolean globAt(String p, int i, String t, int j) {
        while (i < p.length()) {
            char c = p.charAt(i);
            if (c == '*') {
                for (int k = j; k <= t.length(); k++) {
                    if (globAt(p, i + 1, t, k)) {
                        return true;
                    }
                }
                return false;
            }
            if (j >= t.length() || (c != '?' && c != t.charAt(j))) {
                return false;
            }
            i++;
            j++;
        }
        return j == t.length();
    }

    /** Reads the {@code webhook:} mapping; errors go to the tree's error list with their paths. */
    static WebhookPolicy read(Tree w) {
        WebhookPolicy d = DEFAULT;
        w.allowOnly("managedNamespaces", "adoptSchedulerNames", "defaultQueue", "defaultTier", "namespaceRules",
                "tiers", "globalDefaultPriorityClassName", "elastic", "periodic", "overwrite", "queues");
        List<String> managed = strings(w, "managedNamespaces", d.managedNamespaces());
        for (int i = 0; i < managed.size(); i++) {
            checkGlob(w, "managedNamespaces[" + i + "]", managed.get(i));
        }
        List<String> adopt = strings(w, "adoptSchedulerNames", d.adoptSchedulerNames());
        String defaultQueue = w.string("defaultQueue", d.defaultQueue()).strip();
        String defaultTier = w.choice("defaultTier", d.defaultTier(), TIERS);

        List<NamespaceRule> rules = new ArrayList<>();
        List<Tree> ruleTrees = w.list("namespaceRules");
        for (Tree r : ruleTrees) {
            r.allowOnly("namespace", "queue", "tier");
            String ns = r.string("namespace", null);
            if (ns == null || ns.isBlank()) {
                r.error("namespace", "missing; a glob such as team-cv-* is expected");
                ns = "";
            } else {
                checkGlob(r, "namespace", ns);
            }
            String queue = r.string("queue", "").strip();
            String tier = r.has("tier") ? r.choice("tier", "", TIERS) : "";
            if (queue.isEmpty() && tier.isEmpty()) {
                r.error("namespace", "the rule names neither a queue nor a tier");
            }
            rules.add(new NamespaceRule(ns, queue, tier));
        }

        Map<String, PriorityRule> tiers = new LinkedHashMap<>(d.tiers());
        Tree t = w.child("tiers");
        t.allowOnly(TIERS.toArray(String[]::new));
        for (String tier : TIERS) {
            if (t.has(tier)) {
                tiers.put(tier, priorityRule(t.child(tier), false));
            }
        }
        String globalDefault = w.string("globalDefaultPriorityClassName", d.globalDefaultPriorityClassName()).strip();
        if (!globalDefault.isEmpty() && !DNS_SUBDOMAIN.matcher(globalDefault).matches()) {
            w.error("globalDefaultPriorityClassName", "\"" + globalDefault + "\" is not a PriorityClass name");
        }

        Elastic elastic = readElastic(w.child("elastic"));

        Tree p = w.child("periodic");
        p.allowOnly("enabled", "tiers");
        Periodic periodic = new Periodic(p.bool("enabled", d.periodic().enabled()),
                tierList(p, "tiers", d.periodic().tiers()));

        Set<String> overwrite = new LinkedHashSet<>();
        List<String> ow = strings(w, "overwrite", List.of());
        for (int i = 0; i < ow.size(); i++) {
            String f = ow.get(i);
            Optional<String> canonical = OVERWRITABLE.stream().filter(a -> a.equalsIgnoreCase(f.strip())).findFirst();
            if (canonical.isPresent()) {
                overwrite.add(canonical.get());
            } else {
                w.error("overwrite[" + i + "]", "\"" + f + "\" is not one of " + OVERWRITABLE);
            }
        }

        List<QueueSpec> queues = new ArrayList<>();
        for (Tree q : w.list("queues")) {
            queues.add(readQueue(q));
        }
        for (ValidationError e : QueueTree.validate(queues)) {
            w.error(e.path(), e.message());
        }
        checkQueueRef(w, "defaultQueue", defaultQueue, queues);
        for (int i = 0; i < rules.size(); i++) {
            checkQueueRef(ruleTrees.get(i), "queue", rules.get(i).queue(), queues);
        }
        return new WebhookPolicy(managed, adopt, defaultQueue, defaultTier, rules, tiers, globalDefault, elastic,
                periodic, overwrite, queues);
    }

    private static Elastic readElastic(Tree e) {
        Elastic d = ELASTIC_DEFAULT;
        e.allowOnly("enabled", "tiers", "smallAtMost", "largeAtLeast", "queues", "resources", "priorityClassName",
                "priority", "preemptionPolicy", "tolerations");
        boolean enabled = e.bool("enabled", d.enabled());
        List<String> tiers = tierList(e, "tiers", d.tiers());
        QueueSizes global = sizes(e, new QueueSizes("", d.smallCpuMillis(), d.smallMemoryBytes(), d.largeCpuMillis(),
                d.largeMemoryBytes()), "");
        List<QueueSizes> queues = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Tree q : e.list("queues")) {
            q.allowOnly("queue", "smallAtMost", "largeAtLeast");
            String name = q.string("queue", "").strip();
            if (name.isEmpty()) {
                q.error("queue", "names no queue");
            } else if (!seen.add(name)) {
                q.error("queue", "\"" + name + "\" has thresholds already; give each queue one entry");
            }
            queues.add(sizes(q, global, name));
        }
        Tree r = e.child("resources");
        r.allowOnly("cpu", "memory");
        String cpuResource = resourceName(r, "cpu", d.cpuResource());
        String memoryResource = resourceName(r, "memory", d.memoryResource());
        if (cpuResource.equals(memoryResource)) {
            r.error("memory", "must differ from resources.cpu");
        }
        PriorityRule priority = priorityRule(e, true);
        List<Toleration> tolerations = d.tolerations();
        if (e.has("tolerations")) {
            tolerations = new ArrayList<>();
            for (Tree t : e.list("tolerations")) {
                tolerations.add(toleration(t));
            }
        }
        return new Elastic(enabled, tiers, global.smallCpuMillis(), global.smallMemoryBytes(), global.largeCpuMillis(),
                global.largeMemoryBytes(), cpuResource, memoryResource, priority, tolerations, queues);
    }

    /** {@code smallAtMost} and {@code largeAtLeast} under {@code t}, each figure defaulting to {@code d}'s. */
    private static QueueSizes sizes(Tree t, QueueSizes d, String queue) {
        Tree small = t.child("smallAtMost");
        small.allowOnly("cpu", "memory");
        long smallCpu = quantity(small, "cpu", d.smallCpuMillis());
        long smallMemory = quantity(small, "memory", d.smallMemoryBytes());
        Tree large = t.child("largeAtLeast");
        large.allowOnly("cpu", "memory");
        long largeCpu = quantity(large, "cpu", d.largeCpuMillis());
        long largeMemory = quantity(large, "memory", d.largeMemoryBytes());
        if (largeCpu <= smallCpu) {
            large.error("cpu", "must be above smallAtMost.cpu (" + ResourceList.format("cpu", smallCpu) + "), was "
                    + ResourceList.format("cpu", largeCpu));
        }
        if (largeMemory <= smallMemory) {
            large.error("memory", "must be above smallAtMost.memory (" + ResourceList.format("memory", smallMemory)
                    + "), was " + ResourceList.format("memory", largeMemory));
        }
        return new QueueSizes(queue, smallCpu, smallMemory, largeCpu, largeMemory);
    }

    private static PriorityRule priorityRule(Tree t, boolean embedded) {
        if (!embedded) {
            t.allowOnly("priorityClassName", "priority", "preemptionPolicy");
        }
        String name = t.string("priorityClassName", "").strip();
        if (!name.isEmpty() && (name.length() > 253 || !DNS_SUBDOMAIN.matcher(name).matches())) {
            t.error("priorityClassName", "\"" + name + "\" is not a PriorityClass name (lower-case DNS subdomain)");
        }
        if (!name.isEmpty() && !t.has("priority")) {
            t.error("priority", "missing; give the value of PriorityClass " + name
                    + " (kubectl get priorityclass " + name + ")");
        }
        int priority = (int) t.integer("priority", 0, -2_147_483_648L, 1_000_000_000L);
        String preemption = t.choice("preemptionPolicy", PriorityRule.NONE.preemptionPolicy(), PREEMPTION_POLICIES);
        if (name.isEmpty() && t.has("priority")) {
            t.error("priority", "given without a priorityClassName; the webhook sets a priority only with its class");
        }
        return name.isEmpty() ? PriorityRule.NONE : new PriorityRule(name, priority, preemption);
    }

    private static Toleration toleration(Tree t) {
        t.allowOnly("key", "operator", "value", "effect");
        String key = t.string("key", "").strip();
        String operator = t.choice("operator", "Equal", List.of("Exists", "Equal"));
        String value = t.string("value", "");
        String effect = t.has("effect") ? t.choice("effect", "", List.of("NoSchedule", "PreferNoSchedule", "NoExecute"))
                : "";
        if (key.isEmpty() && !operator.equals("Exists")) {
            t.error("key", "missing; only operator Exists may leave the key empty");
        } else if (!key.isEmpty() && !RESOURCE_NAME.matcher(key).matches()) {
            t.error("key", "\"" + key + "\" is not a label key");
        }
        if (operator.equals("Exists") && !value.isEmpty()) {
            t.error("value", "must be empty with operator Exists");
        }
        return new Toleration(key, operator, value, effect);
    }

    private static QueueSpec readQueue(Tree q) {
        q.allowOnly("name", "parent", "min", "max", "weight", "borrowingLimit", "lendingLimit", "priority", "queueing");
        String name = q.string("name", "").strip();
        if (name.isEmpty()) {
            q.error("name", "missing");
        }
        String parent = q.string("parent", "").strip();
        String queueing = q.choice("queueing", "BestEffortFIFO", QUEUEING);
        return new QueueSpec(name, parent.isEmpty() ? null : parent,
                ResourceList.of(resourceMap(q, "min")), limits(q, "max"),
                (int) q.integer("weight", 1, Integer.MIN_VALUE, Integer.MAX_VALUE),
                limits(q, "borrowingLimit"), limits(q, "lendingLimit"),
                (int) q.integer("priority", 0, Integer.MIN_VALUE, Integer.MAX_VALUE),
                queueing.equals("StrictFIFO") ? QueueingStrategy.STRICT_FIFO : QueueingStrategy.BEST_EFFORT_FIFO);
    }

    private static ResourceLimits limits(Tree q, String key) {
        Map<String, Long> m = resourceMap(q, key);
        return m.isEmpty() ? ResourceLimits.UNLIMITED : ResourceLimits.of(m);
    }

    /** A mapping of resource name to quantity, in core's units. */
    private static Map<String, Long> resourceMap(Tree q, String key) {
        Map<String, Long> out = new LinkedHashMap<>();
        Tree m = q.child(key);
        for (Map.Entry<String, Object> e : m.raw().entrySet()) {
            String r = e.getKey();
            if (!RESOURCE_NAME.matcher(r).matches()) {
                m.error(r, "not a resource name");
                continue;
            }
            Optional<Long> v = Quantities.toUnits(r, e.getValue());
            if (v.isEmpty()) {
                m.error(r, Quantities.describe(e.getValue()) + " is not a non-negative quantity");
            } else {
                out.put(r, v.get());
            }
        }
        return out;
    }

    private static long quantity(Tree t, String resource, long dflt) {
        if (!t.has(resource)) {
            return dflt;
        }
        Object v = t.raw().get(resource);
        Optional<Long> q = Quantities.toUnits(resource, v);
        if (q.isEmpty()) {
            t.error(resource, Quantities.describe(v) + " is not a non-negative quantity");
            return dflt;
        }
        return q.get();
    }

    private static String resourceName(Tree t, String key, String dflt) {
        String v = t.string(key, dflt).strip();
        if (!RESOURCE_NAME.matcher(v).matches() || !v.contains("/")) {
            t.error(key, "\"" + v + "\" is not an extended resource name (domain/name)");
            return dflt;
        }
        return v;
    }

    private static List<String> tierList(Tree t, String key, List<String> dflt) {
        if (!t.has(key)) {
            return dflt;
        }
        List<String> raw = strings(t, key, dflt);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            String s = raw.get(i).strip();
            Optional<String> c = TIERS.stream().filter(x -> x.equalsIgnoreCase(s)).findFirst();
            if (c.isPresent()) {
                out.add(c.get());
            } else {
                t.error(key + "[" + i + "]", "\"" + s + "\" is not one of " + TIERS);
            }
        }
        return out;
    }

    /** A list of strings at {@code key}; a single string counts as a list of one. */
    private static List<String> strings(Tree t, String key, List<String> dflt) {
        Object v = t.raw().get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof String s) {
            return List.of(s);
        }
        if (!(v instanceof List<?> l)) {
            t.error(key, "expected a list of strings");
            return dflt;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < l.size(); i++) {
            Object item = l.get(i);
            if (item instanceof String s) {
                out.add(s);
            } else {
                t.error(key + "[" + i + "]", "expected a string, found " + (item == null ? "null" : item));
            }
        }
        return out;
    }

    private static void checkGlob(Tree t, String key, String glob) {
        if (!GLOB.matcher(glob).matches()) {
            t.error(key, "\"" + glob + "\" is not a namespace glob (lower-case letters, digits, '-', '.', '*', '?')");
        }
    }

    private static void checkQueueRef(Tree t, String key, String queue, List<QueueSpec> queues) {
        if (queue.isEmpty() || queues.isEmpty()) {
            return;
        }
        Set<String> names = new TreeSet<>();
        Set<String> parents = new TreeSet<>();
        for (QueueSpec q : queues) {
            names.add(q.name());
            if (q.parent() != null) {
                parents.add(q.parent());
            }
        }
        if (!names.contains(queue)) {
            t.error(key, "unknown queue \"" + queue + "\"; webhook.queues defines " + names);
        } else if (parents.contains(queue)) {
            t.error(key, "queue \"" + queue + "\" has child queues; pods go to leaf queues");
        }
    }
}
