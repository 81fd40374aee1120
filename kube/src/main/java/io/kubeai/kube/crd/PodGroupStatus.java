package io.kubeai.kube.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** Where a {@link PodGroup} stands, written by the controller. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PodGroupStatus {
    @JsonPropertyDescription("Pending, Admitted, Running or Failed.")
    private String phase;

    @JsonPropertyDescription("Why it is where it is, in words a person can act on.")
    private String message;

    @JsonPropertyDescription("Where each member was planned, once admitted.")
    private List<PlannedMember> plan;

    private String admittedAt;
    private Integer running;
    private List<Condition> conditions;

    public String getPhase() {
        return phase;
    }

    public void setPhase(String phase) {
        this.phase = phase;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }

    public List<PlannedMember> getPlan() {
        return plan;
    }

    public void setPlan(List<PlannedMember> plan) {
        this.plan = plan;
    }

    public String getAdmittedAt() {
        return admittedAt;
    }

    public void setAdmittedAt(String admittedAt) {
        this.admittedAt = admittedAt;
    }

    public Integer getRunning() {
        return running;
    }

    public void setRunning(Integer running) {
        this.running = running;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    /** One planned member: the pod, its node, and its GPU devices. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class PlannedMember {
        private String pod;
        private String node;
        private String gpuDevices;

        public PlannedMember() {
        }

        public PlannedMember(String pod, String node, String gpuDevices) {
            this.pod = pod;
            this.node = node;
            this.gpuDevices = gpuDevices;
        }

        public String getPod() {
            return pod;
        }

        public void setPod(String pod) {
            this.pod = pod;
        }

        public String getNode() {
            return node;
        }

        public void setNode(String node) {
            this.node = node;
        }

        public String getGpuDevices() {
            return gpuDevices;
        }

        public void setGpuDevices(String gpuDevices) {
            this.gpuDevices = gpuDevices;
        }
    }
}
