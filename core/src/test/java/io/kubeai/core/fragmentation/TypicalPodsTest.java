package io.kubeai.core.fragmentation;

import static io.kubeai.core.testing.Builders.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.offset;

import io.kubeai.core.resource.GpuModels;
import io.kubeai.core.resource.PodRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TypicalPodsTest {

    private static final PodRequest A = pod().cpu(4000).gpus(1).build();
    private static final PodRequest B = pod().cpu(8000).gpus(1, 500).build();
    private static final PodRequest C = pod().cpu(2000).build();
    private static final PodRequest D = pod().cpu(16000).gpus(8).build();

    record Case(String name, List<PodRequest> workload, int coveragePercent, List<TypicalPod> want) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static List<PodRequest> workload(Object... podsAndCounts) {
        List<PodRequest> out = new ArrayList<>();
        for (int i = 0; i < podsAndCounts.length; i += 2) {
            out.addAll(Collections.nCopies((Integer) podsAndCounts[i + 1], (PodRequest) podsAndCounts[i]));
        }
        return out;
    }

    private static TypicalPod typical(PodRequest p, double frequency) {
        return TypicalPod.of(p, frequency);
    }

    static Stream<Case> cases() {
        return Stream.of(
                // 60 + 30 = 90 < 95, 60 + 30 + 6 = 96 >= 95: D's 4 % are cut
                new Case("the most frequent shapes covering 95 % are kept",
                        workload(A, 60, B, 30, C, 6, D, 4), 95,
                        List.of(typical(A, 60.0 / 96), typical(B, 30.0 / 96), typical(C, 6.0 / 96))),
                new Case("reaching the coverage exactly stops the cut",
                        workload(A, 95, B, 5), 95,
                        List.of(typical(A, 1.0))),
                new Case("full coverage keeps every shape",
                        workload(A, 60, B, 30, C, 6, D, 4), 100,
                        List.of(typical(A, 0.6), typical(B, 0.3), typical(C, 0.06), typical(D, 0.04))),
                new Case("ties are ranked by CPU, largest first, whatever the input order",
                        workload(C, 50, D, 50, A, 50), 100,
                        List.of(typical(D, 1.0 / 3), typical(A, 1.0 / 3), typical(C, 1.0 / 3))),
                new Case("a tie at the cut keeps the larger shape",
                        workload(C, 50, A, 50), 50,
                        List.of(typical(A, 1.0))),
                new Case("ties on CPU are ranked by GPU milli, then GPU count, then models",
                        workload(
                                pod().cpu(1000).gpus(1, 300).build(), 1,
                                pod().cpu(1000).gpus(1).build(), 1,
                                pod().cpu(1000).gpus(2).build(), 1,
                                pod().cpu(1000).gpus(2).models("A100").build(), 1), 100,
                        List.of(
                                typical(pod().cpu(1000).gpus(2).build(), 0.25),
                                typical(pod().cpu(1000).gpus(2).models("A100").build(), 0.25),
                                typical(pod().cpu(1000).gpus(1).build(), 0.25),
                                typical(pod().cpu(1000).gpus(1, 300).build(), 0.25))),
                new Case("pods differing only in memory are one shape",
                        List.of(pod().cpu(1000).memoryGi(1).build(), pod().cpu(1000).memoryGi(64).build()), 95,
                        List.of(new TypicalPod(1000, 0, 0, GpuModels.ANY, 1.0))),
                new Case("an empty workload has no typical pods",
                        List.of(), 95, List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void keepsTheMostFrequentShapesAndRenormalises(Case c) {
        TypicalPods typical = TypicalPods.fromWorkload(c.workload, c.coveragePercent);

        assertThat(typical.pods()).isEqualTo(c.want);
    }

    @Test
    void theDefaultCoverageIs95Percent() {
        List<PodRequest> w = workload(A, 60, B, 30, C, 6, D, 4);

        assertThat(TypicalPods.fromWorkload(w).pods()).isEqualTo(TypicalPods.fromWorkload(w, 95).pods());
        assertThat(TypicalPods.fromWorkload(w).size()).isEqualTo(3);
    }

    @Test
    void frequenciesSumToOne() {
        TypicalPods typical = TypicalPods.fromWorkload(workload(A, 7, B, 11, C, 13, D, 3), 100);

        assertThat(typical.pods().stream().mapToDouble(TypicalPod::frequency).sum()).isCloseTo(1.0, offset(1e-12));
    }

    @Test
    void theResultDoesNotDependOnTheWorkloadOrder() {
        List<PodRequest> w = workload(A, 5, B, 5, C, 5, D, 5,
                pod().cpu(4000).gpus(1, 500).build(), 5, pod().cpu(4000).gpus(1, 500).models("T4").build(), 5);
        List<PodRequest> reversed = new ArrayList<>(w);
        Collections.reverse(reversed);
        List<PodRequest> shuffled = new ArrayList<>(w);
        Collections.shuffle(shuffled, new Random(7));

        assertThat(TypicalPods.fromWorkload(reversed, 50).pods()).isEqualTo(TypicalPods.fromWorkload(w, 50).pods());
        assertThat(TypicalPods.fromWorkload(shuffled, 50).pods()).isEqualTo(TypicalPods.fromWorkload(w, 50).pods());
    }

    record Invalid(String name, Runnable given, String wantMessage) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Invalid> invalid() {
        return Stream.of(
                new Invalid("coverage 0", () -> TypicalPods.fromWorkload(List.of(A), 0),
                        "coveragePercent must be 1..100: 0"),
                new Invalid("coverage over 100", () -> TypicalPods.fromWorkload(List.of(A), 101),
                        "coveragePercent must be 1..100: 101"),
                new Invalid("a frequency over 1", () -> TypicalPods.of(List.of(TypicalPod.of(A, 1.5))),
                        "frequency must be within 0..1: " + TypicalPod.of(A, 1.5)),
                new Invalid("frequencies that do not sum to 1",
                        () -> TypicalPods.of(List.of(TypicalPod.of(A, 0.5), TypicalPod.of(B, 0.4))),
                        "frequencies must sum to 1, sum to 0.9"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void rejectsInvalidInputSayingWhy(Invalid c) {
        assertThat(catchThrowable(c.given::run)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(c.wantMessage);
    }
}
