package io.kubeai.extender.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.kubernetes.api.model.NodeList;
import java.util.List;
import java.util.Map;

/**
 * kube-scheduler's {@code ExtenderFilterResult}: the nodes that pass ({@code Nodes} or
 * {@code NodeNames}, matching the request), the ones that fail with a reason
 * ({@code FailedNodes}: preemption may help; {@code FailedAndUnresolvableNodes}: it cannot), and
 * an {@code Error} that fails the whole call.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExtenderFilterResult(
        @JsonProperty("Nodes") NodeList nodes,
        @JsonProperty("NodeNames") List<String> nodeNames,
        @JsonProperty("FailedNodes") Map<String, String> failedNodes,
        @JsonProperty("FailedAndUnresolvableNodes") Map<String, String> failedAndUnresolvableNodes,
        @JsonProperty("Error") String error) {

    public static ExtenderFilterResult error(String message) {
        return new ExtenderFilterResult(null, null, null, null, message);
    }
}
