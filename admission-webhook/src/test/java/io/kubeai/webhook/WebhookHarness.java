package io.kubeai.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.fge.jsonpatch.JsonPatch;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubeai.core.config.SchedulingPolicy;
import io.kubeai.core.config.WebhookPolicy;
import io.vertx.core.Vertx;
import io.vertx.core.net.SelfSignedCertificate;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * A webhook server on loopback over real HTTPS (a self-signed certificate written to PEM files),
 * an HTTP/2 client that trusts it and records the certificate it was shown, and the helpers the
 * tests share: AdmissionReview bodies as the API server writes them, checks that an answer is a
 * well-formed AdmissionReview, and the patch applied with an independent RFC 6902 library.
 */
final class WebhookHarness implements AutoCloseable {
    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final com.fasterxml.jackson.databind.ObjectMapper JACKSON2 = new com.fasterxml.jackson.databind.ObjectMapper();
    private static final Vertx VERTX = Vertx.vertx();

    final Path cert;
    final Path key;
    final WebhookServer server;
    final String base;
    final List<X509Certificate> seen = new CopyOnWriteArrayList<>();
    private HttpClient http;

    record Response(int status, String body, JsonNode json) {
    }

    private WebhookHarness(WebhookPolicy policy, NamespaceLabels labels, WebhookServer.Options options) throws Exception {
        SelfSignedCertificate self = certificate();
        Path dir = Files.createTempDirectory("kubeai-webhook-tls");
        this.cert = dir.resolve("tls.crt");
        this.key = dir.resolve("tls.key");
        Files.copy(Path.of(self.certificatePath()), cert);
        Files.copy(Path.of(self.privateKeyPath()), key);
        this.server = new WebhookServer(VERTX, new AdmissionWebhook(policy, labels), labels,
                options.withHost("127.0.0.1").withPort(0).withTls(cert, key)).start().await();
        this.base = "https://localhost:" + server.port();
        this.http = newClient();
    }

    private static SelfSignedCertificate shared;

    /** One self-signed pair for every server of the run: RSA key generation takes up to seconds here. */
    static synchronized SelfSignedCertificate certificate() {
        if (shared == null) {
            shared = SelfSignedCertificate.create("localhost");
        }
        return shared;
    }

    static WebhookHarness start(String policyYaml) throws Exception {
        return start(policyYaml, NamespaceLabels.NONE);
    }

    static WebhookHarness start(String policyYaml, NamespaceLabels labels) throws Exception {
        return new WebhookHarness(policy(policyYaml), labels, WebhookServer.Options.defaults().withInstances(1));
    }

    static WebhookHarness start(String policyYaml, WebhookServer.Options options) throws Exception {
        return new WebhookHarness(policy(policyYaml), NamespaceLabels.NONE, options);
    }

    /** The webhook section of a policy file, given as the YAML under {@code webhook:}. */
    static WebhookPolicy policy(String webhookYaml) {
        String doc = "apiVersion: kubeai.io/v1alpha1\nkind: SchedulingPolicy\nwebhook:\n"
                + webhookYaml.indent(2);
        Object tree = YAMLMapper.builder().build().readValue(doc, Object.class);
        return SchedulingPolicy.fromTree(tree).webhook();
    }

    /** A fresh client, so the next request makes a new TLS handshake. */
    void reconnect() throws Exception {
        http = newClient();
    }

    private HttpClient newClient() throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new Recording()}, null);
        return HttpClient.newBuilder().sslContext(ctx).version(HttpClient.Version.HTTP_2)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    Response post(String path, byte[] body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode json = null;
        try {
            json = JSON.readTree(r.body());
        } catch (RuntimeException e) {
            // not JSON: left null
        }
        return new Response(r.statusCode(), r.body(), json);
    }

    Response get(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        return new Response(r.statusCode(), r.body(), null);
    }

    /** Posts a review and checks the answer is a well-formed AdmissionReview echoing its uid; returns {@code response}. */
    JsonNode review(String path, ObjectNode reviewBody) throws Exception {
        Response r = post(path, JSON.writeValueAsBytes(reviewBody));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertWellFormed(r.body(), reviewBody.path("request").path("uid").asString(),
                reviewBody.path("apiVersion").asString());
        return r.json().get("response");
    }

    JsonNode mutate(JsonNode pod) throws Exception {
        return review("/mutate", podReview("CREATE", pod, null, false));
    }

    JsonNode validate(ObjectNode reviewBody) throws Exception {
        return review("/validate", reviewBody);
    }

    /** An AdmissionReview for a pod, as the API server sends it. */
    static ObjectNode podReview(String operation, JsonNode pod, JsonNode oldPod, boolean dryRun) {
        JsonNode meta = (pod != null ? pod : oldPod).path("metadata");
        return review("", "v1", "Pod", "pods", operation, meta.path("namespace").asString("default"),
                meta.path("name").asString(""), pod, oldPod, dryRun);
    }

    static ObjectNode review(String group, String version, String kind, String resource, String operation, String ns,
            String name, JsonNode object, JsonNode oldObject, boolean dryRun) {
        ObjectNode root = JSON.createObjectNode();
        root.put("kind", "AdmissionReview");
        root.put("apiVersion", "admission.k8s.io/v1");
        ObjectNode req = root.putObject("request");
        req.put("uid", UUID.randomUUID().toString());
        ObjectNode k = req.putObject("kind");
        k.put("group", group);
        k.put("version", version);
        k.put("kind", kind);
        ObjectNode res = req.putObject("resource");
        res.put("group", group);
        res.put("version", version);
        res.put("resource", resource);
        req.set("requestKind", k.deepCopy());
        req.set("requestResource", res.deepCopy());
        if (!name.isEmpty()) {
            req.put("name", name);
        }
        if (!ns.isEmpty()) {
            req.put("namespace", ns);
        }
        req.put("operation", operation);
        ObjectNode user = req.putObject("userInfo");
        user.put("username", "system:serviceaccount:kubeflow:training-operator");
        user.putArray("groups").add("system:serviceaccounts").add("system:authenticated");
        req.set("object", object == null ? JSON.nullNode() : object.deepCopy());
        req.set("oldObject", oldObject == null ? JSON.nullNode() : oldObject.deepCopy());
        req.put("dryRun", dryRun);
        ObjectNode opts = req.putObject("options");
        opts.put("kind", operation.equals("CREATE") ? "CreateOptions" : "UpdateOptions");
        opts.put("apiVersion", "meta.k8s.io/v1");
        return root;
    }

    /** Checks an answer as the API server reads it, and that fabric8's AdmissionReview model reads it alike. */
    static void assertWellFormed(String body, String uid, String apiVersion) {
        JsonNode r = JSON.readTree(body);
        assertThat(r.path("apiVersion").asString()).isEqualTo(apiVersion);
        assertThat(r.path("kind").asString()).isEqualTo("AdmissionReview");
        JsonNode resp = r.path("response");
        assertThat(resp.path("uid").asString()).isEqualTo(uid);
        assertThat(resp.path("allowed").isBoolean()).isTrue();
        if (resp.has("patch")) {
            assertThat(resp.path("patchType").asString()).isEqualTo("JSONPatch");
            assertThat(patchOf(resp).isArray()).isTrue();
        } else {
            assertThat(resp.has("patchType")).isFalse();
        }
        if (!resp.path("allowed").asBoolean()) {
            assertThat(resp.path("status").path("code").asInt()).isBetween(400, 599);
            assertThat(resp.path("status").path("message").asString()).isNotBlank();
        }
        if (apiVersion.equals(AdmissionReviews.V1)) {
            AdmissionReview typed = new KubernetesSerialization().unmarshal(body, AdmissionReview.class);
            assertThat(typed.getResponse().getUid()).isEqualTo(uid);
            assertThat(typed.getResponse().getAllowed()).isEqualTo(resp.path("allowed").asBoolean());
        }
    }

    /** The JSON Patch of a response, decoded; an empty array when there is none. */
    static JsonNode patchOf(JsonNode response) {
        if (!response.has("patch")) {
            return JSON.createArrayNode();
        }
        return JSON.readTree(new String(Base64.getDecoder().decode(response.path("patch").asString()), StandardCharsets.UTF_8));
    }

    /** Applies a JSON Patch with java-json-tools' RFC 6902 implementation, as the API server would. */
    static JsonNode apply(JsonNode original, JsonNode patch) {
        try {
            JsonPatch p = JsonPatch.fromJson(JACKSON2.readTree(JSON.writeValueAsString(patch)));
            com.fasterxml.jackson.databind.JsonNode out = p.apply(JACKSON2.readTree(JSON.writeValueAsString(original)));
            return JSON.readTree(JACKSON2.writeValueAsString(out));
        } catch (Exception e) {
            throw new AssertionError("the patch does not apply: " + patch + " to " + original, e);
        }
    }

    static Map<String, Map<String, String>> labels(String ns, Map<String, String> l) {
        return Map.of(ns, l);
    }

    @Override
    public void close() {
        server.close();
    }

    /** Trusts any server certificate and records it. */
    private final class Recording extends X509ExtendedTrustManager {
        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            seen.add(chain[0]);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket s) {
            seen.add(chain[0]);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine e) {
            seen.add(chain[0]);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket s) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine e) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
