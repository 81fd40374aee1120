package io.kubeai.chart;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Just enough of an API server for Helm's {@code lookup}: the discovery document of the core group
 * and GET of Secrets, answered from a map the tests fill. helm-java renders with dry-run option
 * "none", so its {@code template} sends lookups to the cluster of {@code $KUBECONFIG} where the
 * Helm CLI's {@code template} would answer them with nothing; the build points {@code $KUBECONFIG}
 * here (see the surefire configuration), and an empty map answers as a fresh cluster does on
 * {@code helm install}. Listens on the loopback address only.
 */
final class FakeApiServer {
    private static FakeApiServer instance;

    private final Map<String, String> secrets = new ConcurrentHashMap<>();
    private final HttpServer server;

    private FakeApiServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The one server of this JVM, started on first use, with the kubeconfig pointing at it written. */
    static synchronized FakeApiServer get() {
        if (instance == null) {
            try {
                instance = new FakeApiServer();
                instance.writeKubeconfig();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    /** Serves {@code secretJson} for the Secret {@code namespace/name} until {@link #clear()}. */
    void putSecret(String namespace, String name, String secretJson) {
        secrets.put(namespace + "/" + name, secretJson);
    }

    void clear() {
        secrets.clear();
    }

    private void writeKubeconfig() throws IOException {
        String path = System.getenv("KUBECONFIG");
        if (path == null || path.isBlank()) {
            throw new IllegalStateException("KUBECONFIG is not set: run the chart tests through Maven "
                    + "(the surefire configuration of chart-tests/pom.xml sets it)");
        }
        Path file = Path.of(path);
        Files.createDirectories(file.getParent());
        String server = "http://127.0.0.1:" + this.server.getAddress().getPort();
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: fake
                    cluster: {server: "%s"}
                contexts:
                  - name: fake
                    context: {cluster: fake, user: fake, namespace: default}
                current-context: fake
                users:
                  - name: fake
                    user: {token: fake}
                """.formatted(server));
    }

    private void handle(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getPath();
        if (!"GET".equals(x.getRequestMethod())) {
            reply(x, 405, status(405, "MethodNotAllowed", "the fake API server only reads"));
        } else if (path.equals("/api/v1")) {
            reply(x, 200, """
                    {"kind":"APIResourceList","apiVersion":"v1","groupVersion":"v1","resources":[
                      {"name":"secrets","singularName":"secret","namespaced":true,"kind":"Secret",
                       "verbs":["get","list"]}]}""");
        } else if (path.matches("/api/v1/namespaces/[^/]+/secrets/[^/]+")) {
            String[] parts = path.split("/");
            String secret = secrets.get(parts[4] + "/" + parts[6]);
            reply(x, secret == null ? 404 : 200, secret == null ? status(404, "NotFound", path) : secret);
        } else {
            reply(x, 404, status(404, "NotFound", path));
        }
    }

    private static String status(int code, String reason, String message) {
        return "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"" + reason
                + "\",\"message\":\"" + message + "\",\"code\":" + code + "}";
    }

    private static void reply(HttpExchange x, int code, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "application/json");
        x.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        }
    }
}
