package io.kubeai.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeai.core.config.WebhookPolicy;
import io.kubeai.kube.PolicyFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The example policy and the webhook registrations shipped beside the module say what the code does. */
class ShippedFilesTest {
    @Test
    void theExamplePolicyIsValidAndUsesEveryKnob() {
        WebhookPolicy w = PolicyFile.load(Path.of("deploy", "webhook-policy.example.yaml")).webhook();
        assertThat(w.elastic().enabled()).isTrue();
        assertThat(w.queues()).hasSize(4);
        assertThat(w.ruleFor("team-cv-2").orElseThrow().queue()).isEqualTo("team-cv");
        assertThat(w.tier("prod").priorityClassName()).isEqualTo("kubeai-prod");
        assertThat(w.elastic().sizesFor("team-search").smallCpuMillis()).isEqualTo(4000);
    }

    @Test
    void theRegistrationsAskForV1ReinvocationNoSideEffectsAndOurPaths() throws IOException {
        List<JsonNode> docs = YAMLMapper.builder().build()
                .readValues(YAMLMapper.builder().build().createParser(Files.readString(Path.of("deploy", "webhook-configuration.yaml"))),
                        JsonNode.class).readAll();
        assertThat(docs).extracting(d -> d.path("kind").asString())
                .containsExactly("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration");
        JsonNode mutate = docs.get(0).path("webhooks").get(0);
        assertThat(mutate.path("reinvocationPolicy").asString()).isEqualTo("IfNeeded");
        assertThat(mutate.path("sideEffects").asString()).isEqualTo("None");
        assertThat(mutate.path("admissionReviewVersions").toString()).isEqualTo("[\"v1\"]");
        assertThat(mutate.path("clientConfig").path("service").path("path").asString()).isEqualTo("/mutate");
        assertThat(mutate.path("rules").get(0).path("operations").toString()).isEqualTo("[\"CREATE\"]");
        JsonNode validate = docs.get(1).path("webhooks").get(0);
        assertThat(validate.path("clientConfig").path("service").path("path").asString()).isEqualTo("/validate");
        assertThat(validate.path("rules").get(1).path("resources").toString()).isEqualTo("[\"queues\",\"podgroups\"]");
    }
}
