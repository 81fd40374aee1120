package io.kubeai.simulator.jobs.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubeai.core.config.ConfigValidationException;
import io.kubeai.core.queue.QueueSpec;
import io.kubeai.core.queue.QueueingStrategy;
import io.kubeai.core.resource.ResourceList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class QueuesFileTest {
    private static final QueueSpec ORG = QueueSpec.named("org")
            .max(io.kubeai.core.resource.ResourceLimits.of(java.util.Map.of(ResourceList.GPU, 16_000L))).build();
    private static final QueueSpec CV = QueueSpec.named("cv").parent("org")
            .min(ResourceList.of(ResourceList.GPU, 8_000L, ResourceList.CPU, 64_000L)).weight(2).build();
    private static final QueueSpec NLP = QueueSpec.named("nlp").parent("org")
            .queueing(QueueingStrategy.STRICT_FIFO).build();

    @Test
    void thePolicyFilesQueueListReadsAsThePolicyReadsIt() {
        List<QueueSpec> q = QueuesFile.parse("q.yaml", """
                queues:
                  - {name: org, max: {nvidia.com/gpu: 16}}
                  - {name: cv, parent: org, min: {nvidia.com/gpu: 8, cpu: "64"}, weight: 2}
                  - {name: nlp, parent: org, queueing: StrictFIFO}
                """);
        assertThat(q).containsExactly(ORG, CV, NLP);
    }

    @Test
    void queueObjectsReadFromDocumentsOrAList() {
        String docs = """
                apiVersion: scheduling.kubeai.io/v1alpha1
                kind: Queue
                metadata: {name: org}
                spec: {max: {nvidia.com/gpu: 16}}
                ---
                apiVersion: scheduling.kubeai.io/v1alpha1
                kind: Queue
                metadata: {name: cv}
                spec: {parent: org, min: {nvidia.com/gpu: 8, cpu: "64"}, weight: 2}
                status: {used: {nvidia.com/gpu: 3}}
                ---
                apiVersion: scheduling.kubeai.io/v1alpha1
                kind: Queue
                metadata: {name: nlp}
                spec: {parent: org, queueing: StrictFIFO}
                """;
        assertThat(QueuesFile.parse("q.yaml", docs)).containsExactly(ORG, CV, NLP);
        String list = """
                apiVersion: v1
                kind: List
                items:
                - apiVersion: scheduling.kubeai.io/v1alpha1
                  kind: Queue
                  metadata: {name: org}
                  spec: {max: {nvidia.com/gpu: 16}}
                - apiVersion: scheduling.kubeai.io/v1alpha1
                  kind: Queue
                  metadata: {name: cv}
                  spec: {parent: org, min: {nvidia.com/gpu: 8, cpu: "64"}, weight: 2}
                - apiVersion: scheduling.kubeai.io/v1alpha1
                  kind: Queue
                  metadata: {name: nlp}
                  spec: {parent: org, queueing: StrictFIFO}
                """;
        assertThat(QueuesFile.parse("q.yaml", list)).containsExactly(ORG, CV, NLP);
    }

    static Stream<Arguments> badFiles() {
        return Stream.of(
                Arguments.of("YAML syntax, with line and column", "queues:\n  - {name: a, min: {cpu: 1}\n",
                        "q.yaml:2:28: not valid YAML"),
                Arguments.of("a quantity that is not one", "queues:\n  - {name: a, min: {cpu: lots}}\n",
                        "queues[0].min.cpu"),
                Arguments.of("an unknown field", "queues:\n  - {name: a}\n  - {name: b, maxx: {cpu: 1}}\n",
                        "queues[1].maxx: unknown field"),
                Arguments.of("an unknown parent", "queues:\n  - {name: a, parent: nope}\n",
                        "queues[0].parent: unknown queue \"nope\""),
                Arguments.of("min above max", "queues:\n  - {name: a, min: {cpu: 4}, max: {cpu: 2}}\n",
                        "queues[0].min.cpu: 4 is above max 2"),
                Arguments.of("a top-level key besides queues", "queue:\n  - {name: a}\n", "queue: unknown field"),
                Arguments.of("no queues", "queues: []\n", "no queues; a simulation needs at least one"),
                Arguments.of("an empty file", "", "no queues; expected a mapping with a queues list"),
                Arguments.of("a Queue field error, named by the Queue",
                        "apiVersion: scheduling.kubeai.io/v1alpha1\nkind: Queue\nmetadata: {name: cv}\n"
                                + "spec: {weight: many}\n", "Queue cv: spec.weight"),
                Arguments.of("a Queue without a name", "apiVersion: scheduling.kubeai.io/v1alpha1\nkind: Queue\n"
                        + "spec: {}\n", "metadata.name: missing"),
                Arguments.of("another kind", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n",
                        "kind: \"ConfigMap\" is not Queue"),
                Arguments.of("another API version", "apiVersion: kueue.x-k8s.io/v1beta1\nkind: Queue\n"
                        + "metadata: {name: x}\n", "apiVersion: \"kueue.x-k8s.io/v1beta1\" is not supported"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void aBadFileIsRefusedWholeSayingWhere(String name, String text, String message) {
        assertThatThrownBy(() -> QueuesFile.parse("q.yaml", text))
                .isInstanceOf(ConfigValidationException.class)
                .hasMessageStartingWith("queues file q.yaml has")
                .hasMessageContaining(message);
    }

    @Test
    void everyErrorIsReportedNotJustTheFirst() {
        assertThatThrownBy(() -> QueuesFile.parse("q.yaml", """
                queues:
                  - {name: a, weight: 0}
                  - {name: b, min: {cpu: x}}
                """)).isInstanceOf(ConfigValidationException.class)
                .satisfies(e -> assertThat(((ConfigValidationException) e).errors()).hasSize(2));
    }

    @Test
    void equalSharesSplitEveryResourceExactly() {
        ResourceList capacity = ResourceList.of(ResourceList.GPU, 10_000L, ResourceList.CPU, 7L);
        List<QueueSpec> q = QueuesFile.equalShares(List.of("a", "b", "c"), capacity);
        assertThat(q).extracting(s -> s.min().get(ResourceList.GPU)).containsExactly(3334L, 3333L, 3333L);
        assertThat(q).extracting(s -> s.min().get(ResourceList.CPU)).containsExactly(3L, 2L, 2L);
        assertThat(q).allSatisfy(s -> assertThat(s.parent()).isNull());
    }
}
