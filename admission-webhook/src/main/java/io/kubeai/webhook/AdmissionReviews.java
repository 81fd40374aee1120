package io.kubeai.webhook;

import java.util.Base64;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * AdmissionReview bodies exactly as the API server's webhook dispatcher sends and reads them:
 * {@code request.uid} is echoed in {@code response.uid}, the answer carries {@code apiVersion} and
 * {@code kind}, a patch is a base64-encoded JSON Patch with {@code patchType: JSONPatch}, and a
 * denial is a {@code metav1.Status} with a message and one cause per field error. A body that is
 * no AdmissionReview raises {@link BadReviewException}, answered with 400 and a {@code Status}.
 * {@code admission.k8s.io/v1beta1} reviews (same shape) are answered in their own version.
 */
public final class AdmissionReviews {
    public static final String V1 = "admission.k8s.io/v1";
    public static final String V1BETA1 = "admission.k8s.io/v1beta1";

    static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private AdmissionReviews() {
    }

    /** Reads a review; throws {@link BadReviewException} saying what is wrong with the body. */
    public static AdmissionRequest parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw new BadReviewException("empty body; expected an AdmissionReview (" + V1 + ")");
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JacksonException e) {
            TokenStreamLocation l = e.getLocation();
            throw new BadReviewException("the body is not JSON" + (l == null ? "" : " (line " + l.getLineNr() + ", column "
                    + l.getColumnNr() + ")") + ": " + oneLine(e.getOriginalMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new BadReviewException("expected a JSON object (an AdmissionReview), found "
                    + (root == null ? "nothing" : root.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)));
        }
        String kind = text(root, "kind");
        String apiVersion = text(root, "apiVersion");
        if (!"AdmissionReview".equals(kind)) {
            throw new BadReviewException("kind is " + quoted(kind) + "; expected AdmissionReview");
        }
        if (!V1.equals(apiVersion) && !V1BETA1.equals(apiVersion)) {
            throw new BadReviewException("apiVersion " + quoted(apiVersion) + " is not served; expected " + V1);
        }
        JsonNode req = root.get("request");
        if (req == null || !req.isObject()) {
            throw new BadReviewException("the AdmissionReview has no request object; the API server always sends one");
        }
        String uid = text(req, "uid");
        if (uid == null || uid.isBlank()) {
            throw new BadReviewException("request.uid is missing; the answer must echo it");
        }
        JsonNode k = req.get("kind");
        if (k == null || !k.isObject() || text(k, "kind") == null) {
            throw new BadReviewException("request.kind is missing; expected {group, version, kind}");
        }
        String operation = text(req, "operation");
        if (operation == null) {
            throw new BadReviewException("request.operation is missing; expected CREATE, UPDATE, DELETE or CONNECT");
        }
        JsonNode dry = req.get("dryRun");
        if (dry != null && !dry.isNull() && !dry.isBoolean()) {
            throw new BadReviewException("request.dryRun must be true or false");
        }
        return new AdmissionRequest(apiVersion, uid, orEmpty(text(k, "group")), orEmpty(text(k, "version")),
                text(k, "kind"), orEmpty(text(req, "subResource")), operation, orEmpty(text(req, "namespace")),
                orEmpty(text(req, "name")), dry != null && dry.asBoolean(false), req.path("object"),
                req.path("oldObject"));
    }

    /** The AdmissionReview answering {@code r} with {@code v}. */
    public static byte[] answer(AdmissionRequest r, Verdict v) {
        ObjectNode root = JSON.createObjectNode();
        root.put("apiVersion", r.apiVersion());
        root.put("kind", "AdmissionReview");
        ObjectNode resp = root.putObject("response");
        resp.put("uid", r.uid());
        if (v instanceof Verdict.Allow a) {
            resp.put("allowed", true);
            if (!a.patch().isEmpty()) {
                resp.put("patchType", "JSONPatch");
                resp.put("patch", Base64.getEncoder().encodeToString(JSON.writeValueAsBytes(a.patch())));
            }
            if (!a.warnings().isEmpty()) {
                ArrayNode w = resp.putArray("warnings");
                a.warnings().forEach(w::add);
            }
        } else if (v instanceof Verdict.Deny d) {
            resp.put("allowed", false);
            ObjectNode status = resp.putObject("status");
            status.putObject("metadata");
            status.put("status", "Failure");
            status.put("message", d.message());
            status.put("reason", d.reason());
            status.put("code", d.code());
            if (!d.causes().isEmpty()) {
                ArrayNode causes = status.putObject("details").putArray("causes");
                for (Verdict.FieldError e : d.causes()) {
                    ObjectNode c = causes.addObject();
                    c.put("reason", "FieldValueInvalid");
                    c.put("message", e.message());
                    c.put("field", e.field());
                }
            }
        }
        return JSON.writeValueAsBytes(root);
    }

    /** A {@code metav1.Status} for an HTTP error (400, 404, 413, ...): the body when no review can be answered. */
    public static byte[] status(int code, String reason, String message) {
        ObjectNode s = JSON.createObjectNode();
        s.put("kind", "Status");
        s.put("apiVersion", "v1");
        s.putObject("metadata");
        s.put("status", "Failure");
        s.put("message", message);
        s.put("reason", reason);
        s.put("code", code);
        return JSON.writeValueAsBytes(s);
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v != null && v.isString() ? v.stringValue() : null;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String quoted(String s) {
        return s == null ? "missing" : "\"" + s + "\"";
    }

    private static String oneLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        String line = s.replace('\n', ' ').replaceAll("\\s+", " ");
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }
}
