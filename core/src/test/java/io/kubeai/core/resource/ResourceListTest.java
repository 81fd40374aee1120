package io.kubeai.core.resource;

import static io.kubeai.core.resource.ResourceList.CPU;
import static io.kubeai.core.resource.ResourceList.GPU;
import static io.kubeai.core.resource.ResourceList.MEMORY;
import static io.kubeai.core.testing.Builders.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ResourceListTest {
    private static final long GIB = 1L << 30;
    private static final long MIB = 1L << 20;
    private static final String FPGA = "example.com/fpga";

    record Arithmetic(String name, Supplier<ResourceList> given, ResourceList want) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arithmetic> arithmetic() {
        return Stream.of(
                new Arithmetic("plus adds per resource and keeps the names of both",
                        () -> ResourceList.of(CPU, 1000, GPU, 2000).plus(ResourceList.of(GPU, 1000, MEMORY, GIB)),
                        ResourceList.of(CPU, 1000, GPU, 3000, MEMORY, GIB)),
                new Arithmetic("plus of nothing changes nothing",
                        () -> ResourceList.of(GPU, 500).plus(ResourceList.EMPTY),
                        ResourceList.of(GPU, 500)),
                new Arithmetic("minusClamped subtracts and drops what reaches zero",
                        () -> ResourceList.of(GPU, 4000, CPU, 2000).minusClamped(ResourceList.of(GPU, 4000, CPU, 500)),
                        ResourceList.of(CPU, 1500)),
                new Arithmetic("minusClamped stops at zero instead of going negative",
                        () -> ResourceList.of(GPU, 1000).minusClamped(ResourceList.of(GPU, 3000, CPU, 1)),
                        ResourceList.EMPTY),
                new Arithmetic("times multiplies every quantity",
                        () -> ResourceList.of(GPU, 1000, CPU, 500).times(3),
                        ResourceList.of(GPU, 3000, CPU, 1500)),
                new Arithmetic("times zero is nothing",
                        () -> ResourceList.of(GPU, 1000).times(0),
                        ResourceList.EMPTY),
                new Arithmetic("max takes the larger quantity of each resource",
                        () -> ResourceList.of(CPU, 1000, GPU, 4000).max(ResourceList.of(CPU, 2000, MEMORY, 5)),
                        ResourceList.of(CPU, 2000, GPU, 4000, MEMORY, 5)),
                new Arithmetic("min takes the smaller and drops resources only one side names",
                        () -> ResourceList.of(CPU, 1000, GPU, 4000).min(ResourceList.of(CPU, 2000, MEMORY, 5)),
                        ResourceList.of(CPU, 1000)),
                new Arithmetic("a name given twice is summed",
                        () -> ResourceList.of(GPU, 1000, GPU, 500),
                        ResourceList.of(GPU, 1500)),
                new Arithmetic("zero quantities are dropped",
                        () -> ResourceList.of(Map.of(CPU, 0L, GPU, 1000L)),
                        ResourceList.of(GPU, 1000)),
                new Arithmetic("a pod holds its cpu, memory, milli-GPU and extended resources",
                        () -> ResourceList.of(pod().cpu(4000).memoryGi(8).gpus(2).extended(FPGA, 1).build()),
                        ResourceList.of(CPU, 4000, MEMORY, 8 * GIB, GPU, 2000, FPGA, 1)),
                new Arithmetic("a pod sharing a device holds its milli-GPU",
                        () -> ResourceList.of(pod().gpus(1, 250).build()),
                        ResourceList.of(GPU, 250)),
                new Arithmetic("a pod asking for nothing holds nothing",
                        () -> ResourceList.of(pod().build()),
                        ResourceList.EMPTY));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("arithmetic")
    void computesPerResource(Arithmetic c) {
        assertThat(c.given.get()).isEqualTo(c.want).hasSameHashCodeAs(c.want);
    }

    record Within(String name, ResourceList given, ResourceList bound, boolean want) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Within> within() {
        return Stream.of(
                new Within("equal quantities fit", ResourceList.of(GPU, 4000), ResourceList.of(GPU, 4000), true),
                new Within("less fits", ResourceList.of(GPU, 3000, CPU, 1), ResourceList.of(GPU, 4000, CPU, 1), true),
                new Within("more of one resource does not fit",
                        ResourceList.of(GPU, 3000, CPU, 2), ResourceList.of(GPU, 4000, CPU, 1), false),
                new Within("a resource the bound lacks does not fit",
                        ResourceList.of(FPGA, 1), ResourceList.of(GPU, 4000), false),
                new Within("nothing fits anything", ResourceList.EMPTY, ResourceList.EMPTY, true),
                new Within("resources only the bound names do not matter",
                        ResourceList.of(CPU, 1), ResourceList.of(CPU, 1, GPU, 1000), true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("within")
    void fitsWithinComparesEveryQuantityItHolds(Within c) {
        assertThat(c.given.fitsWithin(c.bound)).isEqualTo(c.want);
    }

    record Invalid(String name, Runnable given, Class<? extends Throwable> wantType, String wantMessage) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Invalid> invalid() {
        return Stream.of(
                new Invalid("a negative quantity", () -> ResourceList.of(GPU, -1),
                        IllegalArgumentException.class, "resource nvidia.com/gpu must not be negative: -1"),
                new Invalid("a blank name", () -> ResourceList.of(" ", 1),
                        IllegalArgumentException.class, "resource name must not be blank"),
                new Invalid("a name without a value", () -> ResourceList.of(GPU),
                        IllegalArgumentException.class, "expected name, value pairs"),
                new Invalid("a negative factor", () -> ResourceList.of(GPU, 1).times(-1),
                        IllegalArgumentException.class, "factor must not be negative: -1"),
                new Invalid("a sum beyond a long", () -> ResourceList.of(CPU, Long.MAX_VALUE).plus(ResourceList.of(CPU, 1)),
                        ArithmeticException.class, "long overflow"),
                new Invalid("a product beyond a long", () -> ResourceList.of(CPU, Long.MAX_VALUE).times(2),
                        ArithmeticException.class, "long overflow"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void refusesWhatCannotBeAQuantity(Invalid c) {
        assertThat(catchThrowable(c.given::run)).isInstanceOf(c.wantType).hasMessage(c.wantMessage);
    }

    record Format(String resource, long value, String want) {
        @Override
        public String toString() {
            return resource + " " + value + " reads " + want;
        }
    }

    static Stream<Format> formats() {
        return Stream.of(
                new Format(CPU, 4000, "4"),
                new Format(CPU, 1500, "1500m"),
                new Format(CPU, 0, "0"),
                new Format(GPU, 8000, "8"),
                new Format(GPU, 500, "0.5"),
                new Format(GPU, 1250, "1.25"),
                new Format(GPU, 1050, "1.05"),
                new Format(GPU, 1, "0.001"),
                new Format(MEMORY, 16 * GIB, "16Gi"),
                new Format(MEMORY, 512 * MIB, "512Mi"),
                new Format(MEMORY, 1536 * MIB, "1536Mi"),
                new Format(MEMORY, 1000, "1000"),
                new Format(FPGA, 3, "3"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void formatsAQuantityAsPeopleWriteIt(Format c) {
        assertThat(ResourceList.format(c.resource, c.value)).isEqualTo(c.want);
    }

    @Test
    void printsEveryResourceInItsUnitSortedByName() {
        assertThat(ResourceList.of(GPU, 2500, CPU, 1500, MEMORY, 64 * GIB))
                .hasToString("{cpu: 1500m, memory: 64Gi, nvidia.com/gpu: 2.5}");
        assertThat(ResourceList.EMPTY).hasToString("{}");
    }

    @Test
    void answersForNamesItHoldsAndZeroForTheRest() {
        ResourceList r = ResourceList.of(GPU, 2000, CPU, 500);

        assertThat(List.of(r.get(GPU), r.get(MEMORY), r.has(CPU), r.has(MEMORY), r.size(), r.isEmpty(),
                List.of(r.names()), r.name(0), r.value(0)))
                .isEqualTo(List.of(2000L, 0L, true, false, 2, false, List.of(CPU, GPU), CPU, 500L));
        assertThat(ResourceList.of().isEmpty()).isTrue();
    }

    @Test
    void namesIsACopy() {
        ResourceList r = ResourceList.of(GPU, 2000);

        r.names()[0] = "changed";

        assertThat(r.names()).containsExactly(GPU);
    }
}
