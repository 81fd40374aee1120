package io.kubeai.chart;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** YAML and JSON in and out, through fabric8's serialization (Jackson). */
final class Yaml {
    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private Yaml() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(String yaml) {
        Map<String, Object> m = SERIALIZATION.unmarshal(yaml, LinkedHashMap.class);
        return m == null ? new LinkedHashMap<>() : m;
    }

    static String dump(Object value) {
        return SERIALIZATION.asYaml(value);
    }

    static String json(Object value) {
        return SERIALIZATION.asJson(value);
    }

    static <T> T convert(Object value, Class<T> type) {
        return SERIALIZATION.convertValue(value, type);
    }

    /** The value at a dotted path of nested maps ({@code spec.template.spec}), or null. */
    @SuppressWarnings("unchecked")
    static <T> T at(Object root, String path) {
        Object node = root;
        for (String key : path.split("\\.")) {
            if (node instanceof Map<?, ?> m) {
                node = m.get(key);
            } else if (node instanceof List<?> l && key.matches("\\d+")) {
                node = Integer.parseInt(key) < l.size() ? l.get(Integer.parseInt(key)) : null;
            } else {
                return null;
            }
        }
        return (T) node;
    }
}
