package io.kubeai.kube.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.generator.annotation.Min;
import java.util.List;
import java.util.Map;

/** The spec of a {@link Queue}: what it is guaranteed, its cap, and how it shares. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class QueueResourceSpec {
    @JsonPropertyDescription("The parent queue; empty for a top-level queue under the cluster.")
    private String parent;

    @JsonPropertyDescription("Guaranteed resources, e.g. {nvidia.com/gpu: 64, cpu: 512}.")
    private Map<String, Quantity> min;

    @JsonPropertyDescription("The cap; resources not named are unbounded.")
    private Map<String, Quantity> max;

    @JsonPropertyDescription("Weight in fair sharing across queues (default 1).")
    @Min(1)
    private Integer weight;

    @JsonPropertyDescription("How much beyond its min the queue may borrow from idle siblings, per resource.")
    private Map<String, Quantity> borrowingLimit;

    @JsonPropertyDescription("How much of its unused min the queue lends to others, per resource (default: all).")
    private Map<String, Quantity> lendingLimit;

    @JsonPropertyDescription("Priority among queues: a higher one's heads go first at equal workload priority.")
    private Integer priority;

    @JsonPropertyDescription("StrictFIFO: nothing passes a waiting head. BestEffortFIFO (default): work behind it may go first.")
    private String queueing;

    @JsonPropertyDescription("Time windows that scale min and max, or close the queue, by time of day and day of week; "
            + "the first open one applies.")
    private List<QueueWindowSpec> windows;

    public String getParent() {
        return parent;
    }

    public void setParent(String parent) {
        this.parent = parent;
    }

    public Map<String, Quantity> getMin() {
        return min;
    }

    public void setMin(Map<String, Quantity> min) {
        this.min = min;
    }

    public Map<String, Quantity> getMax() {
        return max;
    }

    public void setMax(Map<String, Quantity> max) {
        this.max = max;
    }

    public Integer getWeight() {
        return weight;
    }

    public void setWeight(Integer weight) {
        this.weight = weight;
    }

    public Map<String, Quantity> getBorrowingLimit() {
        return borrowingLimit;
    }

    public void setBorrowingLimit(Map<String, Quantity> borrowingLimit) {
        this.borrowingLimit = borrowingLimit;
    }

    public Map<String, Quantity> getLendingLimit() {
        return lendingLimit;
    }

    public void setLendingLimit(Map<String, Quantity> lendingLimit) {
        this.lendingLimit = lendingLimit;
    }

    public Integer getPriority() {
        return priority;
    }

    public void setPriority(Integer priority) {
        this.priority = priority;
    }

    public String getQueueing() {
        return queueing;
    }

    public void setQueueing(String queueing) {
        this.queueing = queueing;
    }

    public List<QueueWindowSpec> getWindows() {
        return windows;
    }

    public void setWindows(List<QueueWindowSpec> windows) {
        this.windows = windows;
    }
}
