package io.kubeai.webhook;

import static io.kubeai.webhook.MutationTest.m;
import static io.kubeai.webhook.PodJson.pod;
import static io.kubeai.webhook.WebhookHarness.JSON;
import static io.kubeai.webhook.WebhookHarness.apply;
import static io.kubeai.webhook.WebhookHarness.patchOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubeai.kube.KubeAiNames;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Bodies the API server would never send, and pods it might: every one gets a well-formed answer
 * (400 and a Status where the body is unusable, an AdmissionReview otherwise), and the server
 * keeps serving after each.
 */
class BadInputTest {
    static WebhookHarness h;

    @BeforeAll
    static void start() throws Exception {
        h = WebhookHarness.start(MutationTest.BASIC, WebhookServer.Options.defaults().withInstances(2)
                .withBodyLimit(1024 * 1024));
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    /** After every bad input, a good review is still answered. */
    @AfterEach
    void stillServing() throws Exception {
        JsonNode r = h.mutate(pod("ok").ns("ml").container("c", m("cpu", "1"), m()).build());
        assertThat(r.path("allowed").asBoolean()).isTrue();
        assertThat(patchOf(r)).isNotEmpty();
    }

    static String goodReview() {
        return JSON.writeValueAsString(WebhookHarness.podReview("CREATE", pod("p").ns("ml").build(), null, false));
    }

    static Stream<Arguments> unusable() {
        String good = goodReview();
        ObjectNode noRequest = (ObjectNode) JSON.readTree(good);
        noRequest.remove("request");
        ObjectNode noUid = (ObjectNode) JSON.readTree(good);
        ((ObjectNode) noUid.get("request")).remove("uid");
        ObjectNode wrongKind = (ObjectNode) JSON.readTree(good);
        wrongKind.put("kind", "Pod");
        ObjectNode v2 = (ObjectNode) JSON.readTree(good);
        v2.put("apiVersion", "admission.k8s.io/v2");
        ObjectNode nullRequest = (ObjectNode) JSON.readTree(good);
        nullRequest.putNull("request");
        return Stream.of(
                Arguments.of("not JSON", "hello, webhook", "the body is not JSON"),
                Arguments.of("truncated JSON", good.substring(0, good.length() / 2), "the body is not JSON"),
                Arguments.of("trailing garbage", good + " {}", "the body is not JSON"),
                Arguments.of("empty body", "", "empty body"),
                Arguments.of("a JSON array", "[1, 2]", "expected a JSON object (an AdmissionReview), found array"),
                Arguments.of("JSON null", "null", "expected a JSON object"),
                Arguments.of("a review without request", noRequest.toString(), "has no request object"),
                Arguments.of("a review with a null request", nullRequest.toString(), "has no request object"),
                Arguments.of("a review without uid", noUid.toString(), "request.uid is missing"),
                Arguments.of("not an AdmissionReview", wrongKind.toString(), "kind is \"Pod\"; expected AdmissionReview"),
                Arguments.of("an unknown review version", v2.toString(), "apiVersion \"admission.k8s.io/v2\" is not served"),
                Arguments.of("deeply nested JSON", "[".repeat(5000) + "]".repeat(5000), "the body is not JSON"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unusable")
    void anUnusableBodyGets400AndAStatusSayingWhy(String name, String body, String message) throws Exception {
        for (String path : new String[] {"/mutate", "/validate"}) {
            WebhookHarness.Response r = h.post(path, body.getBytes(StandardCharsets.UTF_8));
            assertThat(r.status()).as(r.body()).isEqualTo(400);
            assertThat(r.json().path("kind").asString()).isEqualTo("Status");
            assertThat(r.json().path("code").asInt()).isEqualTo(400);
            assertThat(r.json().path("reason").asString()).isEqualTo("BadRequest");
            assertThat(r.json().path("message").asString()).contains(message);
            assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
        }
    }

    @Test
    void aBodyAboveTheLimitGets413AndTheServerGoesOn() throws Exception {
        byte[] huge = new byte[2 * 1024 * 1024];
        Arrays.fill(huge, (byte) ' ');
        WebhookHarness.Response r = h.post("/mutate", huge);
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.json().path("message").asString()).isEqualTo("the request body is larger than 1048576 bytes");
        h.reconnect();
    }

    @Test
    void anOldV1beta1ReviewIsAnsweredInItsOwnVersion() throws Exception {
        ObjectNode review = WebhookHarness.podReview("CREATE", pod("p").ns("ml").build(), null, false);
        review.put("apiVersion", AdmissionReviews.V1BETA1);
        JsonNode r = h.review("/mutate", review);
        assertThat(patchOf(r)).isNotEmpty();
    }

    @Test
    void aNonPodKindIsAllowedUnchanged() throws Exception {
        ObjectNode deployment = JSON.createObjectNode();
        deployment.put("apiVersion", "apps/v1").put("kind", "Deployment").putObject("metadata").put("name", "d");
        JsonNode r = h.review("/mutate", WebhookHarness.review("apps", "v1", "Deployment", "deployments", "CREATE", "ml", "d",
                deployment, null, false));
        assertThat(r.path("allowed").asBoolean()).isTrue();
        assertThat(r.has("patch")).isFalse();
        // a pod subresource (binding, eviction) is not a pod to mutate either
        ObjectNode binding = WebhookHarness.podReview("CREATE", pod("p").ns("ml").build(), null, false);
        ((ObjectNode) binding.get("request")).put("subResource", "binding");
        assertThat(h.review("/mutate", binding).has("patch")).isFalse();
    }

    @Test
    void unknownPathsAndMethodsGetAStatus() throws Exception {
        WebhookHarness.Response notFound = h.post("/mutate-pods", goodReview().getBytes(StandardCharsets.UTF_8));
        assertThat(notFound.status()).isEqualTo(404);
        assertThat(notFound.json().path("message").asString()).contains("POST /mutate and POST /validate");
        WebhookHarness.Response get = h.get("/mutate");
        assertThat(get.status()).isEqualTo(405);
    }

    static Stream<Arguments> oddButValidPods() {
        String longValue = "x".repeat(200_000);
        return Stream.of(
                Arguments.of("unicode in labels and annotations", pod("p").ns("ml").label("team", "视觉-cv")
                        .annotation("note", "训练任务 🚀 \u0000\u2028").container("c", m("cpu", "1"), m()).build()),
                Arguments.of("a 200 kB annotation", pod("p").ns("ml").annotation("blob", longValue).build()),
                Arguments.of("fields no schema knows", pod("p").ns("ml").set("spec.futureField", JSON.readTree("{\"a\":[1,{}]}"))
                        .set("metadata.x-extra", JSON.readTree("42")).build()),
                Arguments.of("null labels and annotations", pod("p").ns("ml").set("metadata.labels", JSON.nullNode())
                        .set("metadata.annotations", JSON.nullNode()).build()),
                Arguments.of("null schedulingGates and tolerations", pod("p").ns("ml").label(KubeAiNames.GANG, "g")
                        .set("spec.schedulingGates", JSON.nullNode()).set("spec.tolerations", JSON.nullNode()).build()),
                Arguments.of("no containers at all", pod("p").ns("ml").remove("spec.containers").build()),
                Arguments.of("a container with null resources", pod("p").ns("ml").set("spec.containers",
                        JSON.readTree("[{\"name\":\"c\",\"resources\":null}]")).build()),
                Arguments.of("quantities written as numbers", pod("p").ns("ml").set("spec.containers",
                        JSON.readTree("[{\"name\":\"c\",\"resources\":{\"requests\":{\"cpu\":2,\"memory\":1073741824}}}]")).build()),
                Arguments.of("quantities in exotic notation", pod("p").ns("ml").container("c",
                        m("cpu", "0.5", "memory", "1e9", "ephemeral-storage", "1E"), m()).build()),
                Arguments.of("ephemeral containers and overhead", pod("p").ns("ml")
                        .set("spec.ephemeralContainers", JSON.readTree("[{\"name\":\"debug\",\"image\":\"busybox\"}]"))
                        .set("spec.overhead", JSON.readTree("{\"cpu\":\"250m\"}")).build()),
                Arguments.of("a label key with ~ and / in it", pod("p").ns("ml").label("example.com/a~b", "v")
                        .label(KubeAiNames.GANG, "g").build()),
                Arguments.of("a namespace only in metadata", pod("p").ns("ml").build()),
                Arguments.of("an empty gang name", pod("p").ns("ml").label(KubeAiNames.GANG, "").build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oddButValidPods")
    void anOddButValidPodGetsAWellFormedReviewWhosePatchApplies(String name, JsonNode pod) throws Exception {
        for (String path : new String[] {"/mutate", "/validate"}) {
            JsonNode r = h.review(path, WebhookHarness.podReview("CREATE", pod, null, false));
            assertThat(r.path("allowed").asBoolean()).as(r.toString()).isTrue();
            if (path.equals("/mutate")) {
                JsonNode patched = apply(pod, patchOf(r));
                assertThat(patchOf(h.mutate(patched))).as("reinvocation").isEmpty();
            }
        }
    }

    @Test
    void aPodWithAnUnreadableQuantityIsDeniedSayingWhichNotFailed() throws Exception {
        JsonNode r = h.mutate(pod("p").ns("ml").container("c", m("cpu", "1e3m"), m()).build());
        assertThat(r.path("allowed").asBoolean()).isFalse();
        assertThat(r.path("status").path("code").asInt()).isEqualTo(422);
        assertThat(r.path("status").path("message").asString()).startsWith("pod ml/p cannot be read: ");
    }

    @Test
    void metricsCountReviewsByOutcome() throws Exception {
        h.post("/mutate", "nope".getBytes(StandardCharsets.UTF_8));
        String metrics = h.get("/metrics").body();
        assertThat(metrics).contains("kubeai_webhook_reviews_total{code=\"400\",endpoint=\"mutate\",kind=\"\",outcome=\"bad_request\"}");
        assertThat(metrics).contains("kubeai_webhook_review_duration_seconds_bucket");
        assertThat(metrics).contains("kubeai_webhook_mutations_total{mutation=\"gate\"}");
        assertThat(metrics).contains("kubeai_webhook_tls_certificate_expiry_timestamp_seconds");
        assertThat(h.get("/healthz").body()).isEqualTo("ok");
        assertThat(h.get("/readyz").status()).isEqualTo(200);
    }
}
