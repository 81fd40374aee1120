package io.kubeai.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubeai.core.window.QueueWindow;
import io.kubeai.core.window.Stagger;
import io.kubeai.core.window.TimeWindow;
import io.kubeai.core.workload.Timing;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class StaggerPolicyTest {
    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    private static Map<String, Object> doc(Map<String, Object> stagger) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("apiVersion", "kubeai.io/v1alpha1");
        d.put("kind", "SchedulingPolicy");
        d.put("stagger", stagger);
        return d;
    }

    private static Map<String, Object> window(String start, String end, String zone) {
        return Map.of("start", start, "end", end, "timeZone", zone);
    }

    @Test
    void withoutAStaggerSectionNothingIsDeferredButByNotBefore() {
        SchedulingPolicy p = SchedulingPolicy.fromTree(Map.of("apiVersion", "kubeai.io/v1alpha1", "kind", "SchedulingPolicy"));
        assertThat(p.stagger()).isEqualTo(StaggerPolicy.DEFAULT);
        assertThat(p).isEqualTo(SchedulingPolicy.DEFAULT);
        Stagger s = p.stagger().stagger();
        Instant noon = Instant.parse("2026-06-10T04:00:00Z");
        assertThat(s.deferral(new Timing("prod", true, null, null, 3600), noon)).isEmpty();
        assertThat(s.deferral(new Timing("dev", false, noon.plusSeconds(60), null, 0), noon)).isPresent();
    }

    @Test
    void aProductionWindowDefersPeriodicProductionWork() {
        StaggerPolicy s = SchedulingPolicy.fromTree(doc(Map.of("safetyMarginSeconds", 300, "tiers",
                Map.of("prod", Map.of("window", Map.of("days", List.of("Mon-Fri"), "start", "22:00", "end", "06:00",
                        "timeZone", "Asia/Shanghai"))),
                "closingEvictions", Map.of("intervalSeconds", 120, "maxEvictionsPerInterval", 2)))).stagger();
        TimeWindow w = new TimeWindow(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), LocalTime.of(22, 0),
                LocalTime.of(6, 0), SHANGHAI);
        assertThat(s).isEqualTo(new StaggerPolicy(Map.of("prod", w), 300, new StaggerPolicy.ClosingEvictions(120, 2)));
        assertThat(s.stagger()).isEqualTo(new Stagger(w, Duration.ofMinutes(5)));
        // Wednesday 15:00 in Shanghai: waits for 22:00.
        Instant at = Instant.parse("2026-06-10T07:00:00Z");
        assertThat(s.stagger().deferral(new Timing("prod", true, null, null, 3600), at).orElseThrow().until())
                .isEqualTo(Instant.parse("2026-06-10T14:00:00Z"));
    }

    record Bad(String name, Map<String, Object> stagger, List<String> errors) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Bad> badSections() {
        return Stream.of(
                new Bad("an hour past 23", Map.of("tiers", Map.of("prod", Map.of("window",
                        window("25:00", "06:00", "UTC")))),
                        List.of("stagger.tiers.prod.window.start: \"25:00\" is not a time of day; expected HH:MM from "
                                + "00:00 to 23:59, quoted in YAML")),
                new Bad("a time YAML 1.1 read as minutes", Map.of("tiers", Map.of("prod", Map.of("window",
                        Map.of("start", 1320, "end", "06:00", "timeZone", "UTC")))),
                        List.of("stagger.tiers.prod.window.start: \"1320\" is not a time of day; expected HH:MM from "
                                + "00:00 to 23:59, quoted in YAML")),
                new Bad("an unknown zone and a missing end", Map.of("tiers", Map.of("prod", Map.of("window",
                        Map.of("start", "22:00", "timeZone", "Mars/Olympus")))),
                        List.of("stagger.tiers.prod.window.end: missing; a local time such as \"06:00\" is expected",
                                "stagger.tiers.prod.window.timeZone: \"Mars/Olympus\" is not a time zone; use an IANA "
                                        + "name such as Asia/Shanghai, UTC, or an offset such as +08:00")),
                new Bad("no time zone", Map.of("tiers", Map.of("prod", Map.of("window", Map.of("start", "22:00",
                        "end", "06:00")))),
                        List.of("stagger.tiers.prod.window.timeZone: missing; name the zone the times are local to, "
                                + "such as Asia/Shanghai or UTC")),
                new Bad("a day that is not one", Map.of("tiers", Map.of("prod", Map.of("window",
                        Map.of("days", List.of("Mon", "Funday"), "start", "22:00", "end", "06:00", "timeZone", "UTC")))),
                        List.of("stagger.tiers.prod.window.days[1]: \"Funday\" is not a day; expected Mon, Tue, Wed, Thu, "
                                + "Fri, Sat, Sun (or full names) or a range such as Mon-Fri")),
                new Bad("a development window", Map.of("tiers", Map.of("dev", Map.of("window",
                        window("08:00", "20:00", "UTC")))),
                        List.of("stagger.tiers.dev: only production periodic work is deferred by a tier window; give "
                                + "development queues windows of their own (Queue spec.windows, action Scale or Close)")),
                new Bad("a tier without a window", Map.of("tiers", Map.of("prod", Map.of())),
                        List.of("stagger.tiers.prod.window: missing; the window production periodic work waits for")),
                new Bad("a negative margin and a misspelt budget", Map.of("safetyMarginSeconds", -1, "closingEvictions",
                        Map.of("maxPerInterval", 3)),
                        List.of("stagger.safetyMarginSeconds: must be within 0..604800, was -1",
                                "stagger.closingEvictions.maxPerInterval: unknown field; expected one of "
                                        + "[intervalSeconds, maxEvictionsPerInterval]")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSections")
    void badSectionsAreRefusedWithEveryErrorAndItsPath(Bad c) {
        assertThatThrownBy(() -> SchedulingPolicy.fromTree(doc(c.stagger())))
                .isInstanceOfSatisfying(ConfigValidationException.class, e -> assertThat(e.errors().stream()
                        .map(ValidationError::toString).toList()).containsExactlyInAnyOrderElementsOf(c.errors()));
    }

    @Test
    void queueWindowsAreReadWithTheirPaths() {
        List<ValidationError> errors = new ArrayList<>();
        Tree spec = Tree.root(Map.of("windows", List.of(
                Map.of("days", "Sat-Sun", "start", "00:00", "end", "24:00", "timeZone", "Europe/Berlin", "action", "close",
                        "evictRunning", true),
                Map.of("start", "08:00", "end", "20:00", "timeZone", "Europe/Berlin", "action", "Scale", "minScale", 2,
                        "maxScale", 1.5))), errors);
        List<QueueWindowRule> w = Windows.queueWindows(spec, "windows");
        assertThat(errors).isEmpty();
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        assertThat(w).containsExactly(
                new QueueWindowRule(QueueWindow.closed(new TimeWindow(EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY),
                        LocalTime.MIDNIGHT, LocalTime.MIDNIGHT, berlin)), true),
                new QueueWindowRule(QueueWindow.scale(TimeWindow.daily(LocalTime.of(8, 0), LocalTime.of(20, 0), berlin),
                        2, 1.5), false));
        assertThat(w.get(0).describe())
                .isEqualTo("Close [SATURDAY, SUNDAY] 00:00–00:00 Europe/Berlin (evicting running work)");
        assertThat(w.get(1).describe()).isEqualTo("Scale min ×2, max ×1.5 daily 08:00–20:00 Europe/Berlin");
    }

    @Test
    void badQueueWindowsAreReportedEachAtItsPathAndLeftOut() {
        List<ValidationError> errors = new ArrayList<>();
        Tree root = Tree.root(Map.of("spec", Map.of("windows", List.of(
                Map.of("start", "08:00", "end", "20:00", "timeZone", "UTC", "action", "Close"),
                Map.of("start", "8:00pm", "end", "20:00", "timeZone", "UTC", "action", "Scale", "minScale", 2),
                Map.of("start", "08:00", "end", "20:00", "timeZone", "UTC", "action", "Scale"),
                Map.of("start", "08:00", "end", "20:00", "timeZone", "UTC", "action", "Close", "maxScale", 2),
                Map.of("start", "08:00", "end", "20:00", "timeZone", "UTC", "action", "Shrink"),
                Map.of("start", "08:00", "end", "20:00", "timeZone", "UTC", "action", "Scale", "minScale", -1,
                        "evictRunning", true),
                Map.of("start", "08:00", "end", "20:00", "timeZone", "UTC")))), errors);
        List<QueueWindowRule> w = Windows.queueWindows(root.child("spec"), "windows");
        assertThat(w).extracting(r -> r.window().closed()).containsExactly(true); // only the first is whole
        assertThat(errors.stream().map(ValidationError::toString).toList()).containsExactly(
                "spec.windows[1].start: \"8:00pm\" is not a time of day; expected HH:MM from 00:00 to 23:59, quoted in YAML",
                "spec.windows[2].action: a Scale window needs minScale, maxScale or both",
                "spec.windows[3].maxScale: a Close window closes the queue; it scales nothing",
                "spec.windows[4].action: \"Shrink\" is not one of [Close, Scale]",
                "spec.windows[5].evictRunning: only a Close window evicts; a Scale window changes min and max",
                "spec.windows[5].minScale: must be within 0.0..1000.0, was -1.0",
                "spec.windows[6].action: missing; expected one of [Close, Scale]");
    }
}
