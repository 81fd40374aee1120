package io.kubeai.webhook;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.ServerSSLOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The webhook's HTTPS server: {@code POST /mutate} and {@code POST /validate} with AdmissionReview
 * bodies, {@code GET /healthz}, {@code /readyz} (once listening and, where namespace labels are
 * watched, once they have synced) and {@code /metrics}. Reviews are answered on the event loop
 * (they only read memory: tens of microseconds); one listener per instance shares the port, so
 * {@code instances} event loops serve it. HTTP errors (400, 404, 405, 413, 500) are answered in
 * one place as a {@code metav1.Status}, never a stack trace. TLS uses PEM files, re-read every
 * {@code tlsReloadMillis}; when their bytes change (cert-manager rotated them), every listener
 * switches to the new pair for new connections, and a pair that fails to load leaves the old one
 * serving.
 */
public final class WebhookServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(WebhookServer.class.getName());
    private static final java.util.concurrent.atomic.AtomicInteger RANDOM_PORT_KEYS = new java.util.concurrent.atomic.AtomicInteger();

    /** Where and how to listen. {@code tlsCert}/{@code tlsKey} are PEM files; both or neither (plain HTTP). */
    public record Options(String host, int port, long bodyLimitBytes, Path tlsCert, Path tlsKey, long tlsReloadMillis,
            int instances) {
        public Options {
            if ((tlsCert == null) != (tlsKey == null)) {
                throw new IllegalArgumentException("a TLS certificate and key go together");
            }
            if (instances < 1 || tlsReloadMillis < 1 || bodyLimitBytes < 1) {
                throw new IllegalArgumentException("instances, tlsReloadMillis and bodyLimitBytes must be positive");
            }
        }

        /** Port 9443, an 8 MiB body limit (an UPDATE review carries two objects of up to 3 MiB), reload every 10 s. */
        public static Options defaults() {
            return new Options("0.0.0.0", 9443, 8L * 1024 * 1024, null, null, 10_000,
                    Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors())));
        }

        public Options withHost(String h) {
            return new Options(h, port, bodyLimitBytes, tlsCert, tlsKey, tlsReloadMillis, instances);
        }

        public Options withPort(int p) {
            return new Options(host, p, bodyLimitBytes, tlsCert, tlsKey, tlsReloadMillis, instances);
        }

        public Options withTls(Path cert, Path key) {
            return new Options(host, port, bodyLimitBytes, cert, key, tlsReloadMillis, instances);
        }

        public Options withBodyLimit(long bytes) {
            return new Options(host, port, bytes, tlsCert, tlsKey, tlsReloadMillis, instances);
        }

        public Options withTlsReloadMillis(long millis) {
            return new Options(host, port, bodyLimitBytes, tlsCert, tlsKey, millis, instances);
        }

        public Options withInstances(int n) {
            return new Options(host, port, bodyLimitBytes, tlsCert, tlsKey, tlsReloadMillis, n);
        }
    }

    private final Vertx vertx;
    private final AdmissionWebhook webhook;
    private final NamespaceLabels namespaces;
    private final Options options;
    private final WebhookMetrics metrics = new WebhookMetrics();
    private final TlsFiles tls;
    private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
    private final List<String> deployments = new ArrayList<>();
    private volatile TlsFiles.Pair served;
    private volatile byte[] lastFailedDigest;
    private volatile String lastReadFailure;
    private volatile boolean started;
    private long reloadTimer = -1;

    public WebhookServer(Vertx vertx, AdmissionWebhook webhook, NamespaceLabels namespaces, Options options) {
        this.vertx = vertx;
        this.webhook = webhook;
        this.namespaces = namespaces;
        this.options = options;
        this.tls = options.tlsCert() == null ? null : new TlsFiles(options.tlsCert(), options.tlsKey());
    }

    /** Reads the TLS files (throwing at once if they are unusable) and starts listening. */
    public Future<WebhookServer> start() {
        if (tls != null) {
            served = tls.read();
            metrics.certificateExpiresAt(served.notAfterEpochSeconds());
        }
        // Listeners on one port share it; Vert.x shares a random port between listeners given the same
        // negative port, so port 0 becomes a negative number of this server's own.
        int port0 = options.port() == 0 ? RANDOM_PORT_KEYS.decrementAndGet() : options.port();
        return vertx.deployVerticle(() -> new Listener(port0),
                        new DeploymentOptions().setInstances(options.instances()))
                .map(id -> {
                    deployments.add(id);
                    int port = servers.get(0).actualPort();
                    for (HttpServer s : servers) {
                        if (s.actualPort() != port) {
                            throw new IllegalStateException("listeners bound different ports: " + port + " and "
                                    + s.actualPort());
                        }
                    }
                    return null;
                })
                .map(x -> {
                    if (tls != null) {
                        reloadTimer = vertx.setPeriodic(options.tlsReloadMillis(), id -> reloadTls());
                    }
                    started = true;
                    return this;
                });
    }

    /** Reads a PEM pair as the server would, throwing naming the file that is unusable: to fail fast at start. */
    public static void checkTls(Path cert, Path key) {
        new TlsFiles(cert, key).read();
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return servers.get(0).actualPort();
    }

    public WebhookMetrics metrics() {
        return metrics;
    }

    /** One listener on its own event loop. */
    private final class Listener extends VerticleBase {
        private final int port;

        Listener(int port) {
            this.port = port;
        }

        @Override
        public Future<?> start() {
            HttpServerOptions http = new HttpServerOptions().setHost(options.host()).setPort(port)
                    .setCompressionSupported(false);
            if (served != null) {
                http.setSsl(true).setUseAlpn(true).setKeyCertOptions(served.options());
            }
            return vertx.createHttpServer(http).requestHandler(router()).listen().onSuccess(servers::add);
        }
    }

    private Router router() {
        Router router = Router.router(vertx);
        router.route().handler(BodyHandler.create(false).setBodyLimit(options.bodyLimitBytes()));
        router.post("/mutate").handler(ctx -> review(ctx, "mutate", webhook::mutate));
        router.post("/validate").handler(ctx -> review(ctx, "validate", webhook::validate));
        router.get("/healthz").handler(ctx -> ctx.response().end("ok"));
        router.get("/readyz").handler(ctx -> {
            if (started && namespaces.ready()) {
                ctx.response().end("ok");
            } else {
                ctx.response().setStatusCode(503).end(started ? "namespace labels have not synced yet" : "starting");
            }
        });
        router.get("/metrics").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(metrics.scrape()));
        router.errorHandler(413, ctx -> error(ctx, 413, "RequestEntityTooLarge", "too_large",
                "the request body is larger than " + options.bodyLimitBytes() + " bytes"));
        router.errorHandler(404, ctx -> error(ctx, 404, "NotFound", "not_found", "no such path: "
                + ctx.request().method() + " " + ctx.request().path() + "; the webhook serves POST /mutate and POST /validate"));
        router.errorHandler(405, ctx -> error(ctx, 405, "MethodNotAllowed", "not_found",
                "use POST for " + ctx.request().path()));
        router.errorHandler(500, ctx -> {
            LOG.log(Level.SEVERE, "unexpected failure on " + ctx.request().path(), ctx.failure());
            error(ctx, 500, "InternalError", "error", "internal error: "
                    + (ctx.failure() == null ? "unknown" : ctx.failure().toString()));
        });
        return router;
    }

    private void review(RoutingContext ctx, String endpoint, Function<byte[], AdmissionWebhook.Reply> handler) {
        long start = System.nanoTime();
        byte[] body = ctx.body() == null || ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
        AdmissionWebhook.Reply reply = handler.apply(body);
        respond(ctx, reply.status(), reply.body());
        metrics.observe(endpoint, reply.kind(), reply.outcome(), reply.status(), System.nanoTime() - start,
                reply.mutations());
    }

    private void error(RoutingContext ctx, int code, String reason, String outcome, String message) {
        respond(ctx, code, AdmissionReviews.status(code, reason, message));
        String path = ctx.request().path();
        String endpoint = "/mutate".equals(path) ? "mutate" : "/validate".equals(path) ? "validate" : "other";
        metrics.observe(endpoint, "", outcome, code, 0, List.of());
    }

    private static void respond(RoutingContext ctx, int code, byte[] body) {
        if (ctx.response().ended()) {
            return;
        }
        ctx.response().setStatusCode(code).putHeader("Content-Type", "application/json")
                .end(io.vertx.core.buffer.Buffer.buffer(body));
    }

    /** Re-reads the PEM files off the event loop; switches every listener when their bytes changed. */
    private void reloadTls() {
        vertx.executeBlocking(tls::read, false).onComplete(ar -> {
            if (ar.failed()) {
                String why = ar.cause().getMessage();
                if (!why.equals(lastReadFailure)) { // once per distinct problem, not every tick
                    LOG.warning("TLS files " + tls + " cannot be used yet, still serving the previous pair: " + why);
                    metrics.tlsReloaded(false);
                    lastReadFailure = why;
                }
                return;
            }
            lastReadFailure = null;
            TlsFiles.Pair next = ar.result();
            if (next.sameAs(served) || java.util.Arrays.equals(next.digest(), lastFailedDigest)) {
                return;
            }
            List<Future<Boolean>> updates = new ArrayList<>();
            for (HttpServer s : servers) {
                ServerSSLOptions ssl = new ServerSSLOptions().setUseAlpn(true).setKeyCertOptions(next.options());
                updates.add(s.updateSSLOptions(ssl, true));
            }
            Future.all(updates).onComplete(done -> {
                if (done.succeeded()) {
                    served = next;
                    lastFailedDigest = null;
                    metrics.tlsReloaded(true);
                    metrics.certificateExpiresAt(next.notAfterEpochSeconds());
                    LOG.info("TLS certificate reloaded from " + tls);
                } else {
                    lastFailedDigest = next.digest();
                    metrics.tlsReloaded(false);
                    LOG.warning("TLS files " + tls + " changed but cannot be loaded, still serving the previous "
                            + "pair: " + done.cause());
                }
            });
        });
    }

    /** Where the served certificate came from, for messages. */
    public String describeTls() {
        return tls == null ? "plain HTTP" : "TLS from " + tls;
    }

    @Override
    public void close() {
        if (reloadTimer >= 0) {
            vertx.cancelTimer(reloadTimer);
        }
        for (String id : deployments) {
            try {
                vertx.undeploy(id).await();
            } catch (RuntimeException e) {
                LOG.fine("undeploy " + id + ": " + e);
            }
        }
        servers.clear();
    }
}
