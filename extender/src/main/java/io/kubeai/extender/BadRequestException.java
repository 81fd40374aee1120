package io.kubeai.extender;

import io.kubeai.core.KubeAiException;

/** A request the extender cannot act on; answered with a well-formed error, never a stack trace. */
public final class BadRequestException extends KubeAiException {
    private static final long serialVersionUID = 1L;

    public BadRequestException(String message) {
        super(message);
    }
}
