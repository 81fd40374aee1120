package io.kubeai.core.window;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A recurring window of local time: on the given days of the week, from {@code start} to
 * {@code end} in {@code zone}. When {@code end} is not after {@code start} the window runs past
 * midnight into the next day, and belongs to the day it starts on (a Friday 22:00–06:00 window
 * ends Saturday 06:00). Local times are resolved in the zone on each date, so a window keeps its
 * wall-clock hours across daylight-saving changes: a night shorter or longer by an hour is
 * shorter or longer by an hour. A start that falls in a spring-forward gap opens at the first
 * valid instant after it. Immutable.
 */
public record TimeWindow(Set<DayOfWeek> days, LocalTime start, LocalTime end, ZoneId zone) {

    public TimeWindow {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(zone, "zone");
        days = days == null || days.isEmpty() ? EnumSet.allOf(DayOfWeek.class) : EnumSet.copyOf(days);
    }

    /** Every day. */
    public static TimeWindow daily(LocalTime start, LocalTime end, ZoneId zone) {
        return new TimeWindow(EnumSet.allOf(DayOfWeek.class), start, end, zone);
    }

    public boolean crossesMidnight() {
        return !end.isAfter(start);
    }

    /** Whether {@code t} falls inside an occurrence of the window. */
    public boolean contains(Instant t) {
        LocalDate today = t.atZone(zone).toLocalDate();
        // An occurrence that started yesterday may still be open.
        for (LocalDate d : new LocalDate[] {today.minusDays(1), today}) {
            if (days.contains(d.getDayOfWeek())) {
                Instant open = instant(d, start);
                Instant close = instant(crossesMidnight() ? d.plusDays(1) : d, end);
                if (!t.isBefore(open) && t.isBefore(close)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The first opening at or after {@code from}; empty only if no day is selected (never). */
    public Optional<Instant> nextOpen(Instant from) {
        if (contains(from)) {
            return Optional.of(from);
        }
        LocalDate d = from.atZone(zone).toLocalDate();
        for (int i = 0; i <= 8; i++) {
            LocalDate day = d.plusDays(i);
            if (days.contains(day.getDayOfWeek())) {
                Instant open = instant(day, start);
                if (!open.isBefore(from)) {
                    return Optional.of(open);
                }
            }
        }
        return Optional.empty();
    }

    /** When the occurrence containing {@code t} closes; empty when {@code t} is outside the window. */
    public Optional<Instant> closesAt(Instant t) {
        LocalDate today = t.atZone(zone).toLocalDate();
        for (LocalDate d : new LocalDate[] {today.minusDays(1), today}) {
            if (days.contains(d.getDayOfWeek())) {
                Instant open = instant(d, start);
                Instant close = instant(crossesMidnight() ? d.plusDays(1) : d, end);
                if (!t.isBefore(open) && t.isBefore(close)) {
                    return Optional.of(close);
                }
            }
        }
        return Optional.empty();
    }

    /** How much of {@code [from, to)} falls inside the window. O(days in the range). */
    public Duration overlap(Instant from, Instant to) {
        Duration total = Duration.ZERO;
        LocalDate d = from.atZone(zone).toLocalDate().minusDays(1);
        LocalDate last = to.atZone(zone).toLocalDate();
        for (; !d.isAfter(last); d = d.plusDays(1)) {
            if (!days.contains(d.getDayOfWeek())) {
                continue;
            }
            Instant open = instant(d, start);
            Instant close = instant(crossesMidnight() ? d.plusDays(1) : d, end);
            Instant a = open.isAfter(from) ? open : from;
            Instant b = close.isBefore(to) ? close : to;
            if (b.isAfter(a)) {
                total = total.plus(Duration.between(a, b));
            }
        }
        return total;
    }

    private Instant instant(LocalDate date, LocalTime time) {
        // ZonedDateTime.of moves a time in a DST gap forward by the gap and takes the earlier offset in an overlap.
        return ZonedDateTime.of(LocalDateTime.of(date, time), zone).toInstant();
    }

    @Override
    public String toString() {
        String ds = days.size() == 7 ? "daily" : days.toString();
        return ds + " " + start + "–" + end + " " + zone;
    }
}
