package io.kubeai.quota;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the controller's cycles on one thread, only while this replica holds the Lease: on every
 * change (coalesced) and every {@code interval}. Two replicas never both admit; a new leader
 * starts from what the API server holds.
 */
public final class ControllerRunner implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ControllerRunner.class.getName());

    private final AdmissionController controller;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kubeai-controller");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean leading = new AtomicBoolean();
    private final AtomicBoolean queued = new AtomicBoolean();
    private final Duration interval;
    private CompletableFuture<?> election;

    public ControllerRunner(AdmissionController controller, Duration interval) {
        this.controller = controller;
        this.interval = interval;
    }

    /** Starts cycles right away, without an election (tests, single replicas). */
    public ControllerRunner startWithoutElection() {
        leading.set(true);
        schedule();
        return this;
    }

    /** Competes for the Lease {@code namespace/name}; runs cycles while holding it. */
    public ControllerRunner startWithElection(KubernetesClient client, String namespace, String name, String identity) {
        election = client.leaderElector().withConfig(new LeaderElectionConfigBuilder().withName(name)
                .withLock(new LeaseLock(namespace, name, identity)).withLeaseDuration(Duration.ofSeconds(15))
                .withRenewDeadline(Duration.ofSeconds(10)).withRetryPeriod(Duration.ofSeconds(2))
                .withReleaseOnCancel(true)
                .withLeaderCallbacks(new LeaderCallbacks(() -> {
                    LOG.log(Level.INFO, "{0} leads: starting admission cycles", identity);
                    leading.set(true);
                    trigger();
                }, () -> {
                    LOG.log(Level.INFO, "{0} stopped leading", identity);
                    leading.set(false);
                }, leader -> LOG.log(Level.INFO, "leader is now {0}", leader)))
                .build()).build().start();
        schedule();
        return this;
    }

    private void schedule() {
        loop.scheduleWithFixedDelay(this::cycle, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Asks for a cycle soon; many requests before it runs make one cycle. */
    public void trigger() {
        if (queued.compareAndSet(false, true)) {
            loop.schedule(this::cycle, 200, TimeUnit.MILLISECONDS);
        }
    }

    public boolean leading() {
        return leading.get();
    }

    private void cycle() {
        queued.set(false);
        if (!leading.get()) {
            return;
        }
        try {
            controller.reconcile();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "admission cycle failed; the next one retries", e);
        }
    }

    /** Runs one cycle on the controller thread and waits for it (tests). */
    public void runOnce() {
        try {
            loop.submit(this::cycle).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (election != null) {
            election.cancel(true);
        }
        loop.shutdownNow();
        controller.close();
    }
}
