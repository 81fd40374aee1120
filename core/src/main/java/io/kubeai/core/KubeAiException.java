package io.kubeai.core;

/**
 * The one unchecked root of every error KubeAI raises on purpose. Subclasses carry structured
 * fields (a file and line, a field path) so that callers never parse messages.
 */
public class KubeAiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public KubeAiException(String message) {
        super(message);
    }

    public KubeAiException(String message, Throwable cause) {
        super(message, cause);
    }
}
