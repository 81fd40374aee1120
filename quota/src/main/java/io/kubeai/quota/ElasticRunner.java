package io.kubeai.quota;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubeai.core.config.ElasticPolicy;
import io.kubeai.kube.ClusterCache;
import io.kubeai.kube.OneTryClient;
import io.kubeai.kube.telemetry.DcgmScraper;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the {@link ElasticController} every {@code intervalSeconds} on a thread of its own —
 * neither the admission controller's nor the extender's — and only while this replica leads,
 * so that two replicas never both evict. Owns its one-try client and the GPU scraper.
 */
public final class ElasticRunner implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ElasticRunner.class.getName());
    /** A dcgm-exporter scrape is a few hundred kilobytes; a megabyte more is not telemetry. */
    static final int MAX_SCRAPE_BYTES = 4 << 20;

    private final ElasticController controller;
    private final BooleanSupplier leading;
    private final KubernetesClient oneTry;
    private final DcgmScraper scraper;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kubeai-elastic");
        t.setDaemon(true);
        return t;
    });

    private ElasticRunner(ElasticController controller, BooleanSupplier leading, KubernetesClient oneTry,
            DcgmScraper scraper) {
        this.controller = controller;
        this.leading = leading;
        this.oneTry = oneTry;
        this.scraper = scraper;
    }

    /**
     * Wires a controller for {@code policy}: a client of its own that tries each call once (a
     * refused eviction or a metrics API that is down is retried next interval, not for twenty
     * seconds on this thread) and, with GPU lending, a scraper.
     */
    public static ElasticRunner create(KubernetesClient client, ClusterCache cache, InstantSource clock, ElasticPolicy policy,
            ControllerMetrics metrics, BooleanSupplier leading) {
        KubernetesClient oneTry = OneTryClient.of(client, Duration.ofSeconds(Math.max(1,
                Math.min(10, policy.intervalSeconds() / 4))));
        DcgmScraper scraper = policy.lendIdleGpus()
                ? new DcgmScraper(Duration.ofMillis(policy.gpuTelemetry().timeoutMillis()), MAX_SCRAPE_BYTES, clock) : null;
        ElasticController c = new ElasticController(oneTry, cache, scraper, clock, policy, new ElasticMetrics(metrics));
        return new ElasticRunner(c, leading, oneTry, scraper);
    }

    public ElasticController controller() {
        return controller;
    }

    /** Runs an interval now and then every {@code interval}. */
    public ElasticRunner start(Duration interval) {
        loop.scheduleWithFixedDelay(this::interval, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private void interval() {
        if (!leading.getAsBoolean()) {
            return;
        }
        try {
            controller.reconcile();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "elastic interval failed; the next one retries", e);
        }
    }

    /** Runs one interval on the runner's thread and waits for it (tests). */
    public void runOnce() {
        try {
            loop.submit(this::interval).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        loop.shutdownNow();
        if (scraper != null) {
            scraper.close();
        }
        oneTry.close();
    }
}
