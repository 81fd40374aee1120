package io.kubeai.webhook;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The part of a raw pod that {@link io.kubeai.kube.KubeConversions} reads (name, namespace,
 * labels, annotations, and the resources of containers, init containers and overhead) as a
 * fabric8 {@link Pod}, built directly from the JSON tree. Binding the whole pod (env, volumes,
 * probes...) with the model's deserializers costs several times more and reads nothing more that
 * the webhook uses. O(labels + containers).
 */
final class PodView {
    private PodView() {
    }

    static Pod of(JsonNode pod, String namespace) {
        JsonNode meta = pod.path("metadata");
        ObjectMeta m = new ObjectMeta();
        m.setName(meta.path("name").asString(null));
        m.setNamespace(namespace);
        m.setLabels(strings(meta.path("labels")));
        m.setAnnotations(strings(meta.path("annotations")));
        JsonNode spec = pod.path("spec");
        PodSpec s = new PodSpec();
        s.setContainers(containers(spec.path("containers")));
        s.setInitContainers(containers(spec.path("initContainers")));
        Map<String, Quantity> overhead = quantities(spec.path("overhead"));
        s.setOverhead(overhead.isEmpty() ? null : overhead);
        Pod p = new Pod();
        p.setMetadata(m);
        p.setSpec(s);
        return p;
    }

    private static List<Container> containers(JsonNode list) {
        List<Container> out = new ArrayList<>();
        for (JsonNode c : list) {
            Container k = new Container();
            k.setName(c.path("name").asString(null));
            JsonNode res = c.path("resources");
            ResourceRequirements r = new ResourceRequirements();
            r.setRequests(quantities(res.path("requests")));
            r.setLimits(quantities(res.path("limits")));
            k.setResources(r);
            out.add(k);
        }
        return out;
    }

    private static Map<String, Quantity> quantities(JsonNode map) {
        Map<String, Quantity> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : map.properties()) {
            JsonNode v = e.getValue();
            if (v.isString() || v.isNumber()) {
                out.put(e.getKey(), new Quantity(v.isString() ? v.stringValue() : v.numberValue().toString()));
            } else if (!v.isNull()) {
                throw new IllegalArgumentException("resources." + e.getKey() + " is not a quantity: " + v);
            }
        }
        return out;
    }

    private static Map<String, String> strings(JsonNode map) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : map.properties()) {
            if (e.getValue().isString()) {
                out.put(e.getKey(), e.getValue().stringValue());
            }
        }
        return out;
    }
}
