package io.kubeai.core.cycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CycleConfigTest {

    record Case(String name, CycleConfig given, int priority, long waitedSeconds, long want) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final CycleConfig HOURLY = CycleConfig.DEFAULT.withAging(3600, 2, 5);

    static Stream<Case> cases() {
        return Stream.of(
                new Case("no wait, no boost", HOURLY, 3, 0, 3),
                new Case("less than an interval, no boost", HOURLY, 3, 3599, 3),
                new Case("each full interval adds a step", HOURLY, 3, 7200, 7),
                new Case("the boost stops at its largest", HOURLY, 3, 36_000, 8),
                new Case("a clock that went back boosts nothing", HOURLY, 3, -60, 3),
                new Case("an interval of zero turns aging off", CycleConfig.DEFAULT.withAging(0, 2, 5), 3, 36_000, 3),
                new Case("negative priorities age too", HOURLY, -4, 3600, -2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void agingRaisesPriorityWithTheWait(Case c) {
        assertThat(c.given.effectivePriority(c.priority, c.waitedSeconds)).isEqualTo(c.want);
    }

    @Test
    void withersChangeOnlyWhatTheyName() {
        assertThat(CycleConfig.DEFAULT.withPreemption(false)).isEqualTo(new CycleConfig(3600, 1, 10, false, 16, 10));
        assertThat(CycleConfig.DEFAULT.withAging(60, 2, 3)).isEqualTo(new CycleConfig(60, 2, 3, true, 16, 10));
    }

    @Test
    void refusesNegativeSettings() {
        assertThat(catchThrowable(() -> new CycleConfig(3600, 1, 10, true, -1, 10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("cycle settings must not be negative");
    }
}
