package io.kubeai.simulator.jobs.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class OnlineLoadTest {
    private static final DiurnalCurve DAY = DiurnalCurve.of(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
            0, 0, 0, 0);

    @Test
    void usageRunsFromTroughToPeakShareOfTheRequest() {
        OnlineLoad load = new OnlineLoad(DAY, 0.5, 0.2, 0.8, 0, 1);
        assertThat(load.reserved(16_000)).isEqualTo(8_000);
        assertThat(load.used(0, 16_000, 3 * 3600)).isEqualTo(1_600);
        assertThat(load.used(0, 16_000, 12 * 3600)).isEqualTo(6_400);
    }

    @Test
    void eachNodeHasItsOwnFixedOffsetWithinTheJitter() {
        OnlineLoad load = new OnlineLoad(DAY, 0.5, 0.2, 0.8, 1800, 1);
        for (int n = 0; n < 50; n++) {
            assertThat(load.phaseOffset(n)).isBetween(-1800L, 1800L).isEqualTo(load.phaseOffset(n));
        }
        assertThat(java.util.stream.IntStream.range(0, 50).mapToLong(load::phaseOffset).distinct().count())
                .isGreaterThan(1);
    }

    @Test
    void badSettingsAreRefusedNamingTheField() {
        assertThatThrownBy(() -> new OnlineLoad(DAY, 1.0, 0.2, 0.8, 0, 1)).hasMessageContaining("reservedShare");
        assertThatThrownBy(() -> new OnlineLoad(DAY, 0.5, 0.9, 0.8, 0, 1)).hasMessageContaining("troughUsage");
        assertThatThrownBy(() -> new OnlineLoad(DAY, 0.5, 0.2, 0.8, -1, 1)).hasMessageContaining("phaseJitterSeconds");
    }

    @Property(tries = 300)
    void aServiceNeverUsesMoreThanItRequests(@ForAll @DoubleRange(min = 0, max = 0.99) double share,
            @ForAll @DoubleRange(min = 0, max = 1) double a, @ForAll @DoubleRange(min = 0, max = 1) double b,
            @ForAll @LongRange(min = 0, max = 1_000_000) long capacity, @ForAll @IntRange(min = 0, max = 1000) int node,
            @ForAll @LongRange(min = 0, max = 10 * 86_400) long t) {
        OnlineLoad load = new OnlineLoad(DiurnalCurve.openbOnline(), share, Math.min(a, b), Math.max(a, b), 3600, 3);
        long used = load.used(node, capacity, t);
        assertThat(used).isBetween(0L, load.reserved(capacity));
        assertThat(used).isGreaterThanOrEqualTo((long) Math.floor(load.reserved(capacity) * Math.min(a, b)) - 1);
    }
}
