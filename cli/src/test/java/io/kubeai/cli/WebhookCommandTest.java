package io.kubeai.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebhookCommandTest {
    @TempDir
    Path dir;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void helpNamesTheOptions() {
        assertThat(run("--help").out()).contains("webhook");
        assertThat(run("webhook", "--help").out()).contains("--tls-cert", "--tls-key", "--port", "--config",
                "--kubeconfig", "--watch-namespaces");
    }

    @Test
    void theTlsFilesAreRequired() {
        CliRun r = run("webhook", "--port", "0");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--tls-cert", "--tls-key");
    }

    @Test
    void aConfigurationWithErrorsIsRefusedNamingEveryOne() throws IOException {
        Path cfg = dir.resolve("policy.yaml");
        Files.writeString(cfg, """
                apiVersion: kubeai.io/v1alpha1
                kind: SchedulingPolicy
                webhook:
                  defaultTier: staging
                  elastic:
                    smallAtMost: {cpu: lots}
                  queues:
                    - {name: a, max: {cpu: "1"}, min: {cpu: "2"}}
                """);
        Path pem = dir.resolve("x.pem");
        Files.writeString(pem, "x");
        CliRun r = run("webhook", "--tls-cert", pem.toString(), "--tls-key", pem.toString(), "--config", cfg.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("has 3 errors",
                "webhook.defaultTier: \"staging\" is not one of [prod, dev]",
                "webhook.elastic.smallAtMost.cpu: \"lots\" is not a non-negative quantity",
                "webhook.queues[a].min.cpu: 2 is above max 1");
        assertThat(r.err()).doesNotContain("Exception", "\tat ");
    }

    @Test
    void anUnreadableCertificateIsRefused() throws IOException {
        Path pem = dir.resolve("x.pem");
        Files.writeString(pem, "not a certificate");
        CliRun r = run("webhook", "--tls-cert", pem.toString(), "--tls-key", pem.toString(), "--port", "0");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("kubeai: TLS certificate " + pem);
    }
}
