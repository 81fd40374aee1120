package io.kubeai.core.resource;

import static io.kubeai.core.resource.ResourceList.CPU;
import static io.kubeai.core.resource.ResourceList.GPU;
import static io.kubeai.core.resource.ResourceList.MEMORY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ResourceLimitsTest {
    private static final long GIB = 1L << 30;

    /** What a limit says about one resource. */
    record Bound(boolean bounds, long limit) {
    }

    record Case(String name, ResourceLimits given, String resource, Bound want) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("a named resource is bounded by its limit",
                        ResourceLimits.of(GPU, 64_000), GPU, new Bound(true, 64_000)),
                new Case("a resource not named is unbounded",
                        ResourceLimits.of(GPU, 64_000), CPU, new Bound(false, Long.MAX_VALUE)),
                new Case("a limit of zero is kept: none at all",
                        ResourceLimits.of(GPU, 0), GPU, new Bound(true, 0)),
                new Case("unlimited bounds nothing",
                        ResourceLimits.UNLIMITED, GPU, new Bound(false, Long.MAX_VALUE)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void boundsOnlyWhatItNames(Case c) {
        assertThat(new Bound(c.given.bounds(c.resource), c.given.limit(c.resource))).isEqualTo(c.want);
    }

    @Test
    void noLimitsAtAllIsUnlimited() {
        assertThat(List.of(ResourceLimits.of(Map.of()), ResourceLimits.of()))
                .isEqualTo(List.of(ResourceLimits.UNLIMITED, ResourceLimits.UNLIMITED));
        assertThat(ResourceLimits.UNLIMITED.isUnlimited()).isTrue();
        assertThat(ResourceLimits.of(GPU, 0).isUnlimited()).isFalse();
    }

    @Test
    void equalLimitsCompareEqualWhateverTheOrderGiven() {
        ResourceLimits a = ResourceLimits.of(GPU, 8000, CPU, 4000);
        ResourceLimits b = ResourceLimits.of(Map.of(CPU, 4000L, GPU, 8000L));

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.names()).containsExactly(CPU, GPU);
        assertThat(a).isNotEqualTo(ResourceLimits.of(GPU, 8000, CPU, 0));
    }

    @Test
    void printsEveryLimitInItsUnit() {
        assertThat(ResourceLimits.of(GPU, 0, CPU, 8000, MEMORY, 32 * GIB))
                .hasToString("{cpu: 8, memory: 32Gi, nvidia.com/gpu: 0}");
        assertThat(ResourceLimits.UNLIMITED).hasToString("unlimited");
    }

    @Test
    void refusesNegativeLimitsAndBlankNames() {
        assertThat(catchThrowable(() -> ResourceLimits.of(CPU, -1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("limit for cpu must not be negative: -1");
        assertThat(catchThrowable(() -> ResourceLimits.of(" ", 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("resource name must not be blank");
    }
}
