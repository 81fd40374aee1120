package io.kubeai.core.cluster;

/** The first resource that kept a pod off a node, in the order they are checked. */
public enum FitFailure {
    GPU_MODEL("GPU model not accepted"),
    CPU("insufficient cpu"),
    MEMORY("insufficient memory"),
    GPU("insufficient GPU"),
    EXTENDED("insufficient extended resource");

    private final String phrase;

    FitFailure(String phrase) {
        this.phrase = phrase;
    }

    public String phrase() {
        return phrase;
    }
}
