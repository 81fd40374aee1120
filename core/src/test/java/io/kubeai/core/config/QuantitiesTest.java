package io.kubeai.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class QuantitiesTest {
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("cpu", "500m", Optional.of(500L)),
                Arguments.of("cpu", "2", Optional.of(2000L)),
                Arguments.of("cpu", 3, Optional.of(3000L)),
                Arguments.of("cpu", 0.25, Optional.of(250L)),
                Arguments.of("cpu", "1.0001", Optional.of(1001L)),
                Arguments.of("cpu", "100u", Optional.of(1L)),
                Arguments.of("memory", "16Gi", Optional.of(16L << 30)),
                Arguments.of("memory", "1G", Optional.of(1_000_000_000L)),
                Arguments.of("memory", "1.5Ki", Optional.of(1536L)),
                Arguments.of("memory", "1e3", Optional.of(1000L)),
                Arguments.of("memory", "4E", Optional.of(4_000_000_000_000_000_000L)),
                Arguments.of("memory", "12E", Optional.empty()),
                Arguments.of("nvidia.com/gpu", "2", Optional.of(2000L)),
                Arguments.of("example.com/foo", "7", Optional.of(7L)),
                Arguments.of("cpu", "-1", Optional.empty()),
                Arguments.of("cpu", "two", Optional.empty()),
                Arguments.of("memory", "1e999", Optional.empty()),
                Arguments.of("memory", "16GiB", Optional.empty()),
                Arguments.of("memory", "", Optional.empty()),
                Arguments.of("memory", true, Optional.empty()),
                Arguments.of("memory", "100Ei", Optional.empty()));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void readsQuantitiesInCoreUnits(String resource, Object text, Optional<Long> want) {
        assertThat(Quantities.toUnits(resource, text)).isEqualTo(want);
    }
}
