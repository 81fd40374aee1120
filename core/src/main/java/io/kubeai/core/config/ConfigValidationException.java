package io.kubeai.core.config;

import io.kubeai.core.KubeAiException;
import java.util.List;

/** A configuration with errors; carries every error with its path, never just the first. */
public final class ConfigValidationException extends KubeAiException {
    private static final long serialVersionUID = 1L;
    private final transient List<ValidationError> errors;

    public ConfigValidationException(String what, List<ValidationError> errors) {
        super(what + " has " + errors.size() + (errors.size() == 1 ? " error" : " errors") + ":\n  "
                + String.join("\n  ", errors.stream().map(ValidationError::toString).toList()));
        this.errors = List.copyOf(errors);
    }

    public List<ValidationError> errors() {
        return errors;
    }
}
