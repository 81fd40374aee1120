package io.kubeai.core.resource;

import static io.kubeai.core.testing.Builders.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.kubeai.core.testing.PodBuilder;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PodRequestTest {

    record Invalid(String name, PodBuilder given, String wantMessage) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Invalid> invalidRequests() {
        return Stream.of(
                new Invalid("negative cpu", pod().cpu(-1),
                        "cpuMillis must not be negative: -1"),
                new Invalid("negative memory", pod().memoryBytes(-1),
                        "memoryBytes must not be negative: -1"),
                new Invalid("negative GPU count", pod().gpus(-1, 1000),
                        "gpuCount must not be negative: -1"),
                new Invalid("GPU millis without GPUs", pod().gpus(0, 500),
                        "gpuMillisPerDevice must be 0 without GPUs, was 500"),
                new Invalid("zero millis on a device", pod().gpus(1, 0),
                        "gpuMillisPerDevice must be 1..1000 with GPUs, was 0"),
                new Invalid("more than a whole device", pod().gpus(1, 1001),
                        "gpuMillisPerDevice must be 1..1000 with GPUs, was 1001"),
                new Invalid("a fraction of two devices", pod().gpus(2, 500),
                        "a fractional GPU request (500 milli) is for one device only, not 2"),
                new Invalid("a fraction of eight devices", pod().gpus(8, 999),
                        "a fractional GPU request (999 milli) is for one device only, not 8"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRequests")
    void rejectsAnInvalidRequestSayingWhy(Invalid c) {
        Throwable thrown = catchThrowable(c.given::build);

        assertThat(thrown).isInstanceOf(IllegalArgumentException.class).hasMessage(c.wantMessage);
    }

    @Test
    void rejectsMissingModelsAndExtendedResources() {
        assertThat(catchThrowable(() -> new PodRequest(0, 0, 0, 0, null, ExtendedResources.NONE)))
                .isInstanceOf(NullPointerException.class).hasMessage("gpuModels");
        assertThat(catchThrowable(() -> new PodRequest(0, 0, 0, 0, GpuModels.ANY, null)))
                .isInstanceOf(NullPointerException.class).hasMessage("extended");
    }

    /** What a request says about its GPUs. */
    record Gpu(boolean wants, boolean shares, long totalMillis) {
    }

    record Valid(String name, PodBuilder given, Gpu want) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Valid> validRequests() {
        return Stream.of(
                new Valid("CPU only", pod().cpu(4000).memoryGi(8), new Gpu(false, false, 0)),
                new Valid("the smallest share of a device", pod().gpus(1, 1), new Gpu(true, true, 1)),
                new Valid("almost a whole device", pod().gpus(1, 999), new Gpu(true, true, 999)),
                new Valid("one whole device", pod().gpus(1), new Gpu(true, false, 1000)),
                new Valid("eight whole devices", pod().gpus(8), new Gpu(true, false, 8000)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validRequests")
    void describesItsGpuAsk(Valid c) {
        PodRequest pod = c.given.build();

        assertThat(new Gpu(pod.wantsGpu(), pod.sharesGpu(), pod.totalGpuMillis())).isEqualTo(c.want);
    }

    @Test
    void withersReturnANewRequestAndLeaveTheOriginal() {
        PodRequest original = pod().cpu(1000).memoryGi(2).build();

        PodRequest changed = original.withGpus(1, 250)
                .withGpuModels(GpuModels.of("T4"))
                .withExtended(ExtendedResources.of("example.com/fpga", 1));

        assertThat(changed).isEqualTo(pod().cpu(1000).memoryGi(2).gpus(1, 250).models("T4")
                .extended("example.com/fpga", 1).build());
        assertThat(original).isEqualTo(PodRequest.cpuOnly(1000, 2L << 30));
    }

    @Test
    void equalRequestsAreInterchangeableShapes() {
        PodRequest a = pod().cpu(4000).gpus(1, 500).models("V100M32", "V100M16").build();
        PodRequest b = pod().cpu(4000).gpus(1, 500).models("V100M16|V100M32|V100M32").build();

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    }

    @Test
    void printsItselfInUnitsAPersonReads() {
        PodRequest pod = pod().cpu(4000).memoryGi(8).gpus(1, 500).models("V100M16", "V100M32")
                .extended("example.com/fpga", 2).build();

        assertThat(pod).hasToString("cpu=4000m mem=8192Mi gpu=1x500m(V100M16|V100M32) {example.com/fpga=2}");
        assertThat(pod().cpu(500).memoryMi(64).build()).hasToString("cpu=500m mem=64Mi");
    }
}
