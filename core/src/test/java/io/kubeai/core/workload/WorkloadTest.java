package io.kubeai.core.workload;

import static io.kubeai.core.resource.ResourceList.CPU;
import static io.kubeai.core.resource.ResourceList.GPU;
import static io.kubeai.core.resource.ResourceList.MEMORY;
import static io.kubeai.core.testing.Builders.pod;
import static io.kubeai.core.testing.Builders.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.kubeai.core.resource.ResourceList;
import io.kubeai.core.testing.WorkloadBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class WorkloadTest {
    private static final long GIB = 1L << 30;

    record Invalid(String name, WorkloadBuilder given, String wantMessage) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Invalid> invalid() {
        return Stream.of(
                new Invalid("no pods", workload("w"), "workload w has no pods"),
                new Invalid("a minMember of zero", workload("w").pods(3, pod().gpus(1)).minMember(0),
                        "workload w: minMember must be 1..3, was 0"),
                new Invalid("a minMember above the pods there are", workload("w").pods(3, pod().gpus(1)).minMember(4),
                        "workload w: minMember must be 1..3, was 4"),
                new Invalid("a negative timeout", workload("w").pod(pod().gpus(1)).timeout(-1),
                        "workload w: timeoutSeconds must not be negative"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void refusesAWorkloadThatCannotBeScheduledSayingWhy(Invalid c) {
        assertThat(catchThrowable(c.given::build)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(c.wantMessage);
    }

    @Test
    void refusesAnEmptyPodSet() {
        assertThat(catchThrowable(() -> new PodSet("worker", 0, pod().build())))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("pod set worker needs at least one pod, has 0");
    }

    /** What a workload adds up to. */
    record Totals(int pods, int minMember, boolean gang, ResourceList request) {
    }

    record Case(String name, WorkloadBuilder given, Totals want) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> totals() {
        return Stream.of(
                new Case("a single pod is not a gang", workload("w").pod(pod().cpu(500).gpus(1, 250)),
                        new Totals(1, 1, false, ResourceList.of(CPU, 500, GPU, 250))),
                new Case("a gang needs every pod unless told otherwise", workload("w").pods(4, pod().cpu(1000).gpus(2)),
                        new Totals(4, 4, true, ResourceList.of(CPU, 4000, GPU, 8000))),
                new Case("pod sets add up", workload("w").pod(pod().cpu(2000).memoryGi(4))
                        .pods(2, pod().cpu(1000).memoryGi(8).gpus(4)).minMember(2),
                        new Totals(3, 2, true, ResourceList.of(CPU, 4000, MEMORY, 20 * GIB, GPU, 8000))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("totals")
    void addsUpItsPods(Case c) {
        Workload w = c.given.build();

        assertThat(new Totals(w.podCount(), w.minMember(), w.isGang(), w.totalRequest())).isEqualTo(c.want);
    }

    @Test
    void gangNeedsEveryOneOfItsIdenticalPods() {
        Workload w = Workload.gang("train", "cv", 3, 10, 2, pod().gpus(4).build());

        assertThat(w).usingRecursiveComparison().isEqualTo(workload("train").queue("cv").priority(3).createdAt(10)
                .pods(2, pod().gpus(4)).build());
    }

    @Test
    void withPriorityChangesOnlyThePriority() {
        Workload w = workload("w").queue("cv").priority(1).createdAt(5).timeout(60).pods(3, pod().gpus(1)).minMember(2)
                .build();

        assertThat(w.withPriority(7)).usingRecursiveComparison()
                .isEqualTo(workload("w").queue("cv").priority(7).createdAt(5).timeout(60).pods(3, pod().gpus(1))
                        .minMember(2).build());
        assertThat(w.priority()).isEqualTo(1);
    }

    @Test
    void workloadsAreTheSameWhenTheirIdsAre() {
        Workload a = workload("w").queue("cv").pod(pod().gpus(1)).build();
        Workload b = workload("w").queue("nlp").pods(2, pod().gpus(2)).build();

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(workload("v").queue("cv").pod(pod().gpus(1)).build());
    }

    @Test
    void printsWhatAPersonNeedsToKnow() {
        assertThat(workload("train").queue("cv").priority(5).pods(2, pod().cpu(4000).gpus(4)).build())
                .hasToString("train{queue cv, priority 5, 2 pods, {cpu: 8, nvidia.com/gpu: 8}}");
    }

    @Test
    void anAdmissionKeepsItsOwnListOfPods() {
        List<PlannedPod> pods = new ArrayList<>(List.of(new PlannedPod("w/worker-0", pod().gpus(1).build(), 0, "n1", 1)));
        Admission a = new Admission(workload("w").pod(pod().gpus(1)).build(), 0, pods, ResourceList.of(GPU, 1000), 3);

        pods.clear();

        assertThat(a.pods()).hasSize(1);
        assertThat(catchThrowable(() -> a.pods().clear())).isInstanceOf(UnsupportedOperationException.class);
    }
}
