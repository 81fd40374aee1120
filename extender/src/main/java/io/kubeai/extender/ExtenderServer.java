package io.kubeai.extender;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubeai.extender.wire.ExtenderArgs;
import io.kubeai.extender.wire.ExtenderBindingArgs;
import io.kubeai.extender.wire.ExtenderFilterResult;
import io.kubeai.extender.wire.ExtenderPreemptionArgs;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.ByteArrayInputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * The extender's HTTP server: {@code POST <prefix>/filter|prioritize|bind|preempt} with
 * kube-scheduler's JSON, {@code GET /healthz}, {@code /readyz} (once the cache has synced) and
 * {@code /metrics}. Every error is answered in the verb's own shape ({@code Error} for filter and
 * bind) or as {@code {"Error": "..."}} with status 400/413/500 — never a stack trace. Filter and
 * prioritize run on the event loop (they only read memory); bind and preempt on a worker, since
 * bind calls the API server.
 */
public final class ExtenderServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ExtenderServer.class.getName());

    /** Where and how to listen. {@code tlsCert}/{@code tlsKey} are PEM files; both or neither. */
    public record Options(String host, int port, String prefix, long bodyLimitBytes, String tlsCert, String tlsKey) {
        public static Options defaults() {
            return new Options("0.0.0.0", 8888, "/scheduler", 64L * 1024 * 1024, null, null);
        }

        public Options withPort(int p) {
            return new Options(host, p, prefix, bodyLimitBytes, tlsCert, tlsKey);
        }

        public Options withHost(String h) {
            return new Options(h, port, prefix, bodyLimitBytes, tlsCert, tlsKey);
        }

        public Options withTls(String cert, String key) {
            return new Options(host, port, prefix, bodyLimitBytes, cert, key);
        }

        public Options withBodyLimit(long bytes) {
            return new Options(host, port, prefix, bytes, tlsCert, tlsKey);
        }
    }

    private final Vertx vertx;
    private final ExtenderService service;
    private final ExtenderMetrics metrics;
    private final Options options;
    private final Serialization json;
    private HttpServer server;

    public ExtenderServer(Vertx vertx, ExtenderService service, Options options) {
        this.vertx = vertx;
        this.service = service;
        this.options = options;
        this.metrics = new ExtenderMetrics(service.cache());
        // Go decodes field names case-insensitively; so do we.
        this.json = new Serialization(JsonMapper.builder()
                .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES).build());
    }

    /**
     * fabric8's serialization, keeping its configured mapper so that the request path reads
     * from and writes to bytes: no stream wrapper on the way in, no intermediate String and
     * second UTF-8 encoding on the way out. Same mapper, same JSON, same errors.
     */
    private static final class Serialization extends KubernetesSerialization {
        private ObjectMapper mapper; // set by configureMapper, from the super constructor
        private final Map<Class<?>, ObjectReader> readers = new ConcurrentHashMap<>();

        Serialization(ObjectMapper base) {
            super(base, false);
        }

        @Override
        protected ObjectMapper configureMapper(ObjectMapper base) {
            mapper = super.configureMapper(base);
            return mapper;
        }

        /** As {@link #unmarshal(java.io.InputStream, Class)}, which reads anything but JSON as YAML. */
        <T> T unmarshal(byte[] bytes, Class<T> type) {
            int i = 0;
            while (i < bytes.length && Character.isWhitespace(bytes[i] & 0xff)) {
                i++;
            }
            if (i == bytes.length || (bytes[i] != '{' && bytes[i] != '[')) {
                return unmarshal(new ByteArrayInputStream(bytes), type);
            }
            try {
                return readers.computeIfAbsent(type, mapper::readerFor).readValue(bytes);
            } catch (JacksonException e) {
                throw new KubernetesClientException("An error has occurred.", e);
            }
        }

        /** As {@link #asJson(Object)}, in UTF-8. */
        Buffer asJsonBuffer(Object value) {
            try {
                return Buffer.buffer(mapper.writeValueAsBytes(value));
            } catch (JacksonException e) {
                throw new KubernetesClientException("An error has occurred.", e);
            }
        }
    }

    public Future<ExtenderServer> start() {
        Router router = Router.router(vertx);
        router.route().handler(BodyHandler.create(false).setBodyLimit(options.bodyLimitBytes()));
        String p = options.prefix().endsWith("/") ? options.prefix().substring(0, options.prefix().length() - 1)
                : options.prefix();
        router.post(p + "/filter").handler(ctx -> onLoop(ctx, "filter", ExtenderArgs.class, service::filter));
        router.post(p + "/prioritize").handler(ctx -> onLoop(ctx, "prioritize", ExtenderArgs.class, service::prioritize));
        router.post(p + "/bind").handler(ctx -> onWorker(ctx, "bind", ExtenderBindingArgs.class, service::bind));
        router.post(p + "/preempt").handler(ctx -> onWorker(ctx, "preempt", ExtenderPreemptionArgs.class, service::preempt));
        router.get("/healthz").handler(ctx -> ctx.response().end("ok"));
        router.get("/readyz").handler(ctx -> {
            if (service.cache().synced()) {
                ctx.response().end("ok");
            } else {
                ctx.response().setStatusCode(503).end("the cluster cache has not synced yet");
            }
        });
        router.get("/metrics").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(metrics.scrape()));
        router.errorHandler(413, ctx -> error(ctx, "request", 413,
                "the request body is larger than " + options.bodyLimitBytes() + " bytes"));
        router.errorHandler(404, ctx -> error(ctx, "unknown", 404, "no such path: " + ctx.request().method() + " "
                + ctx.request().path() + "; the extender serves POST " + p + "/{filter,prioritize,bind,preempt}"));
        router.errorHandler(405, ctx -> error(ctx, "unknown", 405, "use POST for " + ctx.request().path()));
        router.errorHandler(500, ctx -> {
            LOG.log(Level.SEVERE, "unexpected failure on " + ctx.request().path(), ctx.failure());
            error(ctx, "unknown", 500, "internal error: " + (ctx.failure() == null ? "unknown" : ctx.failure().toString()));
        });
        HttpServerOptions http = new HttpServerOptions().setHost(options.host()).setPort(options.port())
                .setCompressionSupported(false);
        if (options.tlsCert() != null) {
            http.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(options.tlsCert())
                    .setKeyPath(options.tlsKey()));
        }
        // Assumptions the informer never confirmed expire.
        vertx.setPeriodic(5_000, id -> vertx.executeBlocking(() -> service.cache().expireAssumptions(), false));
        return vertx.createHttpServer(http).requestHandler(router).listen().map(s -> {
            this.server = s;
            return this;
        });
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return server.actualPort();
    }

    public ExtenderMetrics metrics() {
        return metrics;
    }

    private <A, R> void onLoop(RoutingContext ctx, String verb, Class<A> type, Function<A, R> handler) {
        long start = System.nanoTime();
        A args;
        try {
            args = parse(ctx, type);
        } catch (RuntimeException e) {
            badRequest(ctx, verb, start, "malformed " + type.getSimpleName() + ": " + message(e));
            return;
        }
        try {
            R result = handler.apply(args);
            if (result instanceof ExtenderFilterResult f) {
                metrics.filtered(f.failedNodes() == null ? 0 : f.failedNodes().size(),
                        f.failedAndUnresolvableNodes() == null ? 0 : f.failedAndUnresolvableNodes().size());
            }
            respond(ctx, verb, start, 200, json.asJsonBuffer(result));
        } catch (BadRequestException e) {
            badRequest(ctx, verb, start, e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, verb + " failed", e);
            respond(ctx, verb, start, 500, errorJson("internal error in " + verb + ": " + e));
        }
    }

    private <A, R> void onWorker(RoutingContext ctx, String verb, Class<A> type, Function<A, R> handler) {
        long start = System.nanoTime();
        A args;
        try {
            args = parse(ctx, type);
        } catch (RuntimeException e) {
            badRequest(ctx, verb, start, "malformed " + type.getSimpleName() + ": " + message(e));
            return;
        }
        vertx.executeBlocking(() -> handler.apply(args), false).onComplete(ar -> {
            if (ar.succeeded()) {
                respond(ctx, verb, start, 200, json.asJsonBuffer(ar.result()));
            } else if (ar.cause() instanceof BadRequestException e) {
                badRequest(ctx, verb, start, e.getMessage());
            } else {
                LOG.log(Level.SEVERE, verb + " failed", ar.cause());
                respond(ctx, verb, start, 500, errorJson("internal error in " + verb + ": " + ar.cause()));
            }
        });
    }

    private <A> A parse(RoutingContext ctx, Class<A> type) {
        if (ctx.body() == null || ctx.body().length() == 0) {
            throw new BadRequestException("empty body");
        }
        A value = json.unmarshal(ctx.body().buffer().getBytes(), type);
        if (value == null) {
            throw new BadRequestException("the body is JSON null");
        }
        return value;
    }

    private void badRequest(RoutingContext ctx, String verb, long start, String message) {
        String body = switch (verb) {
            case "filter" -> json.asJson(ExtenderFilterResult.error(message));
            case "bind" -> json.asJson(new io.kubeai.extender.wire.ExtenderBindingResult(message));
            default -> errorJson(message);
        };
        // filter and bind carry their error in the result, which kube-scheduler reads on 200.
        int code = verb.equals("filter") || verb.equals("bind") ? 200 : 400;
        respond(ctx, verb, start, code, body);
    }

    private void error(RoutingContext ctx, String verb, int code, String message) {
        respond(ctx, verb, System.nanoTime(), code, errorJson(message));
    }

    private String errorJson(String message) {
        return json.asJson(Map.of("Error", message));
    }

    private void respond(RoutingContext ctx, String verb, long start, int code, String body) {
        respond(ctx, verb, start, code, Buffer.buffer(body));
    }

    private void respond(RoutingContext ctx, String verb, long start, int code, Buffer body) {
        if (ctx.response().ended()) {
            return;
        }
        ctx.response().setStatusCode(code).putHeader("Content-Type", "application/json").end(body);
        metrics.observe(verb, code, System.nanoTime() - start);
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        if (m == null) {
            return e.getClass().getSimpleName();
        }
        // Jackson appends the source location after a newline; keep the first line and the location.
        return m.replace('\n', ' ').replaceAll("\\s+", " ");
    }

    @Override
    public void close() {
        if (server != null) {
            server.close().await();
        }
    }
}
