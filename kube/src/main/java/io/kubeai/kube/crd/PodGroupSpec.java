package io.kubeai.kube.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;

/** The spec of a {@link PodGroup}: how many pods must start together, and where it queues. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PodGroupSpec {
    @JsonPropertyDescription("Pods that must be placed at once for the group to start.")
    @Min(1)
    private Integer minMember;

    @JsonPropertyDescription("Resources the group needs at least, checked against quota before its pods exist.")
    private Map<String, Quantity> minResources;

    @JsonPropertyDescription("The queue (a leaf Queue) the group waits in.")
    private String queue;

    private String priorityClassName;

    @JsonPropertyDescription("Give up after waiting this long, releasing everything (0 or empty: never).")
    @Min(0)
    private Long scheduleTimeoutSeconds;

    public Integer getMinMember() {
        return minMember;
    }

    public void setMinMember(Integer minMember) {
        this.minMember = minMember;
    }

    public Map<String, Quantity> getMinResources() {
        return minResources;
    }

    public void setMinResources(Map<String, Quantity> minResources) {
        this.minResources = minResources;
    }

    public String getQueue() {
        return queue;
    }

    public void setQueue(String queue) {
        this.queue = queue;
    }

    public String getPriorityClassName() {
        return priorityClassName;
    }

    public void setPriorityClassName(String priorityClassName) {
        this.priorityClassName = priorityClassName;
    }

    public Long getScheduleTimeoutSeconds() {
        return scheduleTimeoutSeconds;
    }

    public void setScheduleTimeoutSeconds(Long scheduleTimeoutSeconds) {
        this.scheduleTimeoutSeconds = scheduleTimeoutSeconds;
    }
}
