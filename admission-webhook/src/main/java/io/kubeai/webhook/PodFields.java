package io.kubeai.webhook;

import io.kubeai.core.config.WebhookPolicy;
import io.kubeai.kube.KubeAiNames;
import io.kubeai.kube.TimingAnnotations;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The {@code kubeai.io/} fields users write on a pod, read from its labels (first) or its
 * annotations, and checked against their allowed values. Shared by the mutating and the
 * validating side so that both say the same thing about the same pod.
 */
final class PodFields {
    static final List<String> PINNING = List.of("none", "exclusive", "numa");
    private static final Set<String> BOOLEANS = Set.of("true", "false");

    private PodFields() {
    }

    /** A user value: the label if there is one, else the annotation; null when neither is set. */
    static String value(JsonNode pod, String key) {
        JsonNode meta = pod.path("metadata");
        JsonNode l = meta.path("labels").path(key);
        if (l.isString()) {
            return l.stringValue();
        }
        JsonNode a = meta.path("annotations").path(key);
        return a.isString() ? a.stringValue() : null;
    }

    static String label(JsonNode pod, String key) {
        JsonNode l = pod.path("metadata").path("labels").path(key);
        return l.isString() ? l.stringValue() : null;
    }

    static String annotation(JsonNode pod, String key) {
        JsonNode a = pod.path("metadata").path("annotations").path(key);
        return a.isString() ? a.stringValue() : null;
    }

    /** Where a user value was read from, as a field path. */
    static String field(JsonNode pod, String key) {
        boolean isLabel = pod.path("metadata").path("labels").path(key).isString();
        return "metadata." + (isLabel ? "labels" : "annotations") + "[" + key + "]";
    }

    /** The pinning a pod asks for: none, exclusive or numa (none when unset or invalid). */
    static String pinning(JsonNode pod) {
        String p = value(pod, KubeAiNames.CPU_PINNING);
        return p != null && PINNING.contains(p.strip()) ? p.strip() : "none";
    }

    /** Every bad value among the fields users write, with its path and the allowed values. */
    static List<Verdict.FieldError> check(JsonNode pod) {
        List<Verdict.FieldError> errors = new ArrayList<>();
        oneOf(pod, KubeAiNames.TIER, WebhookPolicy.TIERS, errors);
        oneOf(pod, KubeAiNames.CPU_PINNING, PINNING, errors);
        oneOf(pod, KubeAiNames.ELASTIC, List.of("true", "false"), errors);
        oneOf(pod, KubeAiNames.PERIODIC, List.of("true", "false"), errors);
        time(pod, KubeAiNames.NOT_BEFORE, errors);
        time(pod, KubeAiNames.DEADLINE, errors);
        duration(pod, KubeAiNames.EXPECTED_DURATION, errors);
        String queue = value(pod, KubeAiNames.QUEUE);
        if (queue != null && queue.isBlank()) {
            errors.add(new Verdict.FieldError(field(pod, KubeAiNames.QUEUE), "must not be empty; name a queue or leave it out"));
        }
        return errors;
    }

    private static void oneOf(JsonNode pod, String key, List<String> allowed, List<Verdict.FieldError> errors) {
        String v = value(pod, key);
        if (v != null && !allowed.contains(v.strip())) {
            errors.add(new Verdict.FieldError(field(pod, key), "\"" + v + "\" is not one of " + allowed));
        }
    }

    private static void time(JsonNode pod, String key, List<Verdict.FieldError> errors) {
        String v = value(pod, key);
        if (v == null) {
            return;
        }
        try {
            TimingAnnotations.time(v); // the controller's parser: what passes here, the controller reads
        } catch (IllegalArgumentException e) {
            errors.add(new Verdict.FieldError(field(pod, key), "\"" + v + "\" is not an RFC 3339 time such as "
                    + "2025-01-31T02:00:00Z"));
        }
    }

    private static void duration(JsonNode pod, String key, List<Verdict.FieldError> errors) {
        String v = value(pod, key);
        if (v == null) {
            return;
        }
        try {
            TimingAnnotations.durationSeconds(v);
        } catch (IllegalArgumentException e) {
            errors.add(new Verdict.FieldError(field(pod, key), "\"" + v + "\" " + e.getMessage()));
        }
    }

    static boolean isBoolean(String s) {
        return s != null && BOOLEANS.contains(s);
    }
}
