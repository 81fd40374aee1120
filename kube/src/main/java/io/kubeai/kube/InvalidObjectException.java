package io.kubeai.kube;

import io.kubeai.core.KubeAiException;

/** A Kubernetes object KubeAI cannot read; the message names the object and the field. */
public final class InvalidObjectException extends KubeAiException {
    private static final long serialVersionUID = 1L;

    public InvalidObjectException(String message) {
        super(message);
    }
}
