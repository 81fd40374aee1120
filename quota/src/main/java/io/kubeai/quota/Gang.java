package io.kubeai.quota;

import io.kubeai.core.resource.PodRequest;
import io.kubeai.kube.CachedPod;
import io.kubeai.kube.crd.PodGroup;
import java.util.List;

/**
 * The pods that form one workload, as the API server shows them: a gang (by our label,
 * scheduler-plugins', Volcano's or Kubeflow's) or a single queued pod, with its PodGroup if
 * there is one.
 */
record Gang(String id, String namespace, String name, List<Member> members, PodGroup podGroup, Integer minMember,
        Long timeoutSeconds, String queue) {

    /** One pod of the gang and what the controller has written on it. */
    record Member(CachedPod pod, String key, PodRequest request, boolean gated, boolean bound, String plannedNode,
            String admissionId) {

        String name() {
            return pod.name();
        }

        int priority() {
            return pod.priority();
        }
    }

    boolean anyAdmitted() {
        return members.stream().anyMatch(m -> m.admissionId() != null);
    }

    boolean allGated() {
        return members.stream().allMatch(Member::gated);
    }

    int priority() {
        return members.stream().mapToInt(Member::priority).max().orElse(0);
    }
}
