package io.kubeai.kube;

/** The gang a pod belongs to: its namespace and name, and which convention named it. */
public record GangRef(String namespace, String name, Source source) {
    public enum Source {
        KUBEAI_LABEL,
        SCHEDULER_PLUGINS_LABEL,
        VOLCANO_ANNOTATION,
        KUBEFLOW_LABELS
    }

    public String key() {
        return namespace + "/" + name;
    }
}
