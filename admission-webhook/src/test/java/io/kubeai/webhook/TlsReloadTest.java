package io.kubeai.webhook;

import static io.kubeai.webhook.PodJson.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.net.SelfSignedCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The serving certificate follows its PEM files, as cert-manager rotates them, without a restart. */
class TlsReloadTest {
    @Test
    void newConnectionsGetTheRotatedCertificateAndABrokenPairKeepsTheOldOne() throws Exception {
        try (WebhookHarness h = WebhookHarness.start(MutationTest.BASIC,
                WebhookServer.Options.defaults().withInstances(2).withTlsReloadMillis(100))) {
            h.mutate(pod("p").ns("ml").build());
            X509Certificate first = h.seen.get(h.seen.size() - 1);

            // cert-manager writes a new pair (the kubelet swaps both files at once).
            SelfSignedCertificate next = SelfSignedCertificate.create("localhost");
            replace(Path.of(next.certificatePath()), h.cert);
            replace(Path.of(next.privateKeyPath()), h.key);
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
                h.reconnect();
                h.mutate(pod("p").ns("ml").build());
                return !h.seen.get(h.seen.size() - 1).equals(first);
            });
            X509Certificate rotated = h.seen.get(h.seen.size() - 1);
            assertThat(rotated.getSerialNumber()).isNotEqualTo(first.getSerialNumber());
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> h.get("/metrics").body().contains("kubeai_webhook_tls_reloads_total{result=\"ok\"}"));

            // A half-written certificate is not served: the rotated one stays.
            Files.writeString(h.cert, "-----BEGIN CERTIFICATE-----\nnot base64\n");
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> h.get("/metrics").body().contains("kubeai_webhook_tls_reloads_total{result=\"error\"}"));
            h.reconnect();
            assertThat(h.mutate(pod("p").ns("ml").build()).path("allowed").asBoolean()).isTrue();
            assertThat(h.seen.get(h.seen.size() - 1)).isEqualTo(rotated);
        }
    }

    @Test
    void theServerRefusesToStartWithoutAReadableCertificate() throws Exception {
        Path dir = Files.createTempDirectory("tls");
        Path cert = dir.resolve("tls.crt");
        Path key = dir.resolve("tls.key");
        Files.writeString(cert, "garbage");
        Files.writeString(key, "garbage");
        WebhookServer s = new WebhookServer(io.vertx.core.Vertx.vertx(), new AdmissionWebhook(
                io.kubeai.core.config.WebhookPolicy.DEFAULT, NamespaceLabels.NONE), NamespaceLabels.NONE,
                WebhookServer.Options.defaults().withPort(0).withTls(cert, key));
        org.assertj.core.api.Assertions.assertThatThrownBy(s::start).hasMessageStartingWith("TLS certificate " + cert);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new WebhookServer(io.vertx.core.Vertx.vertx(),
                new AdmissionWebhook(io.kubeai.core.config.WebhookPolicy.DEFAULT, NamespaceLabels.NONE), NamespaceLabels.NONE,
                WebhookServer.Options.defaults().withTls(dir.resolve("missing.crt"), key)).start())
                .hasMessageStartingWith("cannot read TLS file " + dir.resolve("missing.crt"));
    }

    private static void replace(Path from, Path to) throws Exception {
        Path tmp = to.resolveSibling(to.getFileName() + ".new");
        Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
