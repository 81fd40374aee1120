package io.kubeai.chart;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.regex.Pattern;

/** The objects one {@code helm template} rendered, in order. */
record Rendered(String text, List<Obj> objects) {
    private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");

    /** One rendered object: its YAML as Helm wrote it and that YAML read as a map. */
    record Obj(String source, String yaml, Map<String, Object> map) {
        String kind() {
            return (String) map.get("kind");
        }

        String apiVersion() {
            return (String) map.get("apiVersion");
        }

        String name() {
            return Yaml.at(map, "metadata.name");
        }

        String namespace() {
            return Yaml.at(map, "metadata.namespace");
        }

        <T> T at(String path) {
            return Yaml.at(map, path);
        }

        /** The object as fabric8's typed model ({@code Deployment}, {@code ClusterRole}…). */
        <T extends HasMetadata> T as(Class<T> type) {
            return Yaml.convert(map, type);
        }

        @Override
        public String toString() {
            return kind() + " " + (namespace() == null ? "" : namespace() + "/") + name() + " (" + source + ")";
        }
    }

    static Rendered parse(String text) {
        List<Obj> objects = new ArrayList<>();
        for (String doc : DOCUMENT_SEPARATOR.split(text)) {
            Map<String, Object> map = Yaml.map(doc);
            if (map.isEmpty()) {
                continue;
            }
            String source = doc.lines().filter(l -> l.startsWith("# Source: ")).findFirst()
                    .map(l -> l.substring("# Source: ".length())).orElse("?");
            objects.add(new Obj(source, doc, map));
        }
        return new Rendered(text, List.copyOf(objects));
    }

    List<Obj> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(o.kind())).toList();
    }

    Obj one(String kind, String name) {
        return objects.stream().filter(o -> kind.equals(o.kind()) && name.equals(o.name())).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no " + kind + " " + name + " was rendered; rendered: "
                        + objects));
    }

    <T extends HasMetadata> T one(String kind, String name, Class<T> type) {
        return one(kind, name).as(type);
    }

    boolean has(String kind, String name) {
        return objects.stream().anyMatch(o -> kind.equals(o.kind()) && name.equals(o.name()));
    }
}
