package io.kubeai.core.queue;

import static io.kubeai.core.resource.ResourceList.CPU;
import static io.kubeai.core.resource.ResourceList.GPU;
import static io.kubeai.core.resource.ResourceList.MEMORY;
import static io.kubeai.core.testing.Builders.queue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kubeai.core.config.ConfigValidationException;
import io.kubeai.core.config.ValidationError;
import io.kubeai.core.resource.ResourceList;
import io.kubeai.core.testing.QueueBuilder;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class QueueTreeTest {
    private static final long GIB = 1L << 30;

    record Validation(String name, List<QueueBuilder> given, List<ValidationError> want) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Validation validation(String name, List<QueueBuilder> given, ValidationError... want) {
        return new Validation(name, given, List.of(want));
    }

    private static ValidationError error(String path, String message) {
        return new ValidationError(path, message);
    }

    static Stream<Validation> validations() {
        return Stream.of(
                validation("a two-level tree with guarantees that add up is valid",
                        List.of(queue("org").minGpus(16), queue("cv").parent("org").minGpus(8).maxGpus(16),
                                queue("nlp").parent("org").minGpus(8).lendingLimitGpus(4).borrowingLimitGpus(2))),
                validation("a blank name",
                        List.of(queue(" ")),
                        error("queues[0].name", "must not be blank")),
                validation("a name given twice is reported at the second",
                        List.of(queue("a"), queue("b"), queue("a")),
                        error("queues[2].name", "duplicate queue \"a\"")),
                validation("an unknown parent names the queues there are",
                        List.of(queue("b").parent("x"), queue("a")),
                        error("queues[b].parent", "unknown queue \"x\"; known queues are [a, b]")),
                validation("a weight below one",
                        List.of(queue("a").weight(0)),
                        error("queues[a].weight", "must be at least 1, was 0")),
                validation("a min above the max",
                        List.of(queue("team-cv").minGpus(16).maxGpus(8)),
                        error("queues[team-cv].min.nvidia.com/gpu", "16 is above max 8")),
                validation("a min above a max of zero",
                        List.of(queue("a").min(CPU, 500).max(CPU, 0)),
                        error("queues[a].min.cpu", "500m is above max 0")),
                validation("memory is written in its unit",
                        List.of(queue("a").min(MEMORY, 64 * GIB).max(MEMORY, 32 * GIB)),
                        error("queues[a].min.memory", "64Gi is above max 32Gi")),
                validation("a lending limit above the min",
                        List.of(queue("a").minGpus(2).lendingLimitGpus(4)),
                        error("queues[a].lendingLimit.nvidia.com/gpu", "4 is above min 2; a queue lends only its min")),
                validation("a lending limit of a resource with no min",
                        List.of(queue("a").minGpus(2).lendingLimit(CPU, 1000)),
                        error("queues[a].lendingLimit.cpu", "1 is above min 0; a queue lends only its min")),
                validation("a parent lends from the min its children add up to",
                        List.of(queue("org").lendingLimitGpus(4), queue("cv").parent("org").minGpus(4),
                                queue("nlp").parent("org").minGpus(4))),
                validation("a parent lends no more than the min its children add up to",
                        List.of(queue("org").lendingLimitGpus(12), queue("cv").parent("org").minGpus(4),
                                queue("nlp").parent("org").minGpus(4)),
                        error("queues[org].lendingLimit.nvidia.com/gpu", "12 is above min 8; a queue lends only its min")),
                validation("children's min above the parent's",
                        List.of(queue("org").minGpus(8), queue("cv").parent("org").minGpus(6),
                                queue("nlp").parent("org").minGpus(6)),
                        error("queues[org].min.nvidia.com/gpu", "children's min sum to 12, above this queue's 8")),
                validation("children's min counts only resources the parent names",
                        List.of(queue("org").min(CPU, 8000), queue("cv").parent("org").minGpus(6).min(CPU, 4000),
                                queue("nlp").parent("org").minGpus(6).min(CPU, 4000))),
                validation("grandchildren's min above a grandparent's, through a parent that names none",
                        List.of(queue("org").minGpus(8), queue("dept").parent("org"),
                                queue("cv").parent("dept").minGpus(6), queue("nlp").parent("dept").minGpus(6)),
                        error("queues[org].min.nvidia.com/gpu", "children's min sum to 12, above this queue's 8")),
                validation("children's min above the max of a parent that names no min",
                        List.of(queue("org").maxGpus(8), queue("cv").parent("org").minGpus(6),
                                queue("nlp").parent("org").minGpus(6)),
                        error("queues[org].min.nvidia.com/gpu", "children's min sum to 12, above max 8")),
                validation("two queues that are each other's parent",
                        List.of(queue("a").parent("b"), queue("b").parent("a")),
                        error("queues[a].parent", "cycle a → b → a")),
                validation("a queue that is its own parent",
                        List.of(queue("a").parent("a")),
                        error("queues[a].parent", "cycle a → a")),
                validation("a cycle above a queue is reported once, where it closes",
                        List.of(queue("c").parent("a"), queue("a").parent("b"), queue("b").parent("a")),
                        error("queues[a].parent", "cycle a → b → a")),
                validation("every error is reported together",
                        List.of(queue("org").minGpus(4).weight(0),
                                queue("cv").parent("org").minGpus(6).maxGpus(4),
                                queue("nlp").parent("nope").lendingLimitGpus(1),
                                queue("cv")),
                        error("queues[3].name", "duplicate queue \"cv\""),
                        error("queues[org].weight", "must be at least 1, was 0"),
                        error("queues[cv].min.nvidia.com/gpu", "6 is above max 4"),
                        error("queues[nlp].parent", "unknown queue \"nope\"; known queues are [cv, nlp, org]"),
                        error("queues[nlp].lendingLimit.nvidia.com/gpu", "1 is above min 0; a queue lends only its min"),
                        error("queues[org].min.nvidia.com/gpu", "children's min sum to 6, above this queue's 4")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validations")
    void validateReturnsEveryErrorWithItsPath(Validation c) {
        assertThat(QueueTree.validate(specs(c.given))).isEqualTo(c.want);
    }

    @Test
    void ofRefusesAnInvalidConfigurationNamingEveryError() {
        List<QueueSpec> specs = specs(List.of(queue("a").weight(0), queue("b").parent("a").minGpus(2).maxGpus(1)));

        ConfigValidationException thrown = catchThrowableOfType(() -> QueueTree.of(specs),
                ConfigValidationException.class);

        assertThat(thrown.errors()).isEqualTo(List.of(
                error("queues[a].weight", "must be at least 1, was 0"),
                error("queues[b].min.nvidia.com/gpu", "2 is above max 1")));
        assertThat(thrown).hasMessage("queue configuration has 2 errors:\n"
                + "  queues[a].weight: must be at least 1, was 0\n"
                + "  queues[b].min.nvidia.com/gpu: 2 is above max 1");
    }

    record EffectiveMin(String name, List<QueueBuilder> given, String queue, ResourceList want) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<EffectiveMin> effectiveMins() {
        List<QueueBuilder> mixed = List.of(queue("org").min(CPU, 32_000),
                queue("cv").parent("org").minGpus(8).min(CPU, 16_000), queue("nlp").parent("org").minGpus(4));
        List<QueueBuilder> deep = List.of(queue("org"), queue("dept").parent("org").minGpus(10),
                queue("cv").parent("dept").minGpus(2), queue("nlp").parent("dept").minGpus(3),
                queue("ops").parent("org").min(CPU, 1000));
        return Stream.of(
                new EffectiveMin("a leaf's is its own", mixed, "cv", ResourceList.of(GPU, 8000, CPU, 16_000)),
                new EffectiveMin("a leaf without a min has none", List.of(queue("a")), "a", ResourceList.EMPTY),
                new EffectiveMin("a parent keeps what it names and sums its children's for the rest",
                        mixed, "org", ResourceList.of(CPU, 32_000, GPU, 12_000)),
                new EffectiveMin("a parent that names more than its children add up to keeps its own",
                        deep, "dept", ResourceList.of(GPU, 10_000)),
                new EffectiveMin("a grandparent sums its children's effective min",
                        deep, "org", ResourceList.of(GPU, 10_000, CPU, 1000)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("effectiveMins")
    void effectiveMinIsTheSpecsMinAndTheChildrensSumForTheRest(EffectiveMin c) {
        QueueTree tree = QueueTree.of(specs(c.given));

        assertThat(tree.effectiveMin(tree.indexOf(c.queue).orElseThrow())).isEqualTo(c.want);
    }

    /** The shape of a tree, in names. */
    record Shape(List<String> roots, List<String> childrenOfOrg, List<String> pathOfCv, List<String> leavesUnderOrg,
            List<String> leaves, boolean unknownFound) {
    }

    @Test
    void ordersParentsBeforeChildrenAndAnswersInNames() {
        QueueTree tree = QueueTree.of(specs(List.of(queue("cv").parent("org"), queue("org"),
                queue("nlp").parent("org"), queue("solo"))));

        for (int q = 0; q < tree.size(); q++) {
            assertThat(tree.parent(q)).as(tree.name(q)).isLessThan(q);
            assertThat(tree.spec(q).name()).isEqualTo(tree.name(q));
        }
        int org = tree.indexOf("org").orElseThrow();
        int cv = tree.indexOf("cv").orElseThrow();
        Shape shape = new Shape(names(tree, tree.roots()), names(tree, tree.children(org)).stream().sorted().toList(),
                names(tree, tree.path(cv)),
                tree.leavesUnder(org).stream().map(tree::name).sorted().toList(),
                tree.names().stream().filter(n -> tree.isLeaf(tree.indexOf(n).orElseThrow())).sorted().toList(),
                tree.indexOf("x").isPresent());
        assertThat(shape).isEqualTo(new Shape(List.of("org", "solo"), List.of("cv", "nlp"), List.of("cv", "org"),
                List.of("cv", "nlp"), List.of("cv", "nlp", "solo"), false));
        assertThat(tree.parent(org)).isEqualTo(-1);
        assertThat(tree.names()).containsExactlyInAnyOrder("org", "cv", "nlp", "solo");
    }

    private static List<String> names(QueueTree tree, int[] queues) {
        return Arrays.stream(queues).mapToObj(tree::name).toList();
    }

    static List<QueueSpec> specs(List<QueueBuilder> builders) {
        return builders.stream().map(QueueBuilder::build).toList();
    }
}
