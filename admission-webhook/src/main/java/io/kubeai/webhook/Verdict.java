package io.kubeai.webhook;

import java.util.List;
import tools.jackson.databind.node.ArrayNode;

/** What the webhook decides about one object: allow it (with a patch, possibly empty) or deny it. */
public sealed interface Verdict {
    /** An error at a field path ({@code spec.min.cpu}), as the API server reports causes. */
    record FieldError(String field, String message) {
        @Override
        public String toString() {
            return field + ": " + message;
        }
    }

    /** Allowed; {@code patch} is a JSON Patch (empty: no change), {@code mutations} name what it does. */
    record Allow(ArrayNode patch, List<String> mutations, List<String> warnings) implements Verdict {
        public Allow {
            mutations = List.copyOf(mutations);
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * Denied with an HTTP-style {@code code} (403 Forbidden for a policy, 422 Invalid for bad
     * fields), a message that says what to change, and every field error as a cause.
     */
    record Deny(int code, String reason, String message, List<FieldError> causes) implements Verdict {
        public Deny {
            causes = List.copyOf(causes);
        }

        static Deny invalid(String what, List<FieldError> errors) {
            return new Deny(422, "Invalid", what + " is invalid: "
                    + String.join("; ", errors.stream().map(FieldError::toString).toList()), errors);
        }

        static Deny forbidden(String message) {
            return new Deny(403, "Forbidden", message, List.of());
        }
    }

    static Allow unchanged() {
        return new Allow(tools.jackson.databind.node.JsonNodeFactory.instance.arrayNode(), List.of(), List.of());
    }
}
