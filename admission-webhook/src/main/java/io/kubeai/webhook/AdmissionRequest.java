package io.kubeai.webhook;

import tools.jackson.databind.JsonNode;

/**
 * The parts of an AdmissionReview's {@code request} the webhook reads. {@code apiVersion} is the
 * review's own ({@code admission.k8s.io/v1}, or {@code v1beta1}, whose shape is the same), echoed
 * in the answer. {@code group}, {@code version} and {@code kind} are the object's kind as the API
 * server names it in {@code request.kind}; {@code object} and {@code oldObject} are missing nodes
 * where the review has none.
 */
public record AdmissionRequest(
        String apiVersion,
        String uid,
        String group,
        String version,
        String kind,
        String subResource,
        String operation,
        String namespace,
        String name,
        boolean dryRun,
        JsonNode object,
        JsonNode oldObject) {

    public boolean is(String group, String kind) {
        return this.group.equals(group) && this.kind.equals(kind);
    }

    public boolean isPod() {
        return is("", "Pod") && version.equals("v1") && subResource.isEmpty();
    }

    /** {@code namespace/name} for messages; the name may still be empty on CREATE with generateName. */
    public String objectKey() {
        String n = name;
        if (n.isEmpty()) {
            String gen = object.path("metadata").path("generateName").asString("");
            n = gen.isEmpty() ? "(unnamed)" : gen + "*";
        }
        return namespace.isEmpty() ? n : namespace + "/" + n;
    }
}
