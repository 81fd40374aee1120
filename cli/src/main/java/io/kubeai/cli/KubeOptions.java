package io.kubeai.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How a server command reaches the API server. */
final class KubeOptions {
    @Option(names = "--kubeconfig", paramLabel = "FILE",
            description = "Kubeconfig to use (default: in-cluster service account, else $KUBECONFIG or ~/.kube/config).")
    Path kubeconfig;

    KubernetesClient client() {
        if (kubeconfig == null) {
            return new KubernetesClientBuilder().build();
        }
        try {
            return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read kubeconfig " + kubeconfig, e);
        }
    }
}
