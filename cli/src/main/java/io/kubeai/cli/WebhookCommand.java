package io.kubeai.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubeai.core.config.SchedulingPolicy;
import io.kubeai.kube.PolicyFile;
import io.kubeai.webhook.AdmissionWebhook;
import io.kubeai.webhook.InformedNamespaceLabels;
import io.kubeai.webhook.NamespaceLabels;
import io.kubeai.webhook.WebhookServer;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kubeai webhook}: the mutating and validating admission webhook, until stopped. Needs no
 * API server: namespace rules come from the policy file; {@code --kubeconfig} (or
 * {@code --watch-namespaces} in a cluster) only adds namespace labels.
 */
@Command(name = "webhook", mixinStandardHelpOptions = true,
        description = "Serve the admission webhook (POST /mutate, POST /validate; AdmissionReview v1 over HTTPS). "
                + "The TLS files are re-read when they change.")
public final class WebhookCommand implements Callable<Integer> {
    @Option(names = "--tls-cert", paramLabel = "FILE", required = true, description = "PEM certificate (chain) to serve.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", required = true, description = "PEM private key of the certificate.")
    Path tlsKey;

    @Option(names = "--port", defaultValue = "9443", description = "Port to listen on (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "0.0.0.0", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--config", paramLabel = "FILE",
            description = "SchedulingPolicy YAML; its webhook: section configures the webhook (default: built-in defaults).")
    Path config;

    @Option(names = "--watch-namespaces",
            description = "Read namespace labels (kubeai.io/managed, kubeai.io/queue, kubeai.io/tier) from the API server, "
                    + "with --kubeconfig or the in-cluster service account.")
    boolean watchNamespaces;

    @Option(names = "--tls-reload-seconds", defaultValue = "10",
            description = "How often to check the TLS files for a new pair (default: ${DEFAULT-VALUE}).")
    long tlsReloadSeconds;

    @Option(names = "--warm-up-seconds", defaultValue = "5",
            description = "Answer synthetic reviews for up to this long before listening, so the JIT has compiled "
                    + "the review path (default: ${DEFAULT-VALUE}; 0 turns it off).")
    long warmUpSeconds;

    @Option(names = "--instances", defaultValue = "0",
            description = "Event loops serving reviews (default: the number of cores, at most 2).")
    int instances;

    @Mixin
    KubeOptions kube;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be within 0..65535, was " + port);
        }
        if (tlsReloadSeconds < 1) {
            throw new IllegalArgumentException("--tls-reload-seconds must be at least 1, was " + tlsReloadSeconds);
        }
        // Refuses to start on any configuration error, naming every one, or on unusable TLS files.
        SchedulingPolicy policy = config == null ? SchedulingPolicy.DEFAULT : PolicyFile.load(config);
        WebhookServer.checkTls(tlsCert, tlsKey);
        KubernetesClient client = null;
        NamespaceLabels labels = NamespaceLabels.NONE;
        if (watchNamespaces || kube.kubeconfig != null) {
            client = kube.client();
            labels = new InformedNamespaceLabels(client);
        }
        WebhookServer.Options options = WebhookServer.Options.defaults().withHost(host).withPort(port)
                .withTls(tlsCert, tlsKey).withTlsReloadMillis(tlsReloadSeconds * 1000);
        if (instances > 0) {
            options = options.withInstances(instances);
        }
        AdmissionWebhook webhook = new AdmissionWebhook(policy.webhook(), labels);
        if (warmUpSeconds > 0) {
            webhook.warmUp(java.time.Duration.ofSeconds(warmUpSeconds));
        }
        Vertx vertx = Vertx.vertx();
        WebhookServer server;
        try {
            server = new WebhookServer(vertx, webhook, labels, options).start().await();
        } catch (RuntimeException e) {
            vertx.close();
            if (client != null) {
                client.close();
            }
            throw e;
        }
        spec.commandLine().getOut().printf("kubeai webhook listening on https://%s:%d (POST /mutate, POST /validate; %s)%n",
                host, server.port(), labels == NamespaceLabels.NONE ? "namespace labels not watched"
                        : "watching namespace labels");
        spec.commandLine().getOut().flush();
        CountDownLatch stop = new CountDownLatch(1);
        KubernetesClient c = client;
        NamespaceLabels l = labels;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            vertx.close();
            if (l instanceof InformedNamespaceLabels informed) {
                informed.close();
            }
            if (c != null) {
                c.close();
            }
            stop.countDown();
        }));
        stop.await();
        return 0;
    }
}
