package io.kubeai.core.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.kubeai.core.fragmentation.TypicalPods;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PlacementPoliciesTest {

    @Test
    void namesTheSixPoliciesInThePapersOrder() {
        assertThat(PlacementPolicies.NAMES)
                .isEqualTo(List.of("Random", "DotProd", "GpuClustering", "GpuPacking", "BestFit", "FGD"));
    }

    record Spelling(String written, String want) {
        @Override
        public String toString() {
            return '"' + written + "\" is " + want;
        }
    }

    static Stream<Spelling> spellings() {
        return Stream.of(
                new Spelling("FGD", "FGD"),
                new Spelling("fgd", "FGD"),
                new Spelling(" bestfit ", "BestFit"),
                new Spelling("GPUPACKING", "GpuPacking"),
                new Spelling("gpuClustering", "GpuClustering"),
                new Spelling("dotprod", "DotProd"),
                new Spelling("random", "Random"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("spellings")
    void matchesNamesCaseInsensitively(Spelling c) {
        assertThat(PlacementPolicies.canonicalName(c.written)).isEqualTo(c.want);
    }

    @Test
    void rejectsAnUnknownNameListingTheKnownOnes() {
        assertThat(catchThrowable(() -> PlacementPolicies.canonicalName("FirstFit")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown placement policy \"FirstFit\"; expected one of "
                        + "Random, DotProd, GpuClustering, GpuPacking, BestFit, FGD");
    }

    @Test
    void createsANewPolicyOfEachName() {
        TypicalPods typical = TypicalPods.of(List.of());

        List<String> created = PlacementPolicies.NAMES.stream()
                .map(n -> PlacementPolicies.create(n.toLowerCase(Locale.ROOT), typical).name())
                .toList();

        assertThat(created).isEqualTo(PlacementPolicies.NAMES);
        assertThat(PlacementPolicies.create("BestFit", typical)).isNotSameAs(PlacementPolicies.create("BestFit", typical));
    }
}
