package io.kubeai.simulator.jobs.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class DiurnalCurveTest {

    private static double[] hours(double night, double day) {
        double[] h = new double[24];
        for (int i = 0; i < 24; i++) {
            h[i] = i >= 8 && i < 20 ? day : night;
        }
        return h;
    }

    @Test
    void levelsAreScaledFromZeroToOneAndReadStraightBetweenHours() {
        DiurnalCurve c = DiurnalCurve.of(hours(10, 30));
        assertThat(c.hour(3)).isEqualTo(0.0);
        assertThat(c.hour(12)).isEqualTo(1.0);
        // 07:30 is half-way from the 07:00 level (0) to the 08:00 level (1).
        assertThat(c.at(7 * 3600 + 1800)).isCloseTo(0.5, within(1e-9));
        // The next day repeats.
        assertThat(c.at(86_400 + 12 * 3600)).isEqualTo(1.0);
    }

    @Test
    void creationTimesGiveTheirShapeWithTheTroughMovedToTheHourAsked() {
        // Many creations at 10:xx, few at 22:xx, none elsewhere; trough wanted at 04:00.
        long[] times = new long[110];
        for (int i = 0; i < 100; i++) {
            times[i] = 10 * 3600 + i;
        }
        for (int i = 100; i < 110; i++) {
            times[i] = 22 * 3600 + i;
        }
        DiurnalCurve c = DiurnalCurve.fromCreationTimes(times, 1, 4);
        // The first empty hour after midnight (00:00) is the trough: it moves to 04:00, and
        // everything with it by four hours.
        assertThat(c.hour(4)).isEqualTo(0.0);
        assertThat(c.hour(14)).isEqualTo(1.0);
        assertThat(c.hour(2)).isCloseTo(0.1, within(1e-9));
    }

    @Test
    void theOpenbCurvesAreCalibratedWithTheirTroughAtFour() {
        DiurnalCurve online = DiurnalCurve.openbOnline();
        assertThat(online.hour(4)).isEqualTo(0.0);
        double max = 0;
        for (int h = 0; h < 24; h++) {
            assertThat(online.hour(h)).isBetween(0.0, 1.0);
            max = Math.max(max, online.hour(h));
        }
        assertThat(max).isEqualTo(1.0);
        // Online services are busier by day than at night.
        assertThat(online.hour(14)).isGreaterThan(online.hour(2));
        assertThat(DiurnalCurve.openbBestEffort().hour(10)).isGreaterThan(DiurnalCurve.openbBestEffort().hour(3));
    }

    @Test
    void badShapesAreRefusedSayingWhy() {
        assertThatThrownBy(() -> DiurnalCurve.of(new double[23])).hasMessageContaining("24 hourly levels");
        double[] neg = hours(1, 2);
        neg[5] = -1;
        assertThatThrownBy(() -> DiurnalCurve.of(neg)).hasMessageContaining("hourly level 5");
        assertThatThrownBy(() -> DiurnalCurve.fromCreationTimes(new long[] {1}, 2, 4)).hasMessageContaining("odd");
    }
}
