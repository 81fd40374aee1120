package io.kubeai.kube.telemetry;

import java.util.List;
import java.util.Map;

/**
 * A whole scrape in the Prometheus text format: every sample in the order written, and the
 * {@code # TYPE} and {@code # HELP} of each metric family that had one.
 */
public record Exposition(List<Sample> samples, Map<String, String> types, Map<String, String> help) {
    public Exposition {
        samples = List.copyOf(samples);
        types = Map.copyOf(types);
        help = Map.copyOf(help);
    }

    /** The samples of one metric, in the order written. */
    public List<Sample> samples(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }
}
