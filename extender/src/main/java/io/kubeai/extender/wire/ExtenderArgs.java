package io.kubeai.extender.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.kubernetes.api.model.NodeList;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;

/**
 * kube-scheduler's {@code ExtenderArgs} ({@code k8s.io/kube-scheduler/extender/v1}), the body of
 * filter and prioritize calls. The Go type has no JSON tags, so the keys are the Go field names:
 * {@code Pod}, {@code Nodes} (when the extender is not node-cache capable), {@code NodeNames}
 * (when it is). Read case-insensitively, as Go does.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExtenderArgs(
        @JsonProperty("Pod") Pod pod,
        @JsonProperty("Nodes") NodeList nodes,
        @JsonProperty("NodeNames") List<String> nodeNames) {
}
