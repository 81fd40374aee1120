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

    @JsonPropertyDescription("False while a Close window closes the queue (or its parent): nothing is admitted.")
    private Boolean open;

    @JsonPropertyDescription("The window that applies now and until when; empty outside every window.")
    private String window;

    @JsonPropertyDescription("min as it applies now, after the open window's scaling.")
    private Map<String, Quantity> effectiveMin;

    @JsonPropertyDescription("max as it applies now, after the open window's scaling; resources not named are unbounded.")
    private Map<String, Quantity> effectiveMax;

    @JsonPropertyDescription("What is wrong with the queue's spec, when the controller cannot use it.")
    private String message;

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

    public Boolean getOpen() {
        return open;
    }

    public void setOpen(Boolean open) {
        this.open = open;
    }

    public String getWindow() {
        return window;
    }

    public void setWindow(String window) {
        this.window = window;
    }

    public Map<String, Quantity> getEffectiveMin() {
        return effectiveMin;
    }

    public void setEffectiveMin(Map<String, Quantity> effectiveMin) {
        this.effectiveMin = effectiveMin;
    }

    public Map<String, Quantity> getEffectiveMax() {
        return effectiveMax;
    }

    public void setEffectiveMax(Map<String, Quantity> effectiveMax) {
        this.effectiveMax = effectiveMax;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }
}
