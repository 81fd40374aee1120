package io.kubeai.core.workload;

import io.kubeai.core.resource.PodRequest;
import java.util.Objects;

/** {@code count} identical pods of a workload (the workers, or the launcher). */
public record PodSet(String name, int count, PodRequest request) {
    public PodSet {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(request, "request");
        if (count < 1) {
            throw new IllegalArgumentException("pod set " + name + " needs at least one pod, has " + count);
        }
    }
}
