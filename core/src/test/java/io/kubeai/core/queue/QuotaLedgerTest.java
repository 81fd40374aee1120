package io.kubeai.core.queue;

import static io.kubeai.core.resource.ResourceList.CPU;
import static io.kubeai.core.resource.ResourceList.GPU;
import static io.kubeai.core.resource.ResourceList.MEMORY;
import static io.kubeai.core.testing.Builders.queue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.within;

import io.kubeai.core.queue.QuotaFit.Kind;
import io.kubeai.core.resource.ResourceList;
import io.kubeai.core.testing.QueueBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The ledger on small hand-built trees. Capacities and requests are in GPUs unless a case says
 * otherwise; quantities are milli-GPU, so 16 GPUs are 16000.
 */
class QuotaLedgerTest {
    private static final ResourceList CLUSTER_16_GPUS = gpus(16);

    /** Two top-level queues guaranteed 8 GPUs each. */
    private static final List<QueueBuilder> FLAT = List.of(queue("a").minGpus(8), queue("b").minGpus(8));

    /** org (cv and nlp, 4 GPUs each) beside other (8 GPUs). */
    private static List<QueueBuilder> org(QueueBuilder org, QueueBuilder cv, QueueBuilder nlp) {
        return List.of(org, cv.parent("org").minGpus(4), nlp.parent("org").minGpus(4), queue("other").minGpus(8));
    }

    static ResourceList gpus(long n) {
        return ResourceList.of(GPU, n * 1000);
    }

    /** A request already charged to a queue. */
    record Charge(String queue, ResourceList request) {
    }

    static Charge charge(String queue, long gpus) {
        return new Charge(queue, gpus(gpus));
    }

    record Check(String name, List<QueueBuilder> queues, ResourceList capacity, List<Charge> given, String queue,
            ResourceList request, QuotaFit want) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static QuotaFit fit(Kind kind, String queue, String resource, long inUse, long limit, long requested,
            boolean reclaimable) {
        return new QuotaFit(kind, queue, resource, inUse, limit, requested, reclaimable);
    }

    static Stream<Check> checks() {
        ResourceList gpusAndCpus = ResourceList.of(GPU, 16_000, CPU, 8000);
        return Stream.of(
                new Check("a request within the queue's min fits", FLAT, CLUSTER_16_GPUS,
                        List.of(), "a", gpus(8), QuotaFit.FITS),
                new Check("a queue borrows what an idle sibling does not use", FLAT, CLUSTER_16_GPUS,
                        List.of(charge("a", 8)), "a", gpus(8), QuotaFit.FITS),
                new Check("borrowing ends at the cluster's capacity", FLAT, CLUSTER_16_GPUS,
                        List.of(charge("a", 8), charge("a", 8)), "a", gpus(1),
                        fit(Kind.CAPACITY, "a", GPU, 16_000, 16_000, 1000, false)),
                new Check("an owner short of capacity that others borrow may reclaim it", FLAT, CLUSTER_16_GPUS,
                        List.of(charge("a", 16)), "b", gpus(4),
                        fit(Kind.CAPACITY, "b", GPU, 16_000, 16_000, 4000, true)),
                new Check("an owner asking beyond its min may not reclaim", FLAT, CLUSTER_16_GPUS,
                        List.of(charge("a", 16)), "b", gpus(12),
                        fit(Kind.CAPACITY, "b", GPU, 16_000, 16_000, 12_000, false)),
                new Check("what an owner already holds counts toward its min", FLAT, CLUSTER_16_GPUS,
                        List.of(charge("a", 12), charge("b", 4)), "b", gpus(6),
                        fit(Kind.CAPACITY, "b", GPU, 16_000, 16_000, 6000, false)),
                new Check("a lending limit keeps the rest of an idle queue's min reserved",
                        List.of(queue("a").minGpus(8), queue("b").minGpus(8).lendingLimitGpus(2)), CLUSTER_16_GPUS,
                        List.of(charge("a", 8)), "a", gpus(4),
                        fit(Kind.CAPACITY, "a", GPU, 14_000, 16_000, 4000, false)),
                new Check("a queue borrows up to what the other lends",
                        List.of(queue("a").minGpus(8), queue("b").minGpus(8).lendingLimitGpus(2)), CLUSTER_16_GPUS,
                        List.of(charge("a", 8)), "a", gpus(2), QuotaFit.FITS),
                new Check("what a lending queue uses within its reserve frees nothing more to lend",
                        List.of(queue("a").minGpus(8), queue("b").minGpus(8).lendingLimitGpus(2)), CLUSTER_16_GPUS,
                        List.of(charge("a", 8), charge("b", 4)), "a", gpus(3),
                        fit(Kind.CAPACITY, "a", GPU, 14_000, 16_000, 3000, false)),
                new Check("an owner may reclaim the part of its min it lent",
                        List.of(queue("a").minGpus(8), queue("b").minGpus(8).lendingLimitGpus(2)), CLUSTER_16_GPUS,
                        List.of(charge("a", 10)), "b", gpus(8),
                        fit(Kind.CAPACITY, "b", GPU, 10_000, 16_000, 8000, true)),
                new Check("a borrowing limit caps what a queue takes beyond its min",
                        List.of(queue("a").minGpus(8).borrowingLimitGpus(2), queue("b").minGpus(8)), CLUSTER_16_GPUS,
                        List.of(charge("a", 8)), "a", gpus(4),
                        fit(Kind.BORROWING_LIMIT, "a", GPU, 8000, 10_000, 4000, false)),
                new Check("a queue borrows up to its borrowing limit",
                        List.of(queue("a").minGpus(8).borrowingLimitGpus(2), queue("b").minGpus(8)), CLUSTER_16_GPUS,
                        List.of(charge("a", 8)), "a", gpus(2), QuotaFit.FITS),
                new Check("a borrowing limit of zero keeps a queue within its min",
                        List.of(queue("a").minGpus(8).borrowingLimitGpus(0), queue("b").minGpus(8)), CLUSTER_16_GPUS,
                        List.of(charge("a", 8)), "a", gpus(1),
                        fit(Kind.BORROWING_LIMIT, "a", GPU, 8000, 8000, 1000, false)),
                new Check("a queue's max caps it while capacity is idle",
                        List.of(queue("a").minGpus(4).maxGpus(6), queue("b").minGpus(8)), CLUSTER_16_GPUS,
                        List.of(charge("a", 4)), "a", gpus(4),
                        fit(Kind.MAX, "a", GPU, 4000, 6000, 4000, false)),
                new Check("a max of zero admits none of the resource",
                        List.of(queue("a").maxGpus(0), queue("b").minGpus(8)), CLUSTER_16_GPUS,
                        List.of(), "a", gpus(1),
                        fit(Kind.MAX, "a", GPU, 0, 0, 1000, false)),
                new Check("the max is checked before the borrowing limit",
                        List.of(queue("a").minGpus(8).maxGpus(10).borrowingLimitGpus(0), queue("b").minGpus(8)),
                        CLUSTER_16_GPUS, List.of(charge("a", 8)), "a", gpus(4),
                        fit(Kind.MAX, "a", GPU, 8000, 10_000, 4000, false)),
                new Check("a parent's max caps its children together",
                        org(queue("org").maxGpus(12), queue("cv"), queue("nlp")), CLUSTER_16_GPUS,
                        List.of(charge("cv", 8)), "nlp", gpus(6),
                        fit(Kind.MAX, "org", GPU, 8000, 12_000, 6000, false)),
                new Check("children borrow from each other within their parent's min",
                        org(queue("org").borrowingLimitGpus(0), queue("cv"), queue("nlp")), CLUSTER_16_GPUS,
                        List.of(charge("cv", 4)), "cv", gpus(4), QuotaFit.FITS),
                new Check("a parent's borrowing limit caps its children together",
                        org(queue("org").borrowingLimitGpus(0), queue("cv"), queue("nlp")), CLUSTER_16_GPUS,
                        List.of(charge("cv", 8)), "cv", gpus(2),
                        fit(Kind.BORROWING_LIMIT, "org", GPU, 8000, 8000, 2000, false)),
                new Check("a child borrows from outside its parent when the parent may",
                        org(queue("org").borrowingLimitGpus(2), queue("cv"), queue("nlp")), CLUSTER_16_GPUS,
                        List.of(charge("cv", 8)), "cv", gpus(2), QuotaFit.FITS),
                new Check("an owner may reclaim its min from a sibling that borrows it",
                        org(queue("org"), queue("cv"), queue("nlp")), CLUSTER_16_GPUS,
                        List.of(charge("cv", 8), charge("other", 8)), "nlp", gpus(4),
                        fit(Kind.CAPACITY, "nlp", GPU, 16_000, 16_000, 4000, true)),
                new Check("a resource no queue guarantees is never reclaimable", FLAT, gpusAndCpus,
                        List.of(new Charge("a", ResourceList.of(CPU, 8000))), "b", ResourceList.of(CPU, 1000),
                        fit(Kind.CAPACITY, "b", CPU, 8000, 8000, 1000, false)),
                new Check("the short resource must be guaranteed to be reclaimable", FLAT, gpusAndCpus,
                        List.of(new Charge("a", ResourceList.of(GPU, 16_000, CPU, 8000))), "b",
                        ResourceList.of(GPU, 4000, CPU, 1000),
                        fit(Kind.CAPACITY, "b", CPU, 8000, 8000, 1000, false)),
                new Check("resources without a min do not stop a reclaim of those with one", FLAT, gpusAndCpus,
                        List.of(new Charge("a", ResourceList.of(GPU, 16_000))), "b",
                        ResourceList.of(GPU, 4000, CPU, 1000),
                        fit(Kind.CAPACITY, "b", GPU, 16_000, 16_000, 4000, true)),
                new Check("a resource nothing accounts is ignored", FLAT, CLUSTER_16_GPUS,
                        List.of(charge("a", 16)), "b", ResourceList.of("example.com/fpga", 1), QuotaFit.FITS),
                new Check("a request for nothing fits a full cluster", FLAT, CLUSTER_16_GPUS,
                        List.of(charge("a", 16)), "b", ResourceList.EMPTY, QuotaFit.FITS));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("checks")
    void checkSaysWhichLimitARequestHits(Check c) {
        QuotaLedger ledger = ledger(c.queues, c.capacity, c.given);
        Map<String, Books> before = books(ledger);

        assertThat(ledger.check(leaf(ledger, c.queue), c.request)).isEqualTo(c.want);
        assertThat(books(ledger)).as("check changes nothing").isEqualTo(before);
    }

    /** What the ledger says about one queue. */
    record Books(ResourceList usage, ResourceList borrowed, ResourceList lendable) {
    }

    private static Books books(long usage, long borrowed, long lendable) {
        return new Books(gpus(usage), gpus(borrowed), gpus(lendable));
    }

    record State(String name, List<QueueBuilder> queues, List<Charge> given, Map<String, Books> want) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<State> states() {
        return Stream.of(
                new State("an idle queue lends its whole min", FLAT, List.of(),
                        Map.of("a", books(0, 0, 8), "b", books(0, 0, 8))),
                new State("a queue beyond its min borrows the difference", FLAT, List.of(charge("a", 10)),
                        Map.of("a", books(10, 2, 0), "b", books(0, 0, 8))),
                new State("a lending limit lends only that much of an idle min",
                        List.of(queue("a").minGpus(8), queue("b").minGpus(8).lendingLimitGpus(2)),
                        List.of(charge("a", 10)),
                        Map.of("a", books(10, 2, 0), "b", books(0, 0, 2))),
                new State("a parent borrows only what its children together take beyond its min",
                        org(queue("org"), queue("cv"), queue("nlp").lendingLimitGpus(1)),
                        List.of(charge("cv", 6)),
                        Map.of("org", books(6, 1, 0), "cv", books(6, 2, 0), "nlp", books(0, 0, 1),
                                "other", books(0, 0, 8))),
                new State("a queue without a min borrows all it holds",
                        List.of(queue("a"), queue("b").minGpus(8)), List.of(charge("a", 3)),
                        Map.of("a", books(3, 3, 0), "b", books(0, 0, 8))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("states")
    void tellsWhatEachQueueHoldsBorrowsAndLends(State c) {
        assertThat(books(ledger(c.queues, CLUSTER_16_GPUS, c.given))).isEqualTo(c.want);
    }

    @Test
    void removingWhatWasAddedRestoresTheLedgerExactly() {
        List<QueueBuilder> queues = org(queue("org").maxGpus(14), queue("cv").lendingLimitGpus(2),
                queue("nlp").borrowingLimitGpus(4));
        QuotaLedger fresh = ledger(queues, CLUSTER_16_GPUS, List.of());
        QuotaLedger ledger = ledger(queues, CLUSTER_16_GPUS, List.of());
        List<Charge> charges = List.of(charge("nlp", 6), charge("cv", 3), charge("other", 5), charge("nlp", 2),
                new Charge("cv", ResourceList.of(GPU, 250, CPU, 1000)));

        for (Charge c : charges) {
            ledger.add(leaf(ledger, c.queue), c.request);
        }
        for (Charge c : List.of(charges.get(1), charges.get(4), charges.get(0), charges.get(3), charges.get(2))) {
            ledger.remove(leaf(ledger, c.queue), c.request);
        }

        assertThat(books(ledger)).isEqualTo(books(fresh));
        for (String q : List.of("cv", "nlp", "other")) {
            for (long n = 1; n <= 16; n++) {
                assertThat(ledger.check(leaf(ledger, q), gpus(n))).as(q + " asks " + n)
                        .isEqualTo(fresh.check(leaf(fresh, q), gpus(n)));
            }
        }
    }

    @Test
    void removingMoreThanWasAddedIsRefused() {
        QuotaLedger ledger = ledger(FLAT, CLUSTER_16_GPUS, List.of(charge("a", 2)));

        Throwable thrown = catchThrowable(() -> ledger.remove(leaf(ledger, "a"), gpus(3)));

        assertThat(thrown).isInstanceOf(IllegalStateException.class)
                .hasMessage("queue a would hold negative nvidia.com/gpu");
    }

    record Share(String queue, double want) {
        @Override
        public String toString() {
            return queue + " has a weighted dominant share of " + want;
        }
    }

    static Stream<Share> shares() {
        return Stream.of(
                new Share("cv", 0.5),      // max(4/16 GPU, 32/64 CPU) / weight 1
                new Share("nlp", 0.25),    // 8/16 GPU / weight 2
                new Share("org", 0.75),    // max(12/16 GPU, 32/64 CPU) / weight 1
                new Share("other", 0.0));  // idle
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shares")
    void dominantShareIsTheLargestFractionOfAnyResourceOverTheWeight(Share c) {
        QuotaLedger ledger = ledger(org(queue("org"), queue("cv"), queue("nlp").weight(2)),
                ResourceList.of(GPU, 16_000, CPU, 64_000),
                List.of(new Charge("cv", ResourceList.of(GPU, 4000, CPU, 32_000, MEMORY, 1L << 30)),
                        charge("nlp", 8)));

        assertThat(ledger.dominantShare(leaf(ledger, c.queue))).isCloseTo(c.want, within(1e-9));
    }

    @Test
    void aCopyAndItsOriginalChangeIndependently() {
        QuotaLedger original = ledger(FLAT, CLUSTER_16_GPUS, List.of(charge("a", 4)));
        QuotaLedger copy = original.copy();

        copy.add(leaf(copy, "b"), gpus(12));
        original.add(leaf(original, "a"), gpus(2));

        assertThat(List.of(books(original), books(copy))).isEqualTo(List.of(
                Map.of("a", books(6, 0, 2), "b", books(0, 0, 8)),
                Map.of("a", books(4, 0, 4), "b", books(12, 4, 0))));
        assertThat(copy.check(leaf(copy, "a"), gpus(1))).isEqualTo(fit(Kind.CAPACITY, "a", GPU, 16_000, 16_000, 1000,
                true));
        assertThat(original.check(leaf(original, "a"), gpus(1))).isEqualTo(QuotaFit.FITS);
    }

    @Test
    void accountsTheResourcesOfTheClusterAndOfEveryQueue() {
        QuotaLedger ledger = ledger(List.of(queue("a").min("example.com/fpga", 2), queue("b").max("example.com/nic", 1)),
                ResourceList.of(GPU, 8000, "example.com/ib", 4), List.of());

        assertThat(ledger.resources()).containsExactly(CPU, "example.com/fpga", "example.com/ib", "example.com/nic",
                MEMORY, GPU);
        assertThat(ledger.capacity()).isEqualTo(ResourceList.of(GPU, 8000, "example.com/ib", 4));
        assertThat(ledger.vector(ResourceList.of(GPU, 1000, CPU, 5, "unknown", 7)))
                .containsExactly(5, 0, 0, 0, 0, 1000);
    }

    record Victim(String name, List<Charge> given, String queue, ResourceList held, boolean wantBorrows,
            boolean wantStays) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Victim> victims() {
        return Stream.of(
                new Victim("a queue beyond its min may give back what it borrows",
                        List.of(charge("a", 12)), "a", gpus(4), true, true),
                new Victim("but not more",
                        List.of(charge("a", 12)), "a", gpus(5), true, false),
                new Victim("a queue at its min borrows nothing",
                        List.of(charge("a", 8)), "a", gpus(1), false, false),
                new Victim("resources the victim does not hold do not count",
                        List.of(new Charge("a", ResourceList.of(GPU, 12_000, CPU, 1000))), "a",
                        ResourceList.of(GPU, 2000), true, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("victims")
    void tellsWhetherAQueueBorrowsAndStaysAtItsMinWithoutAWorkload(Victim c) {
        QuotaLedger ledger = ledger(List.of(queue("a").minGpus(8).min(CPU, 1000), queue("b").minGpus(8)),
                ResourceList.of(GPU, 16_000, CPU, 2000), c.given);
        long[] held = ledger.vector(c.held);

        assertThat(List.of(ledger.borrowsAny(leaf(ledger, c.queue), held),
                ledger.staysAtOrAboveMin(leaf(ledger, c.queue), held)))
                .isEqualTo(List.of(c.wantBorrows, c.wantStays));
    }

    static QuotaLedger ledger(List<QueueBuilder> queues, ResourceList capacity, List<Charge> charges) {
        QuotaLedger ledger = new QuotaLedger(QueueTree.of(queues.stream().map(QueueBuilder::build).toList()), capacity);
        for (Charge c : charges) {
            ledger.add(leaf(ledger, c.queue), c.request);
        }
        return ledger;
    }

    static int leaf(QuotaLedger ledger, String queue) {
        return ledger.tree().indexOf(queue).orElseThrow();
    }

    /** Every queue's books, by name. */
    static Map<String, Books> books(QuotaLedger ledger) {
        Map<String, Books> out = new LinkedHashMap<>();
        List<String> names = new ArrayList<>(ledger.tree().names());
        names.sort(null);
        for (String n : names) {
            int q = leaf(ledger, n);
            out.put(n, new Books(ledger.usage(q), ledger.borrowed(q), ledger.lendable(q)));
        }
        return out;
    }
}
