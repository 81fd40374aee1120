package io.kubeai.extender.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** kube-scheduler's {@code ExtenderPreemptionResult}: the nodes still acceptable and their victims, by UID. */
public record ExtenderPreemptionResult(
        @JsonProperty("NodeNameToMetaVictims") Map<String, MetaVictims> nodeNameToMetaVictims) {
}
