package io.kubeai.core.config;

/** One thing wrong with a configuration, at a field path: {@code queues[team-cv].min.cpu}. */
public record ValidationError(String path, String message) {
    @Override
    public String toString() {
        return path + ": " + message;
    }
}
