package io.kubeai.core.placement;

import io.kubeai.core.cluster.FitFailure;

/** The outcome of choosing a node for one pod: a node and its devices, or why there is none. */
public sealed interface NodeChoice {

    /** The pod goes to {@code nodeIndex} on {@code gpuDevices}; {@code tied} nodes shared the top score. */
    record Chosen(int nodeIndex, int gpuDevices, long score, int tied) implements NodeChoice {
    }

    /**
     * No node fits. {@code nodesByFailure[f.ordinal()]} counts the nodes that failed first on
     * resource {@code f}; {@link #reason()} says it in words.
     */
    record NoNode(int nodes, int[] nodesByFailure) implements NodeChoice {
        public NoNode {
            nodesByFailure = nodesByFailure.clone();
        }

        /** Nodes that failed first on {@code failure}. */
        public int nodesFailing(FitFailure failure) {
            return nodesByFailure[failure.ordinal()];
        }

        @Override
        public int[] nodesByFailure() {
            return nodesByFailure.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof NoNode other && nodes == other.nodes
                    && java.util.Arrays.equals(nodesByFailure, other.nodesByFailure);
        }

        @Override
        public int hashCode() {
            return 31 * nodes + java.util.Arrays.hashCode(nodesByFailure);
        }

        @Override
        public String toString() {
            return "NoNode[" + reason() + "]";
        }

        public String reason() {
            StringBuilder sb = new StringBuilder("0/").append(nodes).append(" nodes fit");
            String sep = ": ";
            for (FitFailure f : FitFailure.values()) {
                int n = nodesByFailure[f.ordinal()];
                if (n > 0) {
                    sb.append(sep).append(n).append(' ').append(f.phrase());
                    sep = ", ";
                }
            }
            return sb.toString();
        }
    }
}
