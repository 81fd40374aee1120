package io.kubeai.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeai.core.window.TimeWindow;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Properties of the window reader: what is written is what is read, in any spelling. */
class WindowsPropertiesTest {

    @Property(tries = 200)
    void aRangeHoldsEveryDayFromItsFirstToItsLastWrappingPastSunday(@ForAll DayOfWeek from, @ForAll DayOfWeek to,
            @ForAll boolean fullNames, @ForAll boolean upper) {
        Set<DayOfWeek> read = Windows.dayOrRange(name(from, fullNames, upper) + "-" + name(to, !fullNames, !upper));
        int length = Math.floorMod(to.getValue() - from.getValue(), 7) + 1;
        assertThat(read).hasSize(length).contains(from, to);
        for (int i = 0; i < length; i++) {
            assertThat(read).contains(from.plus(i));
        }
    }

    @Property(tries = 200)
    void anyTimeOfDayWrittenAsHhMmIsReadBack(@ForAll @IntRange(min = 0, max = 23) int startHour,
            @ForAll @IntRange(min = 0, max = 59) int startMinute, @ForAll @IntRange(min = 0, max = 23) int endHour,
            @ForAll @IntRange(min = 0, max = 59) int endMinute, @ForAll Set<DayOfWeek> days) {
        List<ValidationError> errors = new ArrayList<>();
        List<String> dayNames = days.stream().map(d -> name(d, d.getValue() % 2 == 0, false)).toList();
        Tree t = Tree.root(Map.of("days", dayNames, "start", String.format("%02d:%02d", startHour, startMinute),
                "end", String.format("%d:%02d", endHour, endMinute), "timeZone", "Europe/Berlin"), errors);
        TimeWindow w = Windows.timeWindow(t).orElseThrow();
        assertThat(errors).isEmpty();
        assertThat(w.start()).isEqualTo(LocalTime.of(startHour, startMinute));
        assertThat(w.end()).isEqualTo(LocalTime.of(endHour, endMinute));
        assertThat(w.days()).isEqualTo(days.isEmpty() ? EnumSet.allOf(DayOfWeek.class) : days);
    }

    private static String name(DayOfWeek d, boolean full, boolean upper) {
        String n = d.name().toLowerCase(Locale.ROOT);
        n = full ? n : n.substring(0, 3);
        return upper ? n.toUpperCase(Locale.ROOT) : Character.toUpperCase(n.charAt(0)) + n.substring(1);
    }
}
