package io.kubeai.core.queue;

import static io.kubeai.core.resource.ResourceList.CPU;
import static io.kubeai.core.resource.ResourceList.GPU;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubeai.core.queue.QuotaFit.Kind;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class QuotaFitTest {

    record Case(String name, QuotaFit given, boolean wantFits, String wantReason) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("a fit", QuotaFit.FITS, true, "fits quota"),
                new Case("a queue at its max",
                        new QuotaFit(Kind.MAX, "team-cv", GPU, 64_000, 64_000, 8000, false), false,
                        "queue team-cv is at max for nvidia.com/gpu: 64/64 in use, the workload needs 8"),
                new Case("a queue that would go above its max",
                        new QuotaFit(Kind.MAX, "team-cv", GPU, 60_000, 64_000, 8000, false), false,
                        "queue team-cv would go above its max for nvidia.com/gpu: 60/64 in use, the workload needs 8"),
                new Case("a queue at its borrowing limit",
                        new QuotaFit(Kind.BORROWING_LIMIT, "a", GPU, 8000, 10_000, 4000, false), false,
                        "queue a would hold 12 nvidia.com/gpu, more than its min and borrowing limit allow"
                                + " (10 in all)"),
                new Case("a cluster whose capacity is all held",
                        new QuotaFit(Kind.CAPACITY, "a", GPU, 16_000, 16_000, 4000, false), false,
                        "the cluster's nvidia.com/gpu is all held: 16/16, the workload needs 4;"
                                + " it waits for capacity to free up"),
                new Case("a cluster with too little left",
                        new QuotaFit(Kind.CAPACITY, "a", GPU, 8000, 16_000, 12_000, false), false,
                        "the cluster's nvidia.com/gpu is held: 8/16, the workload needs 12;"
                                + " it waits for capacity to free up"),
                new Case("a request larger than the whole cluster",
                        new QuotaFit(Kind.CAPACITY, "a", GPU, 8000, 16_000, 20_000, false), false,
                        "the whole cluster has 16 nvidia.com/gpu, the workload needs 20"),
                new Case("a cluster whose capacity is borrowed from an owner",
                        new QuotaFit(Kind.CAPACITY, "b", GPU, 16_000, 16_000, 500, true), false,
                        "the cluster's nvidia.com/gpu is all held: 16/16, the workload needs 0.5;"
                                + " queue b is within its min, so it may reclaim capacity others borrow"),
                new Case("cpu in cores and milli-cores",
                        new QuotaFit(Kind.CAPACITY, "a", CPU, 8000, 8000, 500, false), false,
                        "the cluster's cpu is all held: 8/8, the workload needs 500m;"
                                + " it waits for capacity to free up"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void saysInASentenceWhichLimitIsHit(Case c) {
        assertThat(c.given.fits()).isEqualTo(c.wantFits);
        assertThat(c.given.reason()).isEqualTo(c.wantReason);
    }
}
