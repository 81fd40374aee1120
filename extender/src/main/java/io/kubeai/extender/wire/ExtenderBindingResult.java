package io.kubeai.extender.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** kube-scheduler's {@code ExtenderBindingResult}: empty on success, an {@code Error} otherwise. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExtenderBindingResult(@JsonProperty("Error") String error) {
    public static final ExtenderBindingResult OK = new ExtenderBindingResult(null);
}
