package io.kubeai.core.cluster;

import io.kubeai.core.resource.PodRequest;

/**
 * A pod held on a node: its request and the GPU devices it holds, as a bit mask (bit {@code i}
 * set when device {@code i} is used).
 */
public record Placement(String podId, PodRequest request, int nodeIndex, int gpuDevices) {

    /** The device indexes in the mask, lowest first. */
    public int[] deviceIndexes() {
        int[] out = new int[Integer.bitCount(gpuDevices)];
        int mask = gpuDevices;
        for (int i = 0; i < out.length; i++) {
            out[i] = Integer.numberOfTrailingZeros(mask);
            mask &= mask - 1;
        }
        return out;
    }
}
