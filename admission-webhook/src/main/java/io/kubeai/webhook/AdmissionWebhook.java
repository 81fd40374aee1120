package io.kubeai.webhook;

import io.kubeai.core.config.WebhookPolicy;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The webhook without its transport: an AdmissionReview body in, the answer out. A body that is
 * no review gets 400 and a {@code Status}; every review gets a well-formed AdmissionReview, also
 * when the webhook itself fails (then a denial with code 500 and the failure named, never a stack
 * trace). Stateless and thread-safe; {@code dryRun} reviews are answered exactly like others, as
 * answering has no side effects ({@code sideEffects: None}).
 */
public final class AdmissionWebhook {
    private static final Logger LOG = Logger.getLogger(AdmissionWebhook.class.getName());

    /** An HTTP answer: status code, JSON body, the object kind reviewed, the outcome and mutations for metrics. */
    public record Reply(int status, byte[] body, String kind, String outcome, List<String> mutations) {
    }

    private final PodMutator mutator;
    private final AdmissionValidator validator;

    public AdmissionWebhook(WebhookPolicy policy, NamespaceLabels namespaces) {
        this.mutator = new PodMutator(policy, namespaces);
        this.validator = new AdmissionValidator(policy);
    }

    /**
     * Answers synthetic reviews for up to {@code budget} (or 20,000 of them), so that the JIT has
     * compiled the review path before the first real one: on two cores an unwarmed JVM answers
     * the first thousands of reviews ten times slower. Call before listening.
     */
    public void warmUp(java.time.Duration budget) {
        List<byte[]> bodies = new java.util.ArrayList<>();
        String[] pods = {
            "\"metadata\":{\"name\":\"w\",\"labels\":{\"app\":\"a\"}},\"spec\":{\"schedulerName\":\"kubeai-scheduler\","
                    + "\"containers\":[{\"name\":\"c\",\"resources\":{\"requests\":{\"cpu\":\"500m\",\"memory\":\"1Gi\"}}}]}",
            "\"metadata\":{\"name\":\"w\",\"labels\":{\"kubeai.io/gang\":\"g\",\"kubeai.io/cpu-pinning\":\"exclusive\"}},"
                    + "\"spec\":{\"schedulerName\":\"kubeai-scheduler\",\"containers\":[{\"name\":\"c\",\"resources\":"
                    + "{\"requests\":{\"cpu\":\"1500m\",\"memory\":\"4Gi\",\"nvidia.com/gpu\":\"1\"},"
                    + "\"limits\":{\"nvidia.com/gpu\":\"1\"}}}]}",
            "\"metadata\":{\"name\":\"w\",\"annotations\":{\"scheduling.k8s.io/group-name\":\"v\"},\"ownerReferences\":"
                    + "[{\"apiVersion\":\"batch/v1\",\"kind\":\"Job\",\"name\":\"n-29123456\",\"controller\":true}]},"
                    + "\"spec\":{\"schedulerName\":\"kubeai-scheduler\",\"containers\":[{\"name\":\"c\",\"resources\":"
                    + "{\"requests\":{\"kubeai.io/elastic-cpu\":\"16000\"},\"limits\":{\"kubeai.io/elastic-cpu\":\"16000\"}}}]}"};
        for (String pod : pods) {
            String review = "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{"
                    + "\"uid\":\"warm-up\",\"kind\":{\"group\":\"\",\"version\":\"v1\",\"kind\":\"Pod\"},"
                    + "\"operation\":\"CREATE\",\"namespace\":\"default\",\"object\":{\"apiVersion\":\"v1\","
                    + "\"kind\":\"Pod\"," + pod + "}}}";
            bodies.add(review.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        long end = System.nanoTime() + budget.toNanos();
        for (int i = 0; i < 20_000 && System.nanoTime() < end; i++) {
            byte[] b = bodies.get(i % bodies.size());
            mutate(b);
            validate(b);
        }
    }

    public Reply mutate(byte[] body) {
        return review(body, mutator::mutate);
    }

    public Reply validate(byte[] body) {
        return review(body, validator::validate);
    }

    private static Reply review(byte[] body, Function<AdmissionRequest, Verdict> decide) {
        AdmissionRequest r;
        try {
            r = AdmissionReviews.parse(body);
        } catch (BadReviewException e) {
            return new Reply(400, AdmissionReviews.status(400, "BadRequest", e.getMessage()), "", "bad_request", List.of());
        }
        Verdict v;
        try {
            v = decide.apply(r);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "review of " + r.kind() + " " + r.objectKey() + " failed", e);
            v = new Verdict.Deny(500, "InternalError", "the KubeAI admission webhook failed on " + r.kind() + " "
                    + r.objectKey() + ": " + e, List.of());
        }
        String outcome;
        List<String> mutations = List.of();
        if (v instanceof Verdict.Allow a) {
            outcome = a.patch().isEmpty() ? "allowed" : "patched";
            mutations = a.mutations();
        } else {
            outcome = "denied";
        }
        return new Reply(200, AdmissionReviews.answer(r, v), r.kind(), outcome, mutations);
    }
}
