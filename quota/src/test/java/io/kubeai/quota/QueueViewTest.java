package io.kubeai.quota;

import static io.kubeai.core.testing.Builders.queue;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubeai.core.queue.QueueTree;
import io.kubeai.core.queue.QuotaLedger;
import io.kubeai.core.resource.ResourceList;
import io.kubeai.core.testing.QueueBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class QueueViewTest {
    static final long CLUSTER_GPUS = 16;

    /** Children of one root "org", each with a min and what it uses, in whole GPUs. */
    record Child(String name, long minGpus, long usedGpus) {
    }

    /** A named case: the children, and the GPUs each lends. */
    record Case(String name, List<Child> children, Map<String, Long> lentGpus) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("nothing borrowed, nothing lent",
                        List.of(new Child("a", 8, 2), new Child("b", 0, 0)), Map.of("a", 0L, "b", 0L)),
                new Case("one lender lends what its sibling borrows",
                        List.of(new Child("a", 8, 0), new Child("b", 0, 4)), Map.of("a", 4L, "b", 0L)),
                new Case("two lenders share the borrowing in proportion to their unused min",
                        List.of(new Child("a", 6, 0), new Child("b", 2, 0), new Child("c", 0, 4)),
                        Map.of("a", 3L, "b", 1L, "c", 0L)),
                new Case("a lender lends no more than its unused min, however much is borrowed",
                        List.of(new Child("a", 2, 0), new Child("b", 0, 10)), Map.of("a", 2L, "b", 0L)),
                new Case("a queue using part of its min lends only the rest",
                        List.of(new Child("a", 8, 6), new Child("b", 0, 4)), Map.of("a", 2L, "b", 0L)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void whatEachQueueLends(Case c) {
        Ledger l = new Ledger(c.children);

        for (Child ch : c.children) {
            assertThat(l.lentGpus(ch.name)).as(ch.name).isEqualTo(c.lentGpus.get(ch.name));
        }
    }

    @Property(tries = 300)
    void lentIsWithinWhatIsLendableAndWhatIsBorrowed(@ForAll("children") List<Child> children) {
        Ledger l = new Ledger(children);
        long lent = 0;
        long lendable = 0;
        long borrowed = 0;
        for (Child c : children) {
            int q = l.index(c.name);
            long own = l.ledger.lendable(q).get(ResourceList.GPU);
            long mine = QueueView.lent(l.tree, l.ledger, q).get(ResourceList.GPU);
            assertThat(mine).isBetween(0L, own);
            lent += mine;
            lendable += own;
            borrowed += l.ledger.borrowed(q).get(ResourceList.GPU);
        }
        long shared = Math.min(borrowed, lendable);
        // Shares are rounded down, by less than one milli-GPU each.
        assertThat(lent).isBetween(shared - children.size(), shared);
    }

    @Provide
    Arbitrary<List<Child>> children() {
        Arbitrary<Child> child = Arbitraries.longs().between(0, 8).flatMap(min -> Arbitraries.longs().between(0, 8)
                .map(used -> new Child("", min, used)));
        return child.list().ofMinSize(2).ofMaxSize(4).map(list -> {
            List<Child> named = new ArrayList<>();
            long mins = 0;
            long used = 0;
            for (Child c : list) {
                // Children's mins within the cluster, and no more in use than it holds.
                long min = Math.min(c.minGpus(), CLUSTER_GPUS - mins);
                long use = Math.min(c.usedGpus(), CLUSTER_GPUS - used);
                mins += min;
                used += use;
                named.add(new Child("q" + named.size(), min, use));
            }
            return named;
        });
    }

    /** A root "org" over the children, on a cluster of 16 GPUs, with their usage added. */
    static final class Ledger {
        final QueueTree tree;
        final QuotaLedger ledger;

        Ledger(List<Child> children) {
            List<io.kubeai.core.queue.QueueSpec> specs = new ArrayList<>();
            specs.add(queue("org").build());
            for (Child c : children) {
                QueueBuilder b = queue(c.name).parent("org");
                if (c.minGpus > 0) {
                    b.minGpus(c.minGpus);
                }
                specs.add(b.build());
            }
            tree = QueueTree.of(specs);
            ledger = new QuotaLedger(tree, ResourceList.of(ResourceList.GPU, CLUSTER_GPUS * 1000));
            for (Child c : children) {
                if (c.usedGpus > 0) {
                    ledger.add(index(c.name), ResourceList.of(ResourceList.GPU, c.usedGpus * 1000));
                }
            }
        }

        int index(String name) {
            return tree.indexOf(name).orElseThrow();
        }

        long lentGpus(String name) {
            return QueueView.lent(tree, ledger, index(name)).get(ResourceList.GPU) / 1000;
        }
    }
}
