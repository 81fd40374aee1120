package io.kubeai.simulator.fgd;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ArrivalCurveTest {

    @Test
    void averagesThePodsWhoseArrivedLoadRoundsToEachPercentage() {
        ArrivalCurve c = new ArrivalCurve(10); // 10 GPUs = 10,000 milli; 1 % = 100 milli
        c.record(1_000, 1_000, 500, 9_000);  // arrived 10 %
        c.record(1_040, 1_000, 700, 9_000);  // arrived 10.4 % → 10
        c.record(1_060, 1_060, 100, 8_940);  // arrived 10.6 % → 11
        assertThat(c.allocationPercent(10)).isEqualTo(10.0);
        assertThat(c.allocationPercent(11)).isEqualTo(10.6);
        assertThat(c.fragmentationPercent(10)).isEqualTo(6.0); // mean 600 milli of 10,000
        assertThat(c.fragmentationRatePercent(10)).isEqualTo(Math.rint((500.0 / 9000 + 700.0 / 9000) / 2 * 10000) / 100);
    }

    @Test
    void aPercentageNoPodRoundsToTakesItsNeighbours() {
        ArrivalCurve c = new ArrivalCurve(10);
        c.record(1_000, 900, 0, 9_100);   // 10 %
        c.record(1_200, 1_100, 0, 8_900); // 12 %
        assertThat(c.allocationPercent(11)).isEqualTo(10.0);
        assertThat(c.allocationPercent(20)).isNaN();
    }
}
