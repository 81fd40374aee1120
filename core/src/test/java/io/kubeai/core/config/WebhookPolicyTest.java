package io.kubeai.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubeai.core.queue.QueueingStrategy;
import io.kubeai.core.resource.ResourceLimits;
import io.kubeai.core.resource.ResourceList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookPolicyTest {
    private static Map<String, Object> doc(Map<String, Object> webhook) {
        return Map.of("apiVersion", "kubeai.io/v1alpha1", "kind", "SchedulingPolicy", "webhook", webhook);
    }

    @Test
    void aPolicyWithoutAWebhookSectionHasTheWebhookDefaults() {
        SchedulingPolicy p = SchedulingPolicy.fromTree(Map.of("apiVersion", "kubeai.io/v1alpha1", "kind", "SchedulingPolicy"));
        assertThat(p.webhook()).isEqualTo(WebhookPolicy.DEFAULT);
        assertThat(p).isEqualTo(SchedulingPolicy.DEFAULT);
        assertThat(WebhookPolicy.DEFAULT.elastic().enabled()).as("elastic capacity is opt-in").isFalse();
    }

    @Test
    void aFullWebhookSectionIsReadIntoValues() {
        WebhookPolicy w = SchedulingPolicy.fromTree(doc(Map.of(
                "managedNamespaces", List.of("ml", "team-*"),
                "adoptSchedulerNames", List.of("volcano"),
                "defaultQueue", "shared",
                "defaultTier", "prod",
                "namespaceRules", List.of(Map.of("namespace", "team-cv*", "queue", "team-cv", "tier", "dev")),
                "tiers", Map.of("prod", Map.of("priorityClassName", "kubeai-prod", "priority", 100000),
                        "dev", Map.of("priorityClassName", "kubeai-dev", "priority", 1000, "preemptionPolicy", "Never")),
                "elastic", Map.of("enabled", true, "smallAtMost", Map.of("cpu", "1500m", "memory", "4Gi"),
                        "largeAtLeast", Map.of("cpu", 16), "resources", Map.of("cpu", "kubernetes.io/batch-cpu",
                                "memory", "kubernetes.io/batch-memory"),
                        "priorityClassName", "kubeai-elastic", "priority", 10,
                        "tolerations", List.of(Map.of("key", "pool", "operator", "Equal", "value", "online", "effect", "NoSchedule"))),
                "overwrite", List.of("queue", "PriorityClassName"),
                "queues", List.of(
                        Map.of("name", "root", "max", Map.of("nvidia.com/gpu", 64)),
                        Map.of("name", "team-cv", "parent", "root", "min", Map.of("nvidia.com/gpu", 8, "cpu", "64"),
                                "max", Map.of("nvidia.com/gpu", "16"), "weight", 2, "queueing", "strictfifo"),
                        Map.of("name", "shared", "parent", "root"))))).webhook();
        assertThat(w.manages("team-nlp")).isTrue();
        assertThat(w.manages("kube-system")).isFalse();
        assertThat(w.ruleFor("team-cv-2")).contains(new WebhookPolicy.NamespaceRule("team-cv*", "team-cv", "dev"));
        assertThat(w.ruleFor("ml")).isEmpty();
        assertThat(w.tier("dev")).isEqualTo(new WebhookPolicy.PriorityRule("kubeai-dev", 1000, "Never"));
        assertThat(w.tier("prod")).isEqualTo(new WebhookPolicy.PriorityRule("kubeai-prod", 100000, "PreemptLowerPriority"));
        assertThat(w.elastic()).isEqualTo(new WebhookPolicy.Elastic(true, List.of("dev"), 1500, 4L << 30, 16_000, 32L << 30,
                "kubernetes.io/batch-cpu", "kubernetes.io/batch-memory",
                new WebhookPolicy.PriorityRule("kubeai-elastic", 10, "PreemptLowerPriority"),
                List.of(new WebhookPolicy.Toleration("pool", "Equal", "online", "NoSchedule"))));
        assertThat(w.overwrite()).containsExactlyInAnyOrder("queue", "priorityClassName");
        assertThat(w.queues()).hasSize(3);
        assertThat(w.queues().get(1).min()).isEqualTo(ResourceList.of("nvidia.com/gpu", 8000, "cpu", 64000));
        assertThat(w.queues().get(1).max()).isEqualTo(ResourceLimits.of("nvidia.com/gpu", 16000));
        assertThat(w.queues().get(1).queueing()).isEqualTo(QueueingStrategy.STRICT_FIFO);
        assertThat(w.queueTree().isLeaf(w.queueTree().indexOf("team-cv").orElseThrow())).isTrue();
    }

    @Test
    void perQueueThresholdsDefaultToTheGlobalOnesAndEveryErrorHasItsPath() {
        WebhookPolicy w = SchedulingPolicy.fromTree(doc(Map.of("elastic", Map.of("enabled", true,
                "smallAtMost", Map.of("cpu", "2", "memory", "8Gi"), "largeAtLeast", Map.of("cpu", "8", "memory", "32Gi"),
                "queues", List.of(Map.of("queue", "search", "smallAtMost", Map.of("cpu", "6"),
                        "largeAtLeast", Map.of("cpu", "12"))))))).webhook();
        assertThat(w.elastic().sizesFor("search"))
                .isEqualTo(new WebhookPolicy.QueueSizes("search", 6000, 8L << 30, 12_000, 32L << 30));
        assertThat(w.elastic().sizesFor("web")).isEqualTo(new WebhookPolicy.QueueSizes("", 2000, 8L << 30, 8000, 32L << 30));
        assertThat(w.elastic().sizesFor(null).queue()).isEmpty();
        assertThat(w.elastic().sizesFor("search").small(5000, 1L << 30)).isTrue();
        assertThat(w.elastic().sizesFor("web").small(5000, 1L << 30)).isFalse();

        assertThatThrownBy(() -> SchedulingPolicy.fromTree(doc(Map.of("elastic", Map.of("queues", List.of(
                Map.of("smallAtMost", Map.of("cpu", "1")),
                Map.of("queue", "a", "largeAtLeast", Map.of("cpu", "1")),
                Map.of("queue", "a", "weight", 2)))))))
                .isInstanceOfSatisfying(ConfigValidationException.class, e -> assertThat(e.errors())
                        .extracting(ValidationError::toString).containsExactlyInAnyOrder(
                                "webhook.elastic.queues[0].queue: names no queue",
                                "webhook.elastic.queues[1].largeAtLeast.cpu: must be above smallAtMost.cpu (2), was 1",
                                "webhook.elastic.queues[2].queue: \"a\" has thresholds already; give each queue one entry",
                                "webhook.elastic.queues[2].weight: unknown field; expected one of [largeAtLeast, queue, smallAtMost]"));
    }

    @Test
    void everyErrorInTheWebhookSectionIsReportedWithItsPath() {
        assertThatThrownBy(() -> SchedulingPolicy.fromTree(doc(Map.of(
                "managedNamespaces", List.of("ML_Team"),
                "defaultTier", "staging",
                "defaultQueue", "ghost",
                "namespaceRules", List.of(Map.of("namespace", "x"), Map.of("queue", "root")),
                "tiers", Map.of("prod", Map.of("priorityClassName", "Kubeai_Prod"), "qa", Map.of()),
                "elastic", Map.of("smallAtMost", Map.of("cpu", "two", "memory", "64Gi"),
                        "resources", Map.of("cpu", "cpu"),
                        "tolerations", List.of(Map.of("operator", "Exists", "value", "x"))),
                "overwrite", List.of("schedulerName"),
                "queues", List.of(Map.of("name", "root"), Map.of("name", "a", "parent", "root",
                        "min", Map.of("cpu", "8"), "max", Map.of("cpu", "4", "memory", "lots"), "weight", 0)),
                "surprise", 1))))
                .isInstanceOfSatisfying(ConfigValidationException.class, e -> assertThat(e.errors())
                        .extracting(ValidationError::toString).containsExactlyInAnyOrder(
                                "webhook.surprise: unknown field; expected one of [adoptSchedulerNames, defaultQueue, "
                                        + "defaultTier, elastic, globalDefaultPriorityClassName, managedNamespaces, "
                                        + "namespaceRules, overwrite, periodic, queues, tiers]",
                                "webhook.managedNamespaces[0]: \"ML_Team\" is not a namespace glob (lower-case letters, "
                                        + "digits, '-', '.', '*', '?')",
                                "webhook.defaultTier: \"staging\" is not one of [prod, dev]",
                                "webhook.defaultQueue: unknown queue \"ghost\"; webhook.queues defines [a, root]",
                                "webhook.namespaceRules[0].namespace: the rule names neither a queue nor a tier",
                                "webhook.namespaceRules[1].namespace: missing; a glob such as team-cv-* is expected",
                                "webhook.namespaceRules[1].queue: queue \"root\" has child queues; pods go to leaf queues",
                                "webhook.tiers.qa: unknown field; expected one of [dev, prod]",
                                "webhook.tiers.prod.priorityClassName: \"Kubeai_Prod\" is not a PriorityClass name "
                                        + "(lower-case DNS subdomain)",
                                "webhook.tiers.prod.priority: missing; give the value of PriorityClass Kubeai_Prod "
                                        + "(kubectl get priorityclass Kubeai_Prod)",
                                "webhook.elastic.smallAtMost.cpu: \"two\" is not a non-negative quantity",
                                "webhook.elastic.largeAtLeast.memory: must be above smallAtMost.memory (64Gi), was 32Gi",
                                "webhook.elastic.resources.cpu: \"cpu\" is not an extended resource name (domain/name)",
                                "webhook.elastic.tolerations[0].value: must be empty with operator Exists",
                                "webhook.overwrite[0]: \"schedulerName\" is not one of [queue, tier, priorityClassName, elastic]",
                                "webhook.queues[1].max.memory: \"lots\" is not a non-negative quantity",
                                "webhook.queues[a].weight: must be at least 1, was 0",
                                "webhook.queues[a].min.cpu: 8 is above max 4"));
    }

    @Test
    void globsMatchWholeNamespaceNames() {
        assertThat(WebhookPolicy.glob("team-*", "team-cv")).isTrue();
        assertThat(WebhookPolicy.glob("team-*", "team-")).isTrue();
        assertThat(WebhookPolicy.glob("team-*", "my-team-cv")).isFalse();
        assertThat(WebhookPolicy.glob("ml-?", "ml-1")).isTrue();
        assertThat(WebhookPolicy.glob("ml-?", "ml-10")).isFalse();
        assertThat(WebhookPolicy.glob("ml", "ml")).isTrue();
        assertThat(WebhookPolicy.glob("*", "anything")).isTrue();
    }
}
