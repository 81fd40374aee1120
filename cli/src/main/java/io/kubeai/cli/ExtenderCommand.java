package io.kubeai.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubeai.core.config.SchedulingPolicy;
import io.kubeai.extender.ExtenderServer;
import io.kubeai.extender.ExtenderService;
import io.kubeai.extender.PolicyProvider;
import io.kubeai.kube.ClusterCache;
import io.kubeai.kube.PolicyFile;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kubeai extender}: the kube-scheduler extender, until stopped. */
@Command(name = "extender", mixinStandardHelpOptions = true,
        description = "Serve kube-scheduler's extender calls (filter, prioritize, bind, preempt) from an "
                + "informer-fed cache of the cluster. See deploy/kube-scheduler-config.yaml for the scheduler side.")
public final class ExtenderCommand implements Callable<Integer> {
    @Mixin
    KubeOptions kube;

    @Option(names = "--port", defaultValue = "8888", description = "Port to listen on (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "0.0.0.0", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--prefix", defaultValue = "/scheduler",
            description = "The urlPrefix path kube-scheduler calls (default: ${DEFAULT-VALUE}).")
    String prefix;

    @Option(names = "--config", paramLabel = "FILE", description = "SchedulingPolicy YAML (default: built-in defaults).")
    Path config;

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "Serve HTTPS with this certificate.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "The certificate's private key.")
    Path tlsKey;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together");
        }
        SchedulingPolicy policy = config == null ? SchedulingPolicy.DEFAULT : PolicyFile.load(config);
        KubernetesClient client = kube.client();
        ClusterCache cache = new ClusterCache(Clock.systemUTC(), Duration.ofSeconds(30)).start(client);
        Vertx vertx = Vertx.vertx();
        ExtenderService service = new ExtenderService(cache, client,
                new PolicyProvider(policy.placementPolicy(), cache, Clock.systemUTC(), Duration.ofMinutes(1)));
        ExtenderServer.Options options = ExtenderServer.Options.defaults().withHost(host).withPort(port);
        options = new ExtenderServer.Options(host, port, prefix, options.bodyLimitBytes(),
                tlsCert == null ? null : tlsCert.toString(), tlsKey == null ? null : tlsKey.toString());
        ExtenderServer server = new ExtenderServer(vertx, service, options).start().await();
        spec.commandLine().getOut().printf("kubeai extender listening on %s://%s:%d%s (placement %s)%n",
                tlsCert == null ? "http" : "https", host, server.port(), prefix, policy.placementPolicy());
        spec.commandLine().getOut().flush();
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            vertx.close();
            cache.close();
            client.close();
            stop.countDown();
        }));
        stop.await();
        return 0;
    }
}
