package io.kubeai.core.elastic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SmoothingTest {
    record Case(String name, long previous, long target, long capacity, double hysteresis, double step, long want) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("a change inside the band is not made", 30_000, 32_000, 64_000, 5, 10, 30_000),
                new Case("a change exactly the band wide is not made", 30_000, 26_800, 64_000, 5, 10, 30_000),
                new Case("a change just beyond the band is made whole when within a step", 30_000, 26_799, 64_000, 5, 10,
                        26_799),
                new Case("a sharp drop moves one step only", 38_400, 0, 64_000, 5, 10, 32_000),
                new Case("a sharp rise moves one step only", 0, 38_400, 64_000, 5, 10, 6_400),
                new Case("no band: every change is made", 10, 11, 64_000, 0, 10, 11),
                new Case("a step is at least one unit (one GPU of eight)", 4, 0, 8, 5, 10, 3),
                new Case("a band under one unit is no band (GPUs)", 4, 3, 8, 5, 10, 3),
                new Case("a step of 100 % jumps to the target", 38_400, 0, 64_000, 5, 100, 0),
                new Case("a node without capacity moves one unit at a time", 5, 0, 0, 5, 10, 4));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void movesTowardTheTargetWithHysteresisAndAMaximumStep(Case c) {
        assertThat(Smoothing.next(c.previous, c.target, c.capacity, c.hysteresis, c.step)).isEqualTo(c.want);
    }

    @Test
    void aFallFromFullToNothingTakesTenIntervalsAtTenPercent() {
        List<Long> published = new ArrayList<>();
        long v = 64_000;
        while (v != 0) {
            v = Smoothing.next(v, 0, 64_000, 5, 10);
            published.add(v);
        }
        assertThat(published).containsExactly(57_600L, 51_200L, 44_800L, 38_400L, 32_000L, 25_600L, 19_200L, 12_800L,
                6_400L, 0L);
    }

    @Test
    void noiseAroundATargetPublishesNothing() {
        long v = 30_000;
        for (long noisy : new long[] {31_000, 29_000, 32_500, 27_500, 30_100, 33_200}) {
            v = Smoothing.next(v, noisy, 64_000, 5, 10);
        }
        assertThat(v).isEqualTo(30_000);
    }
}
