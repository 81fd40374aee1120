package io.kubeai.webhook;

import io.fabric8.kubernetes.api.model.Pod;
import io.kubeai.core.config.Quantities;
import io.kubeai.core.config.WebhookPolicy;
import io.kubeai.core.config.WebhookPolicy.NamespaceRule;
import io.kubeai.core.config.WebhookPolicy.PriorityRule;
import io.kubeai.core.resource.PodRequest;
import io.kubeai.kube.GangRef;
import io.kubeai.kube.InvalidObjectException;
import io.kubeai.kube.KubeAiNames;
import io.kubeai.kube.KubeConversions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The mutating side: what the webhook changes on a pod at CREATE. A pod is taken over when it
 * names {@code kubeai-scheduler}, or when its namespace is managed (by configuration or the
 * namespace label {@code kubeai.io/managed=true}) and it names no scheduler (or one listed in
 * {@code adoptSchedulerNames}). For such a pod, in this order:
 *
 * <ol>
 *   <li>{@code spec.schedulerName} becomes {@code kubeai-scheduler};</li>
 *   <li>{@code kubeai.io/queue} and {@code kubeai.io/tier} labels are defaulted: the pod's own,
 *       else its namespace's labels, else the first namespace rule, else the defaults;</li>
 *   <li>the gang is read from our label, scheduler-plugins', Volcano's or Kubeflow's;</li>
 *   <li>a pod of a periodic tier run by a CronJob's Job is annotated {@code kubeai.io/periodic: "true"}
 *       (never {@code kubeai.io/not-before}: the controller works the deferral out at every cycle
 *       from the tier, this mark and the policy's window, so later policy changes and deadlines
 *       apply; docs/staggering.md);</li>
 *   <li>a pinned pod ({@code kubeai.io/cpu-pinning: exclusive|numa}) is made Guaranteed with whole
 *       CPUs in every container, so kubelet's static CPU manager gives it exclusive cores;</li>
 *   <li>an unpinned, GPU-less, non-gang pod of an elastic tier is steered by size: at or below the
 *       small thresholds its CPU and memory requests move to the elastic resources (and it gets the
 *       {@code kubeai.io/elastic: "true"} label and the elastic pools' tolerations); at or above
 *       the large thresholds, elastic requests move back to CPU and memory;</li>
 *   <li>the priority class of its tier (or of elastic capacity) is set with its value and
 *       preemption policy, unless the pod chose a class itself;</li>
 *   <li>the scheduling gate {@code kubeai.io/admission} is added to pods of a gang, a queue, or
 *       marked periodic, so that the quota controller admits them.</li>
 * </ol>
 *
 * Nothing a user set is overwritten unless {@code webhook.overwrite} names it. Every step looks
 * at the pod as the earlier steps left it and changes nothing that is already as wanted, so a
 * second call on the patched pod (reinvocation) returns an empty patch. Pure: no I/O, no clock;
 * O(containers + labels) per pod. Pods bound to a node, mirror pods and DaemonSet pods are left
 * alone: they do not go through a scheduler's queue.
 */
public final class PodMutator {
    private static final String MIRROR_POD = "kubernetes.io/config.mirror";
    private static final String DEFAULT_SCHEDULER = "default-scheduler";
    /** The CronJob controller names a Job {@code <cronjob>-<scheduled time in minutes since the epoch>}. */
    private static final Pattern CRON_JOB_NAME = Pattern.compile(".+-([0-9]{8,10})");
    /** 2001-01-01 to 2200-01-01 in minutes: a suffix outside this is not a CronJob's schedule. */
    private static final long MIN_MINUTES = 16_305_120L;
    private static final long MAX_MINUTES = 121_168_800L;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final WebhookPolicy policy;
    private final NamespaceLabels namespaces;

    public PodMutator(WebhookPolicy policy, NamespaceLabels namespaces) {
        this.policy = policy;
        this.namespaces = namespaces;
    }

    public Verdict mutate(AdmissionRequest r) {
        if (!r.isPod() || !"CREATE".equals(r.operation()) || !(r.object() instanceof ObjectNode pod)) {
            return Verdict.unchanged();
        }
        JsonNode spec = pod.path("spec");
        if (!spec.isObject()) {
            return Verdict.unchanged();
        }
        String ns = namespace(r, pod);
        // Bound pods skip scheduling (and may not carry gates); mirror and DaemonSet pods have their node.
        if (!spec.path("nodeName").asString("").isEmpty() || PodFields.annotation(pod, MIRROR_POD) != null
                || controllerKind(pod).equals("DaemonSet")) {
            return Verdict.unchanged();
        }
        String scheduler = spec.path("schedulerName").asString("");
        boolean ours = scheduler.equals(KubeAiNames.SCHEDULER_NAME);
        Map<String, String> nsLabels = namespaces.of(ns);
        boolean managed = policy.manages(ns) || "true".equals(nsLabels.get(KubeAiNames.MANAGED_NAMESPACE));
        boolean adoptable = scheduler.isEmpty() || scheduler.equals(DEFAULT_SCHEDULER)
                || policy.adoptSchedulerNames().contains(scheduler);
        if (!ours && !(managed && adoptable)) {
            return Verdict.unchanged();
        }
        List<Verdict.FieldError> errors = PodFields.check(pod);
        if (!errors.isEmpty()) {
            return Verdict.Deny.invalid("pod " + r.objectKey(), errors);
        }
        Pod typed;
        PodRequest request;
        try {
            typed = PodView.of(pod, ns);
            request = KubeConversions.request(typed);
        } catch (InvalidObjectException e) {
            return new Verdict.Deny(422, "Invalid", e.getMessage(), List.of());
        } catch (tools.jackson.core.JacksonException | IllegalArgumentException e) {
            // Fields the API server would have rejected: not ours to fail on.
            return new Verdict.Deny(422, "Invalid", "pod " + r.objectKey() + " cannot be read: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""), List.of());
        }

        PodPatch p = new PodPatch(pod);
        List<String> mutations = new ArrayList<>();
        List<String> warnings = new ArrayList<>();

        // 1. Our scheduler.
        if (!ours) {
            p.set(List.of("spec", "schedulerName"), KubeAiNames.SCHEDULER_NAME);
            mutations.add("schedulerName");
        }

        // 2. Queue and tier: the pod's own, else the namespace's label, else the first rule, else the default.
        Optional<NamespaceRule> rule = policy.ruleFor(ns);
        String configuredQueue = firstNonBlank(nsLabels.get(KubeAiNames.QUEUE), rule.map(NamespaceRule::queue).orElse(""),
                policy.defaultQueue());
        String podQueue = PodFields.value(pod, KubeAiNames.QUEUE);
        String queue = podQueue != null && !(policy.overwrites("queue") && configuredQueue != null)
                ? podQueue.strip() : configuredQueue;
        if (queue != null && setLabel(p, KubeAiNames.QUEUE, queue)) {
            mutations.add("queue");
        }
        String nsTier = nsLabels.get(KubeAiNames.TIER);
        if (nsTier != null && !WebhookPolicy.TIERS.contains(nsTier)) {
            warnings.add("namespace " + ns + " label " + KubeAiNames.TIER + "=" + nsTier + " is not one of "
                    + WebhookPolicy.TIERS + "; ignored");
            nsTier = null;
        }
        String configuredTier = firstNonBlank(nsTier, rule.map(NamespaceRule::tier).orElse(""), policy.defaultTier());
        String podTier = PodFields.value(pod, KubeAiNames.TIER);
        String tier = podTier != null && !policy.overwrites("tier") ? podTier.strip() : configuredTier;
        if (setLabel(p, KubeAiNames.TIER, tier)) {
            mutations.add("tier");
        }

        // 3. The gang, by any convention we read.
        Optional<GangRef> gang = KubeConversions.gang(typed);

        // 4. Production pods run by a CronJob's Job are marked for staggering (a pod's own "false" stands).
        String periodicValue = PodFields.value(pod, KubeAiNames.PERIODIC);
        boolean periodic = "true".equals(periodicValue);
        if (periodicValue == null && policy.periodic().enabled() && policy.periodic().tiers().contains(tier)
                && runByCronJob(pod)) {
            p.set(List.of("metadata", "annotations", KubeAiNames.PERIODIC), "true");
            periodic = true;
            mutations.add("periodic");
        }

        // 5. Pinned pods become Guaranteed with whole CPUs.
        boolean pinned = !PodFields.pinning(pod).equals("none");
        if (pinned) {
            List<Verdict.FieldError> pinErrors = new ArrayList<>();
            boolean changed = makeGuaranteed(p, pinErrors);
            if (!pinErrors.isEmpty()) {
                return new Verdict.Deny(422, "Invalid", "pod " + r.objectKey() + " asks for "
                        + KubeAiNames.CPU_PINNING + ": " + PodFields.pinning(pod) + ", which needs the Guaranteed QoS "
                        + "class (CPU and memory requests equal to limits in every container): "
                        + String.join("; ", pinErrors.stream().map(Verdict.FieldError::toString).toList()), pinErrors);
            }
            if (changed) {
                mutations.add("pinned");
            }
        }

        // 6. Small development pods to elastic capacity, large ones to regular capacity.
        boolean elastic = false;
        if (!pinned && policy.elastic().enabled()) {
            elastic = steer(p, pod, request, tier, queue, gang.isPresent(), mutations, warnings);
        }

        // 7. The priority of the tier, or of elastic capacity, unless the pod chose a class.
        PriorityRule priority = elastic && !policy.elastic().priority().isNone() ? policy.elastic().priority()
                : policy.tier(tier);
        if (!priority.isNone()) {
            String cls = spec.path("priorityClassName").asString("");
            boolean chosen = !cls.isEmpty() && !cls.equals(policy.globalDefaultPriorityClassName());
            if (!priority.priorityClassName().equals(cls) && (!chosen || policy.overwrites("priorityClassName"))) {
                // The Priority plugin runs again after the webhook: all three must agree with the class.
                p.set(List.of("spec", "priorityClassName"), priority.priorityClassName());
                p.set(List.of("spec", "priority"), NODES.numberNode(priority.priority()));
                p.set(List.of("spec", "preemptionPolicy"), priority.preemptionPolicy());
                mutations.add("priority");
            }
        }

        // 8. The gate, for every pod the quota controller admits.
        if ((gang.isPresent() || queue != null || periodic) && !hasGate(p.current())) {
            ObjectNode gate = NODES.objectNode();
            gate.put("name", KubeAiNames.SCHEDULING_GATE);
            p.append(List.of("spec", "schedulingGates"), gate);
            mutations.add("gate");
        }
        return new Verdict.Allow(p.operations(), mutations, warnings);
    }

    /** Moves requests between regular and elastic resources; returns whether the pod ends on elastic capacity. */
    private boolean steer(PodPatch p, JsonNode pod, PodRequest request, String tier, String queue, boolean gang,
            List<String> mutations, List<String> warnings) {
        WebhookPolicy.Elastic cfg = policy.elastic();
        WebhookPolicy.QueueSizes sizes = cfg.sizesFor(queue);
        String asked = PodFields.value(pod, KubeAiNames.ELASTIC);
        boolean explicit = asked != null && !policy.overwrites("elastic");
        long elasticCpu = request.extended().get(cfg.cpuResource());
        long elasticMemory = request.extended().get(cfg.memoryResource());
        long cpu = request.cpuMillis() + elasticCpu;
        long memory = request.memoryBytes() + elasticMemory;
        boolean onElastic = elasticCpu > 0 || elasticMemory > 0;
        boolean eligible = cfg.tiers().contains(tier) && !gang && request.gpuCount() == 0 && (cpu > 0 || memory > 0);
        Boolean toElastic = null; // null: keep what the pod asks for
        if (explicit) {
            toElastic = asked.strip().equals("true");
        } else if (eligible && sizes.small(cpu, memory)) {
            toElastic = true;
        } else if (eligible && sizes.large(cpu, memory)) {
            toElastic = false;
        }
        if (Boolean.TRUE.equals(toElastic) && request.gpuCount() > 0) {
            warnings.add(KubeAiNames.ELASTIC + "=true ignored: elastic capacity has no GPUs");
            return onElastic;
        }
        if (toElastic == null) {
            return onElastic;
        }
        if (toElastic) {
            boolean changed = moveRequests(p, true);
            changed |= setLabel(p, KubeAiNames.ELASTIC, "true");
            for (WebhookPolicy.Toleration t : cfg.tolerations()) {
                changed |= addToleration(p, t);
            }
            if (changed) {
                mutations.add("elastic");
            }
            return true;
        }
        boolean changed = onElastic && moveRequests(p, false);
        if (asked != null && asked.strip().equals("true")) {
            changed |= setLabel(p, KubeAiNames.ELASTIC, "false"); // configuration overrode the pod's "true"
        }
        if (changed) {
            mutations.add("regular");
        }
        return false;
    }

    /**
     * Moves every container's CPU and memory to the elastic resources (request and limit equal, as
     * Kubernetes requires of extended resources), or back. Returns whether anything changed.
     */
    private boolean moveRequests(PodPatch p, boolean toElastic) {
        WebhookPolicy.Elastic cfg = policy.elastic();
        boolean changed = false;
        for (String list : List.of("containers", "initContainers")) {
            JsonNode containers = p.current().path("spec").path(list);
            for (int i = 0; i < containers.size(); i++) {
                List<String> res = List.of("spec", list, String.valueOf(i), "resources");
                changed |= move(p, res, "cpu", cfg.cpuResource(), toElastic);
                changed |= move(p, res, "memory", cfg.memoryResource(), toElastic);
            }
        }
        return changed;
    }

    private static boolean move(PodPatch p, List<String> res, String regular, String elastic, boolean toElastic) {
        String from = toElastic ? regular : elastic;
        String to = toElastic ? elastic : regular;
        JsonNode r = p.at(res);
        long amount = quantity(r.path("requests").path(from), from);
        if (amount == 0) {
            amount = quantity(r.path("limits").path(from), from);
        }
        boolean present = r.path("requests").has(from) || r.path("limits").has(from);
        if (!present) {
            return false;
        }
        p.remove(append(res, "requests", from));
        p.remove(append(res, "limits", from));
        if (amount > 0) {
            long total = amount + quantity(p.at(res).path("requests").path(to), to);
            if (toElastic) {
                p.set(append(res, "requests", to), String.valueOf(total));
                p.set(append(res, "limits", to), String.valueOf(total));
            } else {
                p.set(append(res, "requests", to), regular.equals("cpu") ? cpu(total) : String.valueOf(total));
            }
        }
        for (String map : List.of("requests", "limits")) {
            if (p.at(append(res, map)).isObject() && p.at(append(res, map)).isEmpty()) {
                p.remove(append(res, map)); // a map we emptied goes too
            }
        }
        return true;
    }

    /** Every container gets whole CPUs and equal CPU and memory requests and limits; false when already so. */
    private static boolean makeGuaranteed(PodPatch p, List<Verdict.FieldError> errors) {
        boolean changed = false;
        for (String list : List.of("containers", "initContainers")) {
            JsonNode containers = p.current().path("spec").path(list);
            for (int i = 0; i < containers.size(); i++) {
                String at = "spec." + list + "[" + i + "]";
                String name = containers.path(i).path("name").asString("");
                List<String> res = List.of("spec", list, String.valueOf(i), "resources");
                JsonNode r = p.at(res);
                long cpuRequest = quantity(r.path("requests").path("cpu"), "cpu");
                long cpuLimit = quantity(r.path("limits").path("cpu"), "cpu");
                long cpu = cpuRequest > 0 ? cpuRequest : cpuLimit;
                if (cpu <= 0) {
                    errors.add(new Verdict.FieldError(at + ".resources.requests.cpu", "container " + name
                            + " has no CPU request; give it whole CPUs"));
                } else {
                    long cores = (cpu + 999) / 1000;
                    if (cpuRequest != cores * 1000) {
                        p.set(append(res, "requests", "cpu"), String.valueOf(cores));
                        changed = true;
                    }
                    if (cpuLimit != cores * 1000) {
                        p.set(append(res, "limits", "cpu"), String.valueOf(cores));
                        changed = true;
                    }
                }
                r = p.at(res);
                JsonNode memRequestNode = r.path("requests").path("memory");
                JsonNode memLimitNode = r.path("limits").path("memory");
                long memRequest = quantity(memRequestNode, "memory");
                long memLimit = quantity(memLimitNode, "memory");
                if (memRequest <= 0 && memLimit <= 0) {
                    errors.add(new Verdict.FieldError(at + ".resources.limits.memory", "container " + name
                            + " has no memory request or limit; give it one"));
                } else if (memLimit > 0 && memRequest != memLimit) {
                    p.set(append(res, "requests", "memory"), memLimitNode.deepCopy());
                    changed = true;
                } else if (memLimit <= 0) {
                    p.set(append(res, "limits", "memory"), memRequestNode.deepCopy());
                    changed = true;
                }
            }
        }
        return changed;
    }

    private static boolean addToleration(PodPatch p, WebhookPolicy.Toleration t) {
        for (JsonNode have : p.current().path("spec").path("tolerations")) {
            if (have.path("key").asString("").equals(t.key())
                    && have.path("operator").asString("Equal").equals(t.operator())
                    && have.path("value").asString("").equals(t.value())
                    && have.path("effect").asString("").equals(t.effect())) {
                return false;
            }
        }
        ObjectNode tol = NODES.objectNode();
        if (!t.key().isEmpty()) {
            tol.put("key", t.key());
        }
        tol.put("operator", t.operator());
        if (!t.value().isEmpty()) {
            tol.put("value", t.value());
        }
        if (!t.effect().isEmpty()) {
            tol.put("effect", t.effect());
        }
        p.append(List.of("spec", "tolerations"), tol);
        return true;
    }

    private static boolean setLabel(PodPatch p, String key, String value) {
        if (value.equals(PodFields.label(p.current(), key))) {
            return false;
        }
        p.set(List.of("metadata", "labels", key), value);
        return true;
    }

    private static boolean hasGate(JsonNode pod) {
        for (JsonNode g : pod.path("spec").path("schedulingGates")) {
            if (KubeAiNames.SCHEDULING_GATE.equals(g.path("name").asString(""))) {
                return true;
            }
        }
        return false;
    }

    /** Whether a Job whose name carries a CronJob's schedule suffix controls the pod. */
    static boolean runByCronJob(JsonNode pod) {
        for (JsonNode ref : pod.path("metadata").path("ownerReferences")) {
            if (ref.path("kind").asString("").equals("Job") && ref.path("apiVersion").asString("").startsWith("batch/")) {
                Matcher m = CRON_JOB_NAME.matcher(ref.path("name").asString(""));
                if (m.matches()) {
                    long minutes = Long.parseLong(m.group(1));
                    return minutes >= MIN_MINUTES && minutes <= MAX_MINUTES;
                }
            }
        }
        return false;
    }

    private static String controllerKind(JsonNode pod) {
        for (JsonNode ref : pod.path("metadata").path("ownerReferences")) {
            if (ref.path("controller").asBoolean(false)) {
                return ref.path("kind").asString("");
            }
        }
        return "";
    }

    static String namespace(AdmissionRequest r, JsonNode pod) {
        if (!r.namespace().isEmpty()) {
            return r.namespace();
        }
        String ns = pod.path("metadata").path("namespace").asString("");
        return ns.isEmpty() ? "default" : ns;
    }

    /** A quantity in core's units (milli-cores for CPU); 0 when absent or unreadable. */
    static long quantity(JsonNode n, String resource) {
        if (n == null || n.isMissingNode() || n.isNull()) {
            return 0;
        }
        Object v = n.isNumber() ? n.numberValue() : n.asString("");
        return Quantities.toUnits(resource, v).orElse(0L);
    }

    private static String cpu(long millis) {
        return millis % 1000 == 0 ? String.valueOf(millis / 1000) : millis + "m";
    }

    private static List<String> append(List<String> base, String... more) {
        List<String> out = new ArrayList<>(base);
        out.addAll(List.of(more));
        return out;
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.strip();
            }
        }
        return null;
    }
}
