package io.kubeai.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.kubeai.core.workload.Timing;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TimingAnnotationsTest {

    static Stream<Arguments> durations() {
        return Stream.of(
                Arguments.of("5400", 5400L),
                Arguments.of("0", 0L),
                Arguments.of("90m", 5400L),
                Arguments.of("1h30m", 5400L),
                Arguments.of("2.5h", 9000L),
                Arguments.of("45s", 45L),
                Arguments.of("1500ms", 2L),
                Arguments.of("1ns", 1L),
                Arguments.of(".5m", 30L),
                Arguments.of(" 1h ", 3600L),
                Arguments.of("8784h", 366L * 24 * 3600));
    }

    @ParameterizedTest(name = "{0} is {1} s")
    @MethodSource("durations")
    void aDurationIsAGoDurationOrWholeSecondsRoundedUp(String text, long seconds) {
        assertThat(TimingAnnotations.durationSeconds(text)).isEqualTo(seconds);
    }

    static Stream<Arguments> badDurations() {
        return Stream.of(
                Arguments.of("2 hours", "is not a duration; expected a Go duration such as 90m, 1h30m or 45s, or whole "
                        + "seconds such as 5400"),
                Arguments.of("1d", "is not a duration; expected a Go duration such as 90m, 1h30m or 45s, or whole "
                        + "seconds such as 5400"),
                Arguments.of("PT1H", "is not a duration; expected a Go duration such as 90m, 1h30m or 45s, or whole "
                        + "seconds such as 5400"),
                Arguments.of("-5m", "is negative; a duration is how long the workload runs"),
                Arguments.of("8785h", "is longer than a year (31622400 s)"),
                Arguments.of("99999999999999999999999", "is longer than a year (31622400 s)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badDurations")
    void aBadDurationSaysWhy(String text, String reason) {
        assertThatThrownBy(() -> TimingAnnotations.durationSeconds(text)).hasMessage(reason);
    }

    @Test
    void timesAreRfc3339WithAnOffset() {
        assertThat(TimingAnnotations.time("2026-03-30T22:00:00+08:00")).isEqualTo(Instant.parse("2026-03-30T14:00:00Z"));
        assertThat(TimingAnnotations.time("2026-03-30t14:00:00.5z")).isEqualTo(Instant.parse("2026-03-30T14:00:00.5Z"));
        assertThatThrownBy(() -> TimingAnnotations.time("2026-03-30T22:00:00"))
                .hasMessage("is not an RFC 3339 time with an offset, such as 2026-03-30T22:00:00+08:00 or 2026-03-30T14:00:00Z");
        assertThatThrownBy(() -> TimingAnnotations.time("tomorrow")).isInstanceOf(IllegalArgumentException.class);
    }

    private static ObjectMeta meta(Map<String, String> labels, Map<String, String> annotations) {
        return new ObjectMetaBuilder().withName("x").withLabels(labels).withAnnotations(annotations).build();
    }

    @Test
    void everyBadValueIsReportedWithItsObjectKeyAndValueAndTheRestIsRead() {
        List<TimingAnnotations.Problem> problems = new ArrayList<>();
        TimingAnnotations.Values v = TimingAnnotations.read(meta(Map.of(KubeAiNames.TIER, "production"),
                Map.of(KubeAiNames.NOT_BEFORE, "tonight", KubeAiNames.DEADLINE, "2026-03-30T22:00:00+08:00",
                        KubeAiNames.EXPECTED_DURATION, "3 h", KubeAiNames.PERIODIC, "yes")), "pod ml/report-0", problems);
        assertThat(v).isEqualTo(new TimingAnnotations.Values(null, null, null, Instant.parse("2026-03-30T14:00:00Z"), null));
        assertThat(problems).extracting(Object::toString).containsExactly(
                "pod ml/report-0 label kubeai.io/tier: \"production\" is not one of [prod, dev]",
                "pod ml/report-0 annotation kubeai.io/periodic: \"yes\" is not one of [true, false]",
                "pod ml/report-0 annotation kubeai.io/not-before: \"tonight\" is not an RFC 3339 time with an offset, "
                        + "such as 2026-03-30T22:00:00+08:00 or 2026-03-30T14:00:00Z",
                "pod ml/report-0 annotation kubeai.io/expected-duration: \"3 h\" is not a duration; expected a Go "
                        + "duration such as 90m, 1h30m or 45s, or whole seconds such as 5400");
    }

    @Test
    void aGangTakesItsPodGroupsFieldsElseWhatEveryMemberCanLiveWith() {
        Instant t1 = Instant.parse("2026-03-30T10:00:00Z");
        Instant t2 = Instant.parse("2026-03-30T12:00:00Z");
        List<TimingAnnotations.Values> members = List.of(
                new TimingAnnotations.Values("dev", null, t1, t2, 600L),
                new TimingAnnotations.Values("prod", true, t2, t1.plusSeconds(7200 * 3), 1200L),
                TimingAnnotations.Values.NONE);
        assertThat(TimingAnnotations.merge(null, members)).isEqualTo(new Timing("prod", true, t2, t2, 1200));
        TimingAnnotations.Values group = new TimingAnnotations.Values("dev", false, null, t1.plusSeconds(99), 60L);
        assertThat(TimingAnnotations.merge(group, members)).isEqualTo(new Timing("dev", false, t2, t1.plusSeconds(99), 60));
        assertThat(TimingAnnotations.merge(null, List.of(TimingAnnotations.Values.NONE)))
                .isEqualTo(new Timing(null, false, null, null, 0));
    }
}
