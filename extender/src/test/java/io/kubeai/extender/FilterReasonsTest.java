package io.kubeai.extender;

import static io.kubeai.core.testing.Builders.cluster;
import static io.kubeai.core.testing.Builders.node;
import static io.kubeai.core.testing.Builders.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubeai.core.cluster.ClusterState;
import io.kubeai.core.cluster.FitFailure;
import io.kubeai.core.cluster.NodeState;
import io.kubeai.core.resource.PodRequest;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FilterReasonsTest {
    /** A node of 8 CPUs, 32 GiB, 2 A100s with this much free (milli) and 4 of example.com/fpga. */
    static NodeState small(String name, int... gpuFree) {
        ClusterState s = cluster(node(name).cpu(8000).memoryGi(32).gpus(2, "A100").extended("example.com/fpga", 4).build())
                .gpuFree(name, gpuFree).build();
        return s.node(name).orElseThrow();
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("wrong GPU model", pod().gpus(1).models("H100").build(), FitFailure.GPU_MODEL,
                        "node(s) didn't match GPU model"),
                Arguments.of("too much cpu", pod().cpu(9000).build(), FitFailure.CPU, "Insufficient cpu"),
                Arguments.of("too much memory", pod().memoryGi(64).build(), FitFailure.MEMORY, "Insufficient memory"),
                Arguments.of("a whole GPU", pod().gpus(1).build(), FitFailure.GPU, "Insufficient nvidia.com/gpu"),
                Arguments.of("a share of a GPU none has", pod().gpuShare(500).build(), FitFailure.GPU,
                        "Insufficient GPU share (kubeai.io/gpu-milli)"),
                Arguments.of("too many FPGAs", pod().extended("example.com/fpga", 5).build(), FitFailure.EXTENDED,
                        "Insufficient example.com/fpga"),
                Arguments.of("a resource the node lacks", pod().extended("example.com/fpga", 1)
                        .extended("example.com/nic", 1).build(), FitFailure.EXTENDED, "Insufficient example.com/nic"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void eachFailureHasItsShortReason(String name, PodRequest request, FitFailure failure, String reason) {
        // Its GPUs are 300 and 200 milli short of whole: whole GPUs and large shares do not fit.
        NodeState n = small("gpu-node-07", 300, 200);
        assertThat(n.failure(request)).isEqualTo(failure);
        assertThat(FilterReasons.of(failure, n, request)).isEqualTo(reason);
    }

    /** kube-scheduler counts equal reasons: two nodes failing alike give one string, naming neither. */
    @Property(tries = 200)
    void nodesFailingAlikeShareOneReasonThatNamesNoNode(@ForAll @IntRange(min = 0, max = 12_000) int cpuMillis,
            @ForAll @IntRange(min = 0, max = 64) int memoryGi, @ForAll @IntRange(min = 0, max = 3) int gpus,
            @ForAll @IntRange(min = 0, max = 6) int fpgas) {
        var builder = pod().cpu(cpuMillis).memoryGi(memoryGi).extended("example.com/fpga", fpgas);
        PodRequest request = (gpus == 0 ? builder : builder.gpus(gpus)).build();
        NodeState a = small("node-a-1", 1000, 1000);
        NodeState b = small("node-b-2", 1000, 1000);
        FitFailure f = a.failure(request);
        assertThat(b.failure(request)).isEqualTo(f);
        if (f != null) {
            String ra = FilterReasons.of(f, a, request);
            assertThat(ra).isEqualTo(FilterReasons.of(f, b, request)).doesNotContain("node-a-1").doesNotContain("node-b-2")
                    .isNotEmpty();
        }
    }
}
