package io.kubeai.extender.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Map;

/**
 * kube-scheduler's {@code ExtenderPreemptionArgs}: the preemptor and, per candidate node, the
 * victims the scheduler chose ({@code NodeNameToMetaVictims} when node-cache capable, else
 * {@code NodeNameToVictims}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExtenderPreemptionArgs(
        @JsonProperty("Pod") Pod pod,
        @JsonProperty("NodeNameToVictims") Map<String, Victims> nodeNameToVictims,
        @JsonProperty("NodeNameToMetaVictims") Map<String, MetaVictims> nodeNameToMetaVictims) {
}
