package io.kubeai.cli;

import io.kubeai.core.KubeAiException;

/** The API server could not be reached, or did not list what the operator tools read in time. */
final class ClusterUnreachableException extends KubeAiException {
    private static final long serialVersionUID = 1L;

    ClusterUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
