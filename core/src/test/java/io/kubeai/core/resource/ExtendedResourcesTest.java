package io.kubeai.core.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ExtendedResourcesTest {

    /** Everything a built value says about itself. */
    record Contents(List<String> names, List<Long> quantities, String text) {
        static Contents of(ExtendedResources r) {
            String[] names = new String[r.size()];
            Long[] quantities = new Long[r.size()];
            for (int i = 0; i < r.size(); i++) {
                names[i] = r.name(i);
                quantities[i] = r.quantity(i);
            }
            return new Contents(List.of(names), List.of(quantities), r.toString());
        }
    }

    record Case(String name, Map<String, Long> given, Contents want) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> maps() {
        LinkedHashMap<String, Long> unsorted = new LinkedHashMap<>();
        unsorted.put("example.com/b", 2L);
        unsorted.put("example.com/a", 1L);
        return Stream.of(
                new Case("empty", Map.of(), new Contents(List.of(), List.of(), "{}")),
                new Case("sorted by name", unsorted, new Contents(
                        List.of("example.com/a", "example.com/b"), List.of(1L, 2L),
                        "{example.com/a=1, example.com/b=2}")),
                new Case("zero quantities are dropped", Map.of("example.com/a", 0L, "example.com/b", 3L),
                        new Contents(List.of("example.com/b"), List.of(3L), "{example.com/b=3}")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("maps")
    void buildsASortedValueFromAMap(Case c) {
        assertThat(Contents.of(ExtendedResources.of(c.given))).isEqualTo(c.want);
    }

    @Test
    void onlyZeroQuantitiesGiveTheNoneConstant() {
        ExtendedResources r = ExtendedResources.of("example.com/fpga", 0);

        assertThat(r).isSameAs(ExtendedResources.NONE);
        assertThat(r.isEmpty()).isTrue();
    }

    @Test
    void looksUpByNameAndAnswersZeroWhenAbsent() {
        ExtendedResources r = ExtendedResources.of(Map.of("example.com/a", 1L, "example.com/c", 3L));

        assertThat(r.get("example.com/c")).isEqualTo(3);
        assertThat(r.get("example.com/b")).isZero();
        assertThat(r.indexOf("example.com/a")).isZero();
        assertThat(r.indexOf("example.com/b")).isNegative();
    }

    @Test
    void equalsByValueWhateverTheMapOrder() {
        HashMap<String, Long> one = new HashMap<>(Map.of("x/a", 1L, "x/b", 2L));
        LinkedHashMap<String, Long> other = new LinkedHashMap<>();
        other.put("x/b", 2L);
        other.put("x/a", 1L);
        other.put("x/c", 0L);

        assertThat(ExtendedResources.of(one)).isEqualTo(ExtendedResources.of(other))
                .hasSameHashCodeAs(ExtendedResources.of(other));
    }

    record Invalid(String name, Map<String, Long> given, String wantMessage) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Invalid> invalidMaps() {
        return Stream.of(
                new Invalid("a negative quantity", Map.of("example.com/fpga", -1L),
                        "extended resource example.com/fpga must not be negative: -1"),
                new Invalid("a blank name", Map.of(" ", 1L), "extended resource name must not be blank"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidMaps")
    void rejectsAnInvalidMapSayingWhy(Invalid c) {
        assertThat(catchThrowable(() -> ExtendedResources.of(c.given)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(c.wantMessage);
    }
}
