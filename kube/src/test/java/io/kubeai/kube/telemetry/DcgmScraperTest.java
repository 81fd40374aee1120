package io.kubeai.kube.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kubeai.core.elastic.GpuTelemetry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The scraper against a local HTTP server serving recorded dcgm-exporter output, and against
 * exporters that are slow, hung, dead, broken or too talkative.
 */
class DcgmScraperTest {
    static final String SCRAPE = PrometheusTextTest.resource("a100-4gpu-pod-mapping.txt");

    final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2025-03-01T10:00:00Z"));
    final InstantSource clock = () -> now.get();
    /** What /node answers: ok, slow, trickle, garbage, error, huge. */
    final AtomicReference<String> mode = new AtomicReference<>("ok");
    final AtomicInteger requests = new AtomicInteger();
    final List<Socket> hung = new ArrayList<>();
    ExecutorService handlers;
    HttpServer server;
    ServerSocket silent;
    DcgmScraper scraper;

    @BeforeEach
    void start() throws IOException {
        handlers = Executors.newCachedThreadPool();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(handlers);
        server.createContext("/metrics", x -> answer(x, 200, SCRAPE));
        server.createContext("/node", x -> {
            requests.incrementAndGet();
            switch (mode.get()) {
                case "ok" -> answer(x, 200, SCRAPE);
                case "slow" -> {
                    sleep(5_000);
                    answer(x, 200, SCRAPE);
                }
                case "trickle" -> {
                    // Headers at once, then the body a line every half second.
                    x.sendResponseHeaders(200, 0);
                    try (OutputStream out = x.getResponseBody()) {
                        for (String l : SCRAPE.split("\n")) {
                            out.write((l + "\n").getBytes(StandardCharsets.UTF_8));
                            out.flush();
                            sleep(500);
                        }
                    } catch (IOException closed) {
                        // the scraper gave up
                    }
                }
                case "garbage" -> answer(x, 200, "<html><body>502 Bad Gateway</body></html>\n");
                case "error" -> answer(x, 500, "internal error\n");
                case "huge" -> answer(x, 200, SCRAPE.repeat(100));
                default -> throw new IllegalStateException();
            }
        });
        server.start();
        // Accepts connections and never answers.
        silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    hung.add(silent.accept());
                }
            } catch (IOException closed) {
                // done
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        scraper = new DcgmScraper(Duration.ofMillis(800), 1 << 20, clock);
    }

    @AfterEach
    void stop() throws IOException {
        scraper.close();
        server.stop(0);
        handlers.shutdownNow();
        silent.close();
        for (Socket s : hung) {
            s.close();
        }
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    @Test
    void readsEachNodesGpusInTheBackground() {
        scraper.refresh(Map.of("gpu-a", uri("/metrics")));
        await().atMost(Duration.ofSeconds(10)).until(() -> scraper.results().containsKey("gpu-a"));
        DcgmScraper.NodeScrape r = scraper.results().get("gpu-a");
        assertThat(r.error()).isNull();
        assertThat(r.telemetry().scrapedAt()).isEqualTo(now.get());
        assertThat(r.telemetry().gpus()).hasSize(4);
        assertThat(r.telemetry().gpus().get(0).pods()).containsExactly("ml/infer-0");
        assertThat(scraper.telemetry()).containsOnlyKeys("gpu-a");
        assertThat(r.stale(now.get().plusSeconds(300), 300)).isFalse();
        assertThat(r.stale(now.get().plusSeconds(301), 300)).as("old data is marked stale").isTrue();
    }

    @Test
    void aSlowExporterNeverHoldsUpTheCallerAndTimesOutKeepingTheLastGoodReading() {
        GpuTelemetry good = goodReading();
        mode.set("slow");
        now.set(now.get().plusSeconds(60));
        long start = System.nanoTime();
        scraper.refresh(Map.of("gpu-a", uri("/node")));
        Map<String, DcgmScraper.NodeScrape> during = scraper.results();
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(tookMillis).as("refresh and results return at once").isLessThan(500);
        assertThat(during.get("gpu-a").telemetry()).isEqualTo(good);
        assertThat(scraper.inFlight()).isEqualTo(1);

        // Asked again while the first scrape hangs: no second request piles up.
        scraper.refresh(Map.of("gpu-a", uri("/node")));
        scraper.refresh(Map.of("gpu-a", uri("/node")));
        await().atMost(Duration.ofSeconds(10)).until(() -> scraper.results().get("gpu-a").error() != null);
        DcgmScraper.NodeScrape r = scraper.results().get("gpu-a");
        assertThat(r.error()).isEqualTo(uri("/node") + " did not answer in time");
        assertThat(r.telemetry()).as("the last good reading stays, with its own time").isEqualTo(good);
        assertThat(r.stale(now.get(), 30)).isTrue();
        assertThat(requests.get()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(5)).until(() -> scraper.inFlight() == 0);
    }

    @Test
    void aBodyThatTricklesIsCutOffByTheSameTimeout() {
        mode.set("trickle");
        long start = System.nanoTime();
        scraper.refresh(Map.of("gpu-a", uri("/node")));
        await().atMost(Duration.ofSeconds(10)).until(() -> scraper.results().containsKey("gpu-a"));
        assertThat((System.nanoTime() - start) / 1_000_000).as("well before the whole body (57 s)").isLessThan(5_000);
        assertThat(scraper.results().get("gpu-a").error()).isEqualTo(uri("/node") + " did not answer in time");
        assertThat(scraper.results().get("gpu-a").telemetry()).isNull();
    }

    @Test
    void aHungConnectionTimesOut() {
        URI u = URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/metrics");
        scraper.refresh(Map.of("gpu-b", u));
        await().atMost(Duration.ofSeconds(10)).until(() -> scraper.results().containsKey("gpu-b"));
        assertThat(scraper.results().get("gpu-b").error()).isEqualTo(u + " did not answer in time");
        assertThat(scraper.results().get("gpu-b").stale(now.get(), 300)).as("never read: stale").isTrue();
    }

    @Test
    void aDeadExporterIsRecordedAsRefused() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        URI dead = URI.create("http://127.0.0.1:" + port + "/metrics");
        scraper.refresh(Map.of("gpu-c", dead));
        await().atMost(Duration.ofSeconds(10)).until(() -> scraper.results().containsKey("gpu-c"));
        assertThat(scraper.results().get("gpu-c")).isEqualTo(new DcgmScraper.NodeScrape(null,
                dead + " refused the connection", now.get()));
        assertThat(scraper.telemetry()).isEmpty();
    }

    @Test
    void garbageIsRejectedWithLineAndColumnAndNothingOfItIsKept() {
        GpuTelemetry good = goodReading();
        mode.set("garbage");
        now.set(now.get().plusSeconds(60));
        scraper.refresh(Map.of("gpu-a", uri("/node")));
        await().atMost(Duration.ofSeconds(10)).until(() -> scraper.results().get("gpu-a").error() != null);
        assertThat(scraper.results().get("gpu-a")).isEqualTo(new DcgmScraper.NodeScrape(good, uri("/node")
                + ":1:1: expected a metric name at the start of a sample, found '<'", now.get()));
    }

    @Test
    void anHttpErrorIsRecorded() {
        mode.set("error");
        scraper.refresh(Map.of("gpu-a", uri("/node")));
        await().atMost(Duration.ofSeconds(10)).until(() -> scraper.results().containsKey("gpu-a"));
        assertThat(scraper.results().get("gpu-a").error()).isEqualTo(uri("/node") + " answered HTTP 500");
    }

    @Test
    void anAnswerLargerThanTheLimitIsRefused() {
        mode.set("huge");
        scraper.refresh(Map.of("gpu-a", uri("/node")));
        await().atMost(Duration.ofSeconds(10)).until(() -> scraper.results().containsKey("gpu-a"));
        assertThat(scraper.results().get("gpu-a").error()).endsWith("the answer is larger than 1048576 bytes");
        assertThat(scraper.results().get("gpu-a").telemetry()).isNull();
    }

    @Test
    void aNodeNoLongerListedIsForgotten() {
        goodReading();
        scraper.refresh(Map.of());
        assertThat(scraper.results()).isEmpty();
    }

    private GpuTelemetry goodReading() {
        scraper.refresh(Map.of("gpu-a", uri("/node")));
        await().atMost(Duration.ofSeconds(10)).until(() -> scraper.results().containsKey("gpu-a")
                && scraper.inFlight() == 0);
        GpuTelemetry t = scraper.results().get("gpu-a").telemetry();
        assertThat(t).isNotNull();
        return t;
    }

    private static void answer(HttpExchange x, int code, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
        try {
            x.sendResponseHeaders(code, b.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(b);
            }
        } catch (IOException closed) {
            // the scraper gave up
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
