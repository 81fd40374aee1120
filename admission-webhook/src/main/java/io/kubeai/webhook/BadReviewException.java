package io.kubeai.webhook;

import io.kubeai.core.KubeAiException;

/** A request body that is no AdmissionReview the webhook can answer: answered with HTTP 400. */
public final class BadReviewException extends KubeAiException {
    private static final long serialVersionUID = 1L;

    public BadReviewException(String message) {
        super(message);
    }
}
