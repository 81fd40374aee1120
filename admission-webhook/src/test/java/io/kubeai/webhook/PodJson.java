package io.kubeai.webhook;

import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A pod as the API server sends it to a mutating webhook (defaults applied: {@code schedulerName:
 * default-scheduler}, {@code resources: {}}, and the Priority plugin's {@code priority: 0} and
 * {@code preemptionPolicy}), built fluently: {@code pod("w-0").ns("ml").label(k, v).container("main",
 * Map.of("cpu", "500m"), Map.of()).build()}. Labels and annotations maps exist only once one is set.
 */
final class PodJson {
    static final JsonMapper JSON = JsonMapper.builder().build();
    private final ObjectNode pod = JSON.createObjectNode();

    private PodJson(String name) {
        pod.put("apiVersion", "v1");
        pod.put("kind", "Pod");
        ObjectNode meta = pod.putObject("metadata");
        meta.put("name", name);
        meta.put("namespace", "default");
        ObjectNode spec = pod.putObject("spec");
        spec.putArray("containers");
        spec.put("restartPolicy", "Always");
        spec.put("schedulerName", "default-scheduler");
        spec.put("priority", 0);
        spec.put("preemptionPolicy", "PreemptLowerPriority");
        spec.put("enableServiceLinks", true);
    }

    static PodJson pod(String name) {
        return new PodJson(name);
    }

    static PodJson of(JsonNode pod) {
        PodJson p = new PodJson("x");
        p.pod.removeAll();
        p.pod.setAll((ObjectNode) pod.deepCopy());
        return p;
    }

    PodJson ns(String namespace) {
        meta().put("namespace", namespace);
        return this;
    }

    PodJson label(String k, String v) {
        map(meta(), "labels").put(k, v);
        return this;
    }

    PodJson annotation(String k, String v) {
        map(meta(), "annotations").put(k, v);
        return this;
    }

    PodJson scheduler(String name) {
        spec().put("schedulerName", name);
        return this;
    }

    PodJson priority(String className, int value, String preemption) {
        spec().put("priorityClassName", className);
        spec().put("priority", value);
        spec().put("preemptionPolicy", preemption);
        return this;
    }

    PodJson nodeName(String node) {
        spec().put("nodeName", node);
        return this;
    }

    PodJson container(String name, Map<String, String> requests, Map<String, String> limits) {
        return addContainer("containers", name, requests, limits);
    }

    PodJson initContainer(String name, Map<String, String> requests, Map<String, String> limits) {
        return addContainer("initContainers", name, requests, limits);
    }

    /** A container: {@code resources} holds only the maps that are not empty, as the API server writes it. */
    private PodJson addContainer(String list, String name, Map<String, String> requests, Map<String, String> limits) {
        ArrayNode arr = spec().has(list) ? (ArrayNode) spec().get(list) : spec().putArray(list);
        ObjectNode c = arr.addObject();
        c.put("name", name);
        c.put("image", "registry.example/train:1");
        ObjectNode res = c.putObject("resources");
        if (!requests.isEmpty()) {
            ObjectNode r = res.putObject("requests");
            requests.forEach(r::put);
        }
        if (!limits.isEmpty()) {
            ObjectNode l = res.putObject("limits");
            limits.forEach(l::put);
        }
        c.put("imagePullPolicy", "IfNotPresent");
        return this;
    }

    PodJson gate(String name) {
        ArrayNode g = spec().has("schedulingGates") ? (ArrayNode) spec().get("schedulingGates") : spec().putArray("schedulingGates");
        g.addObject().put("name", name);
        return this;
    }

    PodJson toleration(String key, String operator, String value, String effect) {
        ArrayNode t = spec().has("tolerations") ? (ArrayNode) spec().get("tolerations") : spec().putArray("tolerations");
        ObjectNode o = t.addObject();
        if (key != null) {
            o.put("key", key);
        }
        o.put("operator", operator);
        if (value != null) {
            o.put("value", value);
        }
        if (effect != null) {
            o.put("effect", effect);
        }
        return this;
    }

    PodJson owner(String apiVersion, String kind, String name) {
        ArrayNode o = meta().has("ownerReferences") ? (ArrayNode) meta().get("ownerReferences") : meta().putArray("ownerReferences");
        ObjectNode ref = o.addObject();
        ref.put("apiVersion", apiVersion);
        ref.put("kind", kind);
        ref.put("name", name);
        ref.put("uid", "0b8c3f1e-0000-4000-8000-" + String.format("%012d", Math.abs(name.hashCode())));
        ref.put("controller", true);
        ref.put("blockOwnerDeletion", true);
        return this;
    }

    /** Sets any field by a dotted path under the pod, for odd cases. */
    PodJson set(String dottedPath, JsonNode value) {
        String[] steps = dottedPath.split("\\.");
        ObjectNode n = pod;
        for (int i = 0; i < steps.length - 1; i++) {
            n = map(n, steps[i]);
        }
        n.set(steps[steps.length - 1], value);
        return this;
    }

    PodJson remove(String dottedPath) {
        String[] steps = dottedPath.split("\\.");
        JsonNode n = pod;
        for (int i = 0; i < steps.length - 1; i++) {
            n = n.path(steps[i]);
        }
        if (n instanceof ObjectNode o) {
            o.remove(steps[steps.length - 1]);
        }
        return this;
    }

    ObjectNode build() {
        return pod.deepCopy();
    }

    private ObjectNode meta() {
        return (ObjectNode) pod.get("metadata");
    }

    private ObjectNode spec() {
        return (ObjectNode) pod.get("spec");
    }

    private static ObjectNode map(ObjectNode parent, String key) {
        JsonNode n = parent.get(key);
        return n instanceof ObjectNode o ? o : parent.putObject(key);
    }
}
