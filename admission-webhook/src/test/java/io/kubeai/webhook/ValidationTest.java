package io.kubeai.webhook;

import static io.kubeai.webhook.MutationTest.m;
import static io.kubeai.webhook.PodJson.pod;
import static io.kubeai.webhook.WebhookHarness.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubeai.kube.KubeAiNames;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code POST /validate}: Queue and PodGroup specs field by field, and pods that can never run. */
class ValidationTest {
    static WebhookHarness h;

    @BeforeAll
    static void start() throws Exception {
        h = WebhookHarness.start(MutationTest.BASIC);
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    static ObjectNode queue(String name, String specJson) {
        ObjectNode q = JSON.createObjectNode();
        q.put("apiVersion", "scheduling.kubeai.io/v1alpha1");
        q.put("kind", "Queue");
        q.putObject("metadata").put("name", name);
        if (specJson != null) {
            q.set("spec", JSON.readTree(specJson));
        }
        return q;
    }

    static ObjectNode podGroup(String ns, String name, String specJson) {
        ObjectNode g = JSON.createObjectNode();
        g.put("apiVersion", "scheduling.kubeai.io/v1alpha1");
        g.put("kind", "PodGroup");
        g.putObject("metadata").put("name", name).put("namespace", ns);
        if (specJson != null) {
            g.set("spec", JSON.readTree(specJson));
        }
        return g;
    }

    JsonNode validateQueue(ObjectNode q, String op) throws Exception {
        return h.validate(WebhookHarness.review("scheduling.kubeai.io", "v1alpha1", "Queue", "queues", op, "",
                q.path("metadata").path("name").asString(), q, op.equals("UPDATE") ? q : null, false));
    }

    JsonNode validatePodGroup(ObjectNode g) throws Exception {
        return h.validate(WebhookHarness.review("scheduling.kubeai.io", "v1alpha1", "PodGroup", "podgroups", "CREATE",
                g.path("metadata").path("namespace").asString(), g.path("metadata").path("name").asString(), g, null, false));
    }

    JsonNode validatePod(JsonNode pod) throws Exception {
        return h.validate(WebhookHarness.podReview("CREATE", pod, null, false));
    }

    static List<String> causes(JsonNode response) {
        List<String> out = new ArrayList<>();
        for (JsonNode c : response.path("status").path("details").path("causes")) {
            out.add(c.path("field").asString() + ": " + c.path("message").asString());
        }
        return out;
    }

    @Test
    void aValidQueueIsAllowed() throws Exception {
        for (String op : List.of("CREATE", "UPDATE")) {
            JsonNode r = validateQueue(queue("team-cv", """
                    {"parent": "root", "min": {"nvidia.com/gpu": 16, "cpu": "256"}, "max": {"nvidia.com/gpu": "32"},
                     "weight": 2, "borrowingLimit": {"nvidia.com/gpu": 8}, "lendingLimit": {"nvidia.com/gpu": 4},
                     "priority": 10, "queueing": "StrictFIFO"}"""), op);
            assertThat(r.path("allowed").asBoolean()).as(r.toString()).isTrue();
        }
        assertThat(validateQueue(queue("root", null), "CREATE").path("allowed").asBoolean()).isTrue();
    }

    @Test
    void everyQueueErrorIsReportedWithItsFieldPath() throws Exception {
        JsonNode r = validateQueue(queue("team-cv", """
                {"parent": "team-cv", "min": {"cpu": "lots", "nvidia.com/gpu": 40}, "max": {"nvidia.com/gpu": 32, "memory": -1},
                 "weight": 0, "lendingLimit": {"nvidia.com/gpu": 50}, "priority": "high", "queueing": "LIFO"}"""), "CREATE");
        assertThat(r.path("allowed").asBoolean()).isFalse();
        assertThat(r.path("status").path("code").asInt()).isEqualTo(422);
        assertThat(r.path("status").path("reason").asString()).isEqualTo("Invalid");
        assertThat(causes(r)).containsExactlyInAnyOrder(
                "spec.parent: a queue cannot be its own parent",
                "spec.min.cpu: \"lots\" is not a non-negative quantity",
                "spec.max.memory: -1 is not a non-negative quantity",
                "spec.priority: expected an integer, found \"high\"",
                "spec.queueing: \"LIFO\" is not one of [StrictFIFO, BestEffortFIFO]",
                "spec.weight: must be at least 1, was 0",
                "spec.min.nvidia.com/gpu: 40 is above max 32",
                "spec.lendingLimit.nvidia.com/gpu: 50 is above min 40; a queue lends only its min");
        assertThat(r.path("status").path("message").asString()).startsWith("Queue team-cv is invalid: spec.");
    }

    @Test
    void aValidPodGroupIsAllowedAndABadOneGetsEveryError() throws Exception {
        assertThat(validatePodGroup(podGroup("team-cv", "train", """
                {"minMember": 8, "minResources": {"nvidia.com/gpu": 16, "cpu": "64"}, "queue": "team-cv",
                 "priorityClassName": "kubeai-prod", "scheduleTimeoutSeconds": 600}""")).path("allowed").asBoolean()).isTrue();
        JsonNode r = validatePodGroup(podGroup("team-cv", "train", """
                {"minResources": {"nvidia.com/gpu": "x"}, "queue": "ghost", "priorityClassName": "Gold_Class",
                 "scheduleTimeoutSeconds": -5}"""));
        assertThat(r.path("allowed").asBoolean()).isFalse();
        assertThat(causes(r)).containsExactlyInAnyOrder(
                "spec.minMember: required: how many pods must start together (at least 1)",
                "spec.minResources.nvidia.com/gpu: \"x\" is not a non-negative quantity",
                "spec.queue: queue \"ghost\" does not exist; the leaf queues are [shared, team-cv, team-nlp]",
                "spec.priorityClassName: \"Gold_Class\" is not a PriorityClass name (lower-case DNS subdomain)",
                "spec.scheduleTimeoutSeconds: must be within 0..9223372036854775807, was -5");
        JsonNode tooBig = validatePodGroup(podGroup("team-cv", "big", """
                {"minMember": 0, "minResources": {"nvidia.com/gpu": 40}, "queue": "team-cv"}"""));
        assertThat(causes(tooBig)).containsExactlyInAnyOrder(
                "spec.minMember: must be within 1..2147483647, was 0",
                "spec.minResources: it requests nvidia.com/gpu: 40, above the max of queue team-cv (32); "
                        + "the group could never be admitted");
        assertThat(causes(validatePodGroup(podGroup("ml", "x", "{\"minMember\": 2, \"queue\": \"root\"}"))))
                .containsExactly("spec.queue: queue \"root\" has child queues and takes no workloads; "
                        + "the leaf queues are [shared, team-cv, team-nlp]");
    }

    @Test
    void aPodInAnUnknownQueueIsDeniedNamingTheQueuesThatExist() throws Exception {
        JsonNode r = validatePod(pod("w").ns("ml").scheduler(KubeAiNames.SCHEDULER_NAME).label(KubeAiNames.QUEUE, "team-vc")
                .container("main", m("cpu", "1"), m()).build());
        assertThat(r.path("allowed").asBoolean()).isFalse();
        assertThat(r.path("status").path("code").asInt()).isEqualTo(403);
        assertThat(r.path("status").path("message").asString()).isEqualTo("pod ml/w can never run: queue \"team-vc\" "
                + "does not exist; the leaf queues are [shared, team-cv, team-nlp]; set label kubeai.io/queue to one of them");
    }

    @Test
    void aPodAboveItsQueueOrItsParentsMaxIsDeniedSayingWhatToChange() throws Exception {
        JsonNode r = validatePod(pod("w").ns("ml").scheduler(KubeAiNames.SCHEDULER_NAME).label(KubeAiNames.QUEUE, "shared")
                .container("main", m("cpu", "100", "nvidia.com/gpu", "8"), m("nvidia.com/gpu", "8")).build());
        assertThat(r.path("allowed").asBoolean()).isFalse();
        assertThat(r.path("status").path("message").asString()).isEqualTo("pod ml/w can never run in queue shared: "
                + "it requests cpu: 100, above the max of queue shared (64). Request less, or use a queue whose max allows it");
        // team-nlp has no max of its own; its parent root caps GPUs at 64 — but no pod can ask that many of one node.
        JsonNode parent = validatePod(pod("w").ns("ml").scheduler(KubeAiNames.SCHEDULER_NAME).label(KubeAiNames.QUEUE, "team-nlp")
                .container("a", m("nvidia.com/gpu", "8"), m("nvidia.com/gpu", "8")).build());
        assertThat(parent.path("allowed").asBoolean()).isTrue();
    }

    @Test
    void podsThatFitAndPodsOfOtherSchedulersAreAllowed() throws Exception {
        assertThat(validatePod(pod("w").ns("ml").scheduler(KubeAiNames.SCHEDULER_NAME).label(KubeAiNames.QUEUE, "team-cv")
                .container("main", m("cpu", "8", "nvidia.com/gpu", "8"), m("nvidia.com/gpu", "8")).build())
                .path("allowed").asBoolean()).isTrue();
        assertThat(validatePod(pod("w").ns("ml").label(KubeAiNames.QUEUE, "ghost").build()).path("allowed").asBoolean())
                .as("not ours: default-scheduler").isTrue();
        assertThat(validatePod(pod("w").ns("ml").scheduler(KubeAiNames.SCHEDULER_NAME).build()).path("allowed").asBoolean())
                .as("no queue: not admitted by quota").isTrue();
    }

    @Test
    void anUpdateIsCheckedOnlyWhenItChangesTheQueueOrTier() throws Exception {
        JsonNode old = pod("w").ns("ml").scheduler(KubeAiNames.SCHEDULER_NAME).label(KubeAiNames.QUEUE, "team-cv").build();
        JsonNode relabelled = pod("w").ns("ml").scheduler(KubeAiNames.SCHEDULER_NAME).label(KubeAiNames.QUEUE, "ghost").build();
        JsonNode same = pod("w").ns("ml").scheduler(KubeAiNames.SCHEDULER_NAME).label(KubeAiNames.QUEUE, "team-cv")
                .label("extra", "x").build();
        assertThat(h.validate(WebhookHarness.podReview("UPDATE", relabelled, old, false)).path("allowed").asBoolean()).isFalse();
        assertThat(h.validate(WebhookHarness.podReview("UPDATE", same, old, false)).path("allowed").asBoolean()).isTrue();
    }

    @Test
    void otherKindsAndDeletesAreAllowed() throws Exception {
        ObjectNode cm = JSON.createObjectNode();
        cm.put("apiVersion", "v1").put("kind", "ConfigMap").putObject("metadata").put("name", "x");
        assertThat(h.validate(WebhookHarness.review("", "v1", "ConfigMap", "configmaps", "CREATE", "ml", "x", cm, null, false))
                .path("allowed").asBoolean()).isTrue();
        assertThat(validateQueue(queue("q", "{\"weight\": 0}"), "DELETE").path("allowed").asBoolean()).isTrue();
        // scheduler-plugins' PodGroup is not ours to validate
        ObjectNode spg = podGroup("ml", "x", "{\"minMember\": 0}");
        assertThat(h.validate(WebhookHarness.review("scheduling.x-k8s.io", "v1alpha1", "PodGroup", "podgroups", "CREATE", "ml",
                "x", spg, null, false)).path("allowed").asBoolean()).isTrue();
    }
}
