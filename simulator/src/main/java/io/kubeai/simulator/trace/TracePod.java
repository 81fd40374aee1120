package io.kubeai.simulator.trace;

import io.kubeai.core.resource.PodRequest;

/** A pod of a trace: its name and what it requests. */
public record TracePod(String name, PodRequest request) {
}
