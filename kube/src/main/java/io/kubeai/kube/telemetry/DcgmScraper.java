package io.kubeai.kube.telemetry;

import io.kubeai.core.elastic.GpuTelemetry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Scrapes each GPU node's dcgm-exporter in the background and keeps the last good reading per
 * node. {@link #refresh} only starts scrapes and returns at once; {@link #results} only reads
 * what the scrapes left; neither ever waits on the network, so a slow or dead exporter can never
 * hold up a scheduling decision. A scrape ends within {@code timeout} (connect, headers and body
 * together) and reads at most {@code maxBodyBytes}; a node already being scraped is not scraped
 * again until that scrape ends. A failed scrape (refused, timed out, not 200, too large, not the
 * text format) keeps the previous reading, whose {@link GpuTelemetry#scrapedAt()} then ages
 * until the elastic calculation counts it as stale, and records the error.
 *
 * <p>Thread-safe. The HTTP client runs on its own daemon threads.
 */
public final class DcgmScraper implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DcgmScraper.class.getName());

    /**
     * What is known of one node's exporter.
     *
     * @param telemetry the last good reading; null when there has been none
     * @param error why the last scrape failed; null when it succeeded
     * @param lastAttempt when the last scrape ended
     */
    public record NodeScrape(GpuTelemetry telemetry, String error, Instant lastAttempt) {
        /** Whether the last good reading is missing or older than {@code maxAgeSeconds} at {@code now}. */
        public boolean stale(Instant now, long maxAgeSeconds) {
            return telemetry == null || telemetry.ageSeconds(now) > maxAgeSeconds;
        }
    }

    private final Duration timeout;
    private final int maxBodyBytes;
    private final InstantSource clock;
    private final ExecutorService threads;
    private final HttpClient http;
    private final Map<String, NodeScrape> results = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();

    public DcgmScraper(Duration timeout, int maxBodyBytes, InstantSource clock) {
        this.timeout = timeout;
        this.maxBodyBytes = maxBodyBytes;
        this.clock = clock;
        this.threads = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "kubeai-dcgm-scraper");
            t.setDaemon(true);
            return t;
        });
        this.http = HttpClient.newBuilder().connectTimeout(timeout).executor(threads)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * Starts a scrape of every node's endpoint that is not already being scraped, and forgets
     * nodes not in {@code endpoints}. Returns at once.
     */
    public void refresh(Map<String, URI> endpoints) {
        results.keySet().retainAll(endpoints.keySet());
        endpoints.forEach((node, uri) -> {
            CompletableFuture<Void> slot = new CompletableFuture<>();
            if (inFlight.putIfAbsent(node, slot) == null) {
                scrape(node, uri).whenComplete((x, y) -> {
                    inFlight.remove(node, slot);
                    slot.complete(null);
                });
            }
        });
    }

    /** What each node's last scrape left; never waits. */
    public Map<String, NodeScrape> results() {
        return Map.copyOf(results);
    }

    /** The last good reading of each node that has one. */
    public Map<String, GpuTelemetry> telemetry() {
        Map<String, GpuTelemetry> m = new java.util.HashMap<>();
        results.forEach((n, r) -> {
            if (r.telemetry() != null) {
                m.put(n, r.telemetry());
            }
        });
        return m;
    }

    /** How many scrapes are under way (tests, metrics). */
    public int inFlight() {
        return inFlight.size();
    }

    private CompletableFuture<?> scrape(String node, URI uri) {
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "text/plain").GET().build();
        CompletableFuture<HttpResponse<String>> call = http.sendAsync(req, info -> limited(info.statusCode()));
        CompletableFuture<?> done = call.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .handleAsync((resp, failure) -> {
                    Instant now = clock.instant();
                    NodeScrape before = results.get(node);
                    GpuTelemetry last = before == null ? null : before.telemetry();
                    try {
                        if (failure != null) {
                            call.cancel(true);
                            record(node, new NodeScrape(last, describe(uri, failure), now));
                        } else if (resp.statusCode() != 200) {
                            record(node, new NodeScrape(last, uri + " answered HTTP " + resp.statusCode(), now));
                        } else {
                            Exposition e = PrometheusText.parse(resp.body(), uri.toString());
                            record(node, new NodeScrape(new GpuTelemetry(now, DcgmGpus.read(e)), null, now));
                        }
                    } catch (ExpositionFormatException ex) {
                        record(node, new NodeScrape(last, ex.getMessage(), now));
                    } catch (RuntimeException ex) {
                        record(node, new NodeScrape(last, uri + ": " + ex, now));
                    }
                    return null;
                }, threads);
        return done;
    }

    private void record(String node, NodeScrape s) {
        if (s.error() != null) {
            LOG.log(Level.FINE, "scraping dcgm-exporter of node {0} failed: {1}", new Object[] {node, s.error()});
        }
        results.put(node, s);
    }

    private static String describe(URI uri, Throwable failure) {
        Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (t instanceof TimeoutException || t instanceof java.net.http.HttpTimeoutException) {
            return uri + " did not answer in time";
        }
        if (t instanceof java.net.ConnectException) {
            return uri + " refused the connection";
        }
        return uri + ": " + (t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
    }

    /** A body of at most {@code maxBodyBytes}, as UTF-8 text; more fails the scrape. */
    private HttpResponse.BodySubscriber<String> limited(int status) {
        return new HttpResponse.BodySubscriber<>() {
            private final CompletableFuture<String> body = new CompletableFuture<>();
            private final List<ByteBuffer> parts = new ArrayList<>();
            private long size;
            private Flow.Subscription subscription;

            @Override
            public CompletionStage<String> getBody() {
                return body;
            }

            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription = s;
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(List<ByteBuffer> items) {
                for (ByteBuffer b : items) {
                    size += b.remaining();
                    parts.add(b);
                }
                if (size > maxBodyBytes) {
                    subscription.cancel();
                    parts.clear();
                    body.completeExceptionally(new IllegalStateException("the answer is larger than " + maxBodyBytes
                            + " bytes"));
                }
            }

            @Override
            public void onError(Throwable t) {
                parts.clear();
                body.completeExceptionally(t);
            }

            @Override
            public void onComplete() {
                if (body.isDone()) {
                    return;
                }
                byte[] all = new byte[(int) size];
                int at = 0;
                for (ByteBuffer b : parts) {
                    int n = b.remaining();
                    b.get(all, at, n);
                    at += n;
                }
                parts.clear();
                body.complete(new String(all, StandardCharsets.UTF_8));
            }
        };
    }

    @Override
    public void close() {
        inFlight.values().forEach(f -> f.cancel(true));
        threads.shutdownNow();
    }
}
