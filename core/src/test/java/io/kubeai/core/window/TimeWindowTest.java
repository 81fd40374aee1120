package io.kubeai.core.window;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class TimeWindowTest {
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final TimeWindow NIGHT = TimeWindow.daily(LocalTime.of(22, 0), LocalTime.of(6, 0), BERLIN);
    static final TimeWindow WEEKEND = new TimeWindow(EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY),
            LocalTime.MIDNIGHT, LocalTime.MIDNIGHT, BERLIN);
    static final TimeWindow FRIDAY_NIGHT = new TimeWindow(EnumSet.of(DayOfWeek.FRIDAY), LocalTime.of(22, 0),
            LocalTime.of(6, 0), BERLIN);

    record Case(String name, TimeWindow window, String at, boolean inside) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("before a night window", NIGHT, "2026-06-10T21:59", false),
                new Case("at its start", NIGHT, "2026-06-10T22:00", true),
                new Case("past midnight", NIGHT, "2026-06-11T03:00", true),
                new Case("at its end, which is open", NIGHT, "2026-06-11T06:00", false),
                new Case("a Friday night window on Saturday morning", FRIDAY_NIGHT, "2026-06-13T05:59", true),
                new Case("a Friday night window on Saturday night", FRIDAY_NIGHT, "2026-06-13T23:00", false),
                new Case("a Friday night window on Friday morning", FRIDAY_NIGHT, "2026-06-12T05:00", false),
                new Case("a weekend window on Saturday", WEEKEND, "2026-06-13T12:00", true),
                new Case("a weekend window late Sunday", WEEKEND, "2026-06-14T23:59", true),
                new Case("a weekend window on Monday", WEEKEND, "2026-06-15T00:00", false),
                new Case("a weekend window on Friday night", WEEKEND, "2026-06-12T23:59", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void containsLocalTimesInItsZone(Case c) {
        assertThat(c.window().contains(local(c.at()))).isEqualTo(c.inside());
    }

    @Test
    void theNightDaylightSavingBeginsIsAnHourShorter() {
        // Berlin springs forward on 2026-03-29 at 02:00 → 03:00.
        Instant open = local("2026-03-28T22:00");
        Instant close = NIGHT.closesAt(open).orElseThrow();
        assertThat(Duration.between(open, close)).isEqualTo(Duration.ofHours(7));
        assertThat(close).isEqualTo(local("2026-03-29T06:00"));
    }

    @Test
    void theNightDaylightSavingEndsIsAnHourLonger() {
        // Berlin falls back on 2026-10-25 at 03:00 → 02:00.
        Instant open = local("2026-10-24T22:00");
        assertThat(Duration.between(open, NIGHT.closesAt(open).orElseThrow())).isEqualTo(Duration.ofHours(9));
        assertThat(NIGHT.overlap(local("2026-10-24T12:00"), local("2026-10-25T12:00"))).isEqualTo(Duration.ofHours(9));
    }

    @Test
    void aWindowOpeningInTheSpringGapOpensWhenTheClockResumes() {
        TimeWindow twoThirty = TimeWindow.daily(LocalTime.of(2, 30), LocalTime.of(4, 0), BERLIN);
        assertThat(twoThirty.nextOpen(local("2026-03-29T00:00")).orElseThrow()).isEqualTo(local("2026-03-29T03:30"));
    }

    @Test
    void nextOpenCrossesWeekBoundaries() {
        assertThat(WEEKEND.nextOpen(local("2026-06-15T09:00")).orElseThrow()).isEqualTo(local("2026-06-20T00:00"));
        assertThat(WEEKEND.nextOpen(local("2026-06-20T09:00")).orElseThrow()).isEqualTo(local("2026-06-20T09:00"));
        assertThat(FRIDAY_NIGHT.nextOpen(local("2026-06-13T07:00")).orElseThrow()).isEqualTo(local("2026-06-19T22:00"));
    }

    @Test
    void overlapCountsOnlyTheWindowsHours() {
        assertThat(NIGHT.overlap(local("2026-06-10T00:00"), local("2026-06-12T00:00")))
                .isEqualTo(Duration.ofHours(6 + 8 + 2));
    }

    static Instant local(String t) {
        return ZonedDateTime.of(java.time.LocalDateTime.parse(t), BERLIN).toInstant();
    }
}
