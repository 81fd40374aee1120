package io.kubeai.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubeai.core.config.SchedulingPolicy;
import io.kubeai.extender.ExtenderServer;
import io.kubeai.extender.ExtenderService;
import io.kubeai.extender.PolicyProvider;
import io.kubeai.kube.ClusterCache;
import io.kubeai.kube.OneTryClient;
import io.kubeai.kube.PolicyFile;
import io.kubeai.quota.AdmissionController;
import io.kubeai.quota.ControllerMetrics;
import io.kubeai.quota.ControllerRunner;
import io.kubeai.quota.ElasticRunner;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kubeai controller}: the quota and admission controller, optionally with the extender in the same process. */
@Command(name = "controller", mixinStandardHelpOptions = true,
        description = "Admit whole gangs by lifting their scheduling gate kubeai.io/admission, under queue quotas. "
                + "Leader-elected through a Lease. With --extender-port, also serves the kube-scheduler extender from "
                + "the same cluster cache, as the deployed process does.")
public final class ControllerCommand implements Callable<Integer> {
    @Mixin
    KubeOptions kube;

    @Option(names = "--config", paramLabel = "FILE", description = "SchedulingPolicy YAML (default: built-in defaults).")
    Path config;

    @Option(names = "--lease-namespace", defaultValue = "kubeai-system",
            description = "Namespace of the leader-election Lease (default: ${DEFAULT-VALUE}).")
    String leaseNamespace;

    @Option(names = "--lease-name", defaultValue = "kubeai-controller",
            description = "Name of the Lease (default: ${DEFAULT-VALUE}).")
    String leaseName;

    @Option(names = "--interval-seconds", defaultValue = "5",
            description = "Run a cycle at least this often, besides on every change (default: ${DEFAULT-VALUE}).")
    int intervalSeconds;

    @Option(names = "--metrics-port", defaultValue = "9090",
            description = "Serve /metrics, /healthz and /readyz on this port (default: ${DEFAULT-VALUE}; 0 turns it off).")
    int metricsPort;

    @Option(names = "--extender-port", paramLabel = "N",
            description = "Also serve the extender on this port, sharing the cache.")
    Integer extenderPort;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        if (intervalSeconds < 1) {
            throw new IllegalArgumentException("--interval-seconds must be at least 1, was " + intervalSeconds);
        }
        SchedulingPolicy policy = config == null ? SchedulingPolicy.DEFAULT : PolicyFile.load(config);
        KubernetesClient client = kube.client();
        ClusterCache cache = new ClusterCache(Clock.systemUTC(), Duration.ofSeconds(30)).start(client);
        String identity = identity();
        ControllerMetrics metrics = new ControllerMetrics();
        // Window-closing evictions try once per interval: a refused one waits for the next interval.
        KubernetesClient oneTry = OneTryClient.of(client, Duration.ofSeconds(Math.max(1,
                Math.min(10, policy.stagger().closing().intervalSeconds() / 4))));
        AdmissionController controller = new AdmissionController(client, oneTry, cache, Clock.systemUTC(), policy, metrics,
                identity);
        ControllerRunner runner = new ControllerRunner(controller, Duration.ofSeconds(intervalSeconds));
        controller.watch(runner::trigger);
        runner.startWithElection(client, leaseNamespace, leaseName, identity);
        // Elastic capacity: published and reclaimed on a thread of its own, only while leading.
        ElasticRunner elastic = policy.elastic().enabled()
                ? ElasticRunner.create(client, cache, Clock.systemUTC(), policy.elastic(), metrics, runner::leading)
                        .start(Duration.ofSeconds(policy.elastic().intervalSeconds()))
                : null;
        Vertx vertx = null;
        ExtenderServer extender = null;
        if (extenderPort != null) {
            vertx = Vertx.vertx();
            ExtenderService service = new ExtenderService(cache, client,
                    new PolicyProvider(policy.placementPolicy(), cache, Clock.systemUTC(), Duration.ofMinutes(1)));
            extender = new ExtenderServer(vertx, service, ExtenderServer.Options.defaults().withPort(extenderPort))
                    .start().await();
        }
        com.sun.net.httpserver.HttpServer health = null;
        if (metricsPort > 0) {
            try {
                health = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress(metricsPort), 0);
            } catch (java.io.IOException ex) {
                throw new java.io.UncheckedIOException("cannot listen on port " + metricsPort, ex);
            }
            health.createContext("/metrics", x -> reply(x, 200, metrics.scrape()));
            health.createContext("/healthz", x -> reply(x, 200, "ok"));
            health.createContext("/readyz", x -> reply(x, cache.synced() && controller.synced() ? 200 : 503,
                    cache.synced() && controller.synced() ? "ok" : "the caches have not synced yet"));
            health.start();
        }
        spec.commandLine().getOut().printf("kubeai controller %s competing for Lease %s/%s%s%n", identity, leaseNamespace,
                leaseName, (extender == null ? "" : "; extender on port " + extender.port())
                        + (elastic == null ? "" : "; elastic capacity every " + policy.elastic().intervalSeconds() + " s"));
        spec.commandLine().getOut().flush();
        CountDownLatch stop = new CountDownLatch(1);
        Vertx v = vertx;
        ExtenderServer e = extender;
        com.sun.net.httpserver.HttpServer h = health;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (elastic != null) {
                elastic.close();
            }
            runner.close();
            if (h != null) {
                h.stop(0);
            }
            if (e != null) {
                e.close();
                v.close();
            }
            cache.close();
            oneTry.close();
            client.close();
            stop.countDown();
        }));
        stop.await();
        return 0;
    }

    private static void reply(com.sun.net.httpserver.HttpExchange x, int code, String body) throws java.io.IOException {
        byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
        x.sendResponseHeaders(code, bytes.length);
        try (java.io.OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String identity() {
        try {
            return InetAddress.getLocalHost().getHostName() + "-" + UUID.randomUUID().toString().substring(0, 8);
        } catch (UnknownHostException e) {
            return "kubeai-" + UUID.randomUUID().toString().substring(0, 8);
        }
    }
}
