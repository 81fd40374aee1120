package io.kubeai.webhook;

import io.kubeai.core.config.Quantities;
import io.kubeai.core.config.Tree;
import io.kubeai.core.config.ValidationError;
import io.kubeai.core.config.WebhookPolicy;
import io.kubeai.core.queue.QueueSpec;
import io.kubeai.core.queue.QueueTree;
import io.kubeai.core.queue.QueueingStrategy;
import io.kubeai.core.resource.ResourceLimits;
import io.kubeai.core.resource.ResourceList;
import io.kubeai.kube.InvalidObjectException;
import io.kubeai.kube.KubeAiNames;
import io.kubeai.kube.KubeConversions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The validating side. Our {@code Queue} and {@code PodGroup} objects (group
 * {@code scheduling.kubeai.io}, any version) are checked field by field on their raw spec, every
 * error with its path ({@code spec.min.cpu}), the single-queue rules through core's
 * {@link QueueTree#validate}. Pods that name {@code kubeai-scheduler} are denied when they can
 * never run: a bad {@code kubeai.io/} value, a queue the configuration does not define (or one
 * with child queues), or a request above the max of their queue or of one of its ancestors;
 * the message says what to change. Everything else is allowed. Pure; O(fields + queue depth).
 */
public final class AdmissionValidator {
    public static final String GROUP = KubeAiNames.API_GROUP;
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile(
            "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    private final WebhookPolicy policy;
    private final QueueTree queues;
    public AdmissionValidator(WebhookPolicy policy) {
        this.policy = policy;
        this.queues = policy.queueTree();
    }

    public Verdict validate(AdmissionRequest r) {
        boolean write = r.operation().equals("CREATE") || r.operation().equals("UPDATE");
        if (!write || !r.object().isObject() || !r.subResource().isEmpty()) {
            return Verdict.unchanged();
        }
        if (r.isPod()) {
            return pod(r);
        }
        if (r.is(GROUP, "Queue")) {
            return queue(r);
        }
        if (r.is(GROUP, "PodGroup")) {
            return podGroup(r);
        }
        return Verdict.unchanged();
    }

    private Verdict pod(AdmissionRequest r) {
        JsonNode pod = r.object();
        if (!KubeAiNames.SCHEDULER_NAME.equals(pod.path("spec").path("schedulerName").asString(""))) {
            return Verdict.unchanged();
        }
        String queue = PodFields.value(pod, KubeAiNames.QUEUE);
        if (r.operation().equals("UPDATE")) {
            // Only what an update can change: the queue and tier labels.
            JsonNode old = r.oldObject();
            if (Objects.equals(queue, PodFields.value(old, KubeAiNames.QUEUE))
                    && Objects.equals(PodFields.value(pod, KubeAiNames.TIER), PodFields.value(old, KubeAiNames.TIER))) {
                return Verdict.unchanged();
            }
        }
        List<Verdict.FieldError> errors = PodFields.check(pod);
        if (!errors.isEmpty()) {
            return Verdict.Deny.invalid("pod " + r.objectKey(), errors);
        }
        if (queue == null || queues.size() == 0) {
            return Verdict.unchanged();
        }
        Optional<String> bad = unknownQueue(queue.strip());
        if (bad.isPresent()) {
            return Verdict.Deny.forbidden("pod " + r.objectKey() + " can never run: " + bad.get() + "; set label "
                    + KubeAiNames.QUEUE + " to one of them");
        }
        ResourceList request;
        try {
            request = ResourceList.of(KubeConversions.request(PodView.of(pod, r.namespace())));
        } catch (InvalidObjectException e) {
            return new Verdict.Deny(422, "Invalid", e.getMessage(), List.of());
        } catch (tools.jackson.core.JacksonException | IllegalArgumentException e) {
            // Fields the API server would have rejected: not ours to fail on.
            return new Verdict.Deny(422, "Invalid", "pod " + r.objectKey() + " cannot be read: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""), List.of());
        }
        List<String> over = aboveMax(queue.strip(), request);
        if (!over.isEmpty()) {
            return Verdict.Deny.forbidden("pod " + r.objectKey() + " can never run in queue " + queue.strip() + ": "
                    + String.join("; ", over) + ". Request less, or use a queue whose max allows it");
        }
        return Verdict.unchanged();
    }

    private Verdict queue(AdmissionRequest r) {
        String name = objectName(r);
        List<ValidationError> errors = new ArrayList<>();
        Tree spec = spec(r.object(), errors);
        String parent = spec.string("parent", "").strip();
        if (!parent.isEmpty() && !DNS_SUBDOMAIN.matcher(parent).matches()) {
            spec.error("parent", "\"" + parent + "\" is not a Queue name (lower-case DNS subdomain)");
        } else if (parent.equals(name)) {
            spec.error("parent", "a queue cannot be its own parent");
        }
        ResourceList min = ResourceList.of(resources(spec, "min"));
        ResourceLimits max = limits(spec, "max");
        ResourceLimits borrowing = limits(spec, "borrowingLimit");
        ResourceLimits lending = limits(spec, "lendingLimit");
        int weight = (int) spec.integer("weight", 1, Integer.MIN_VALUE, Integer.MAX_VALUE);
        int priority = (int) spec.integer("priority", 0, Integer.MIN_VALUE, Integer.MAX_VALUE);
        String queueing = spec.choice("queueing", "BestEffortFIFO", WebhookPolicy.QUEUEING);
        QueueSpec q = new QueueSpec(name, parent.isEmpty() || parent.equals(name) ? null : parent, min, max, weight,
                borrowing, lending, priority,
                queueing.equals("StrictFIFO") ? QueueingStrategy.STRICT_FIFO : QueueingStrategy.BEST_EFFORT_FIFO);
        // The single-queue rules of core; the parent is only known to exist in the cluster, so stand it in.
        List<QueueSpec> alone = new ArrayList<>(List.of(q));
        if (q.parent() != null) {
            alone.add(QueueSpec.named(q.parent()).build());
        }
        String prefix = "queues[" + name + "].";
        for (ValidationError e : QueueTree.validate(alone)) {
            if (e.path().startsWith(prefix)) {
                errors.add(new ValidationError(e.path().substring(prefix.length()), e.message()));
            }
        }
        return verdict("Queue " + name, errors);
    }

    private Verdict podGroup(AdmissionRequest r) {
        String name = objectName(r);
        List<ValidationError> errors = new ArrayList<>();
        Tree spec = spec(r.object(), errors);
        if (!spec.has("minMember")) {
            spec.error("minMember", "required: how many pods must start together (at least 1)");
        } else {
            spec.integer("minMember", 1, 1, Integer.MAX_VALUE);
        }
        Map<String, Long> minResources = resources(spec, "minResources");
        String queue = spec.string("queue", "").strip();
        String cls = spec.string("priorityClassName", "").strip();
        if (!cls.isEmpty() && (cls.length() > 253 || !DNS_SUBDOMAIN.matcher(cls).matches())) {
            spec.error("priorityClassName", "\"" + cls + "\" is not a PriorityClass name (lower-case DNS subdomain)");
        }
        spec.integer("scheduleTimeoutSeconds", 0, 0, Long.MAX_VALUE);
        if (!queue.isEmpty() && queues.size() > 0) {
            Optional<String> bad = unknownQueue(queue);
            if (bad.isPresent()) {
                spec.error("queue", bad.get());
            } else {
                for (String over : aboveMax(queue, ResourceList.of(minResources))) {
                    spec.error("minResources", over + "; the group could never be admitted");
                }
            }
        }
        return verdict("PodGroup " + r.namespace() + "/" + name, errors);
    }

    /** Why a queue name cannot take workloads, naming the leaf queues that can; empty when it can. */
    private Optional<String> unknownQueue(String queue) {
        TreeSet<String> leaves = new TreeSet<>();
        for (int i = 0; i < queues.size(); i++) {
            if (queues.isLeaf(i)) {
                leaves.add(queues.name(i));
            }
        }
        Optional<Integer> q = queues.indexOf(queue);
        if (q.isEmpty()) {
            return Optional.of("queue \"" + queue + "\" does not exist; the leaf queues are " + leaves);
        }
        if (!queues.isLeaf(q.get())) {
            return Optional.of("queue \"" + queue + "\" has child queues and takes no workloads; the leaf queues are "
                    + leaves);
        }
        return Optional.empty();
    }

    /** Each resource of {@code request} above the max of the queue or one of its ancestors. */
    private List<String> aboveMax(String queue, ResourceList request) {
        List<String> out = new ArrayList<>();
        int leaf = queues.indexOf(queue).orElseThrow();
        for (int i = 0; i < request.size(); i++) {
            String res = request.name(i);
            for (int q : queues.path(leaf)) {
                long max = queues.spec(q).max().limit(res);
                if (request.value(i) > max) {
                    out.add("it requests " + res + ": " + ResourceList.format(res, request.value(i)) + ", above the max of "
                            + (q == leaf ? "queue " : "its parent queue ") + queues.name(q) + " ("
                            + ResourceList.format(res, max) + ")");
                    break;
                }
            }
        }
        return out;
    }

    private Tree spec(JsonNode object, List<ValidationError> errors) {
        JsonNode spec = object.path("spec");
        if (spec.isMissingNode() || spec.isNull()) {
            return Tree.root(Map.of(), errors);
        }
        if (!spec.isObject()) {
            errors.add(new ValidationError("", "expected a mapping"));
            return Tree.root(Map.of(), errors);
        }
        return Tree.root(AdmissionReviews.JSON.convertValue(spec, Map.class), errors);
    }

    private static Map<String, Long> resources(Tree spec, String key) {
        Map<String, Long> out = new LinkedHashMap<>();
        Tree m = spec.child(key);
        for (Map.Entry<String, Object> e : m.raw().entrySet()) {
            Optional<Long> v = Quantities.toUnits(e.getKey(), e.getValue());
            if (e.getKey().isBlank()) {
                m.error(e.getKey(), "a resource name must not be empty");
            } else if (v.isEmpty()) {
                m.error(e.getKey(), Quantities.describe(e.getValue()) + " is not a non-negative quantity");
            } else {
                out.put(e.getKey(), v.get());
            }
        }
        return out;
    }

    private static ResourceLimits limits(Tree spec, String key) {
        Map<String, Long> m = resources(spec, key);
        return m.isEmpty() ? ResourceLimits.UNLIMITED : ResourceLimits.of(m);
    }

    private static Verdict verdict(String what, List<ValidationError> errors) {
        if (errors.isEmpty()) {
            return Verdict.unchanged();
        }
        List<Verdict.FieldError> causes = errors.stream()
                .map(e -> new Verdict.FieldError(e.path().isEmpty() ? "spec" : "spec." + e.path(), e.message()))
                .toList();
        return Verdict.Deny.invalid(what, causes);
    }

    private static String objectName(AdmissionRequest r) {
        String n = r.object().path("metadata").path("name").asString("");
        return n.isEmpty() ? r.name() : n;
    }
}
