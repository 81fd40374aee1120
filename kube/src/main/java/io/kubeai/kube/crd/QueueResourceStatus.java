package io.kubeai.kube.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;

/** What a {@link Queue} holds now, written by the controller. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class QueueResourceStatus {
    @JsonPropertyDescription("Resources held by admitted workloads of this queue and its children.")
    private Map<String, Quantity> used;

    @JsonPropertyDescription("What the queue takes beyond its min from its parent.")
    private Map<String, Quantity> borrowed;

    @JsonPropertyDescription("Unused min other queues may use now.")
    private Map<String, Quantity> lendable;

    @JsonPropertyDescription("Resources requested by workloads waiting in this queue.")
    private Map<String, Quantity> pending;

    private Integer pendingWorkloads;
    private Integer admittedWorkloads;

    @JsonPropertyDescription("GPUs used/min, for kubectl get queues.")
    private String gpus;

    @JsonPropertyDescription("GPUs borrowed, for kubectl get queues.")
    private String gpusBorrowed;

    public Map<String, Quantity> getUsed() {
        return used;
    }

    public void setUsed(Map<String, Quantity> used) {
        this.used = used;
    }

    public Map<String, Quantity> getBorrowed() {
        return borrowed;
    }

    public void setBorrowed(Map<String, Quantity> borrowed) {
        this.borrowed = borrowed;
    }

    public Map<String, Quantity> getLendable() {
        return lendable;
    }

    public void setLendable(Map<String, Quantity> lendable) {
        this.lendable = lendable;
    }

    public Map<String, Quantity> getPending() {
        return pending;
    }

    public void setPending(Map<String, Quantity> pending) {
        this.pending = pending;
    }

    public Integer getPendingWorkloads() {
        return pendingWorkloads;
    }

    public void setPendingWorkloads(Integer pendingWorkloads) {
        this.pendingWorkloads = pendingWorkloads;
    }

    public Integer getAdmittedWorkloads() {
        return admittedWorkloads;
    }

    public void setAdmittedWorkloads(Integer admittedWorkloads) {
        this.admittedWorkloads = admittedWorkloads;
    }

    public String getGpus() {
        return gpus;
    }

    public void setGpus(String gpus) {
        this.gpus = gpus;
    }

    public String getGpusBorrowed() {
        return gpusBorrowed;
    }

    public void setGpusBorrowed(String gpusBorrowed) {
        this.gpusBorrowed = gpusBorrowed;
    }
}
