package io.kubeai.core.window;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The window-closing budget used the way the controller uses it, over cycles at any spacing
 * (change events every second or quiet minutes) and any pattern of refusals.
 */
class ClosingBudgetPropertiesTest {
    static final int POOL = 8;

    /** One cycle: seconds since the previous one, and which workloads' evictions are refused in it. */
    record Cycle(int afterSeconds, Set<Integer> refusing) {
    }

    @Provide
    Arbitrary<List<Cycle>> cycles() {
        Arbitrary<Integer> gap = Arbitraries.oneOf(Arbitraries.integers().between(0, 5), Arbitraries.integers().between(0, 150));
        Arbitrary<Set<Integer>> refusing = Arbitraries.integers().between(0, POOL - 1).set().ofMaxSize(POOL);
        return Combinators.combine(gap, refusing).as(Cycle::new).list().ofMinSize(1).ofMaxSize(60);
    }

    @Property(tries = 300)
    void noIntervalHoldsMoreEvictionsThanTheBudgetAndARefusedWorkloadWaitsAnInterval(
            @ForAll("cycles") List<Cycle> cycles, @ForAll @IntRange(min = 0, max = 4) int max,
            @ForAll @IntRange(min = 5, max = 120) int intervalSeconds) {
        Duration interval = Duration.ofSeconds(intervalSeconds);
        ClosingBudget budget = new ClosingBudget(interval, max);
        Instant now = Instant.parse("2027-03-28T00:00:00Z");
        List<Instant> evictions = new ArrayList<>();
        Map<Integer, Instant> lastRefused = new HashMap<>();
        Set<Integer> gone = new HashSet<>();
        for (Cycle c : cycles) {
            now = now.plusSeconds(c.afterSeconds());
            budget.advance(now);
            // As ClosingEvictions.choose: the candidates in order, up to the room left.
            int room = Math.max(0, max - budget.used());
            List<Integer> chosen = new ArrayList<>();
            for (int id = 0; id < POOL && chosen.size() < room; id++) {
                if (!gone.contains(id) && budget.mayTry("w" + id)) {
                    chosen.add(id);
                }
            }
            for (int id : chosen) {
                Instant before = lastRefused.get(id);
                assertThat(before == null || !before.plus(interval).isAfter(now))
                        .as("w%d refused at %s is tried again at %s", id, before, now).isTrue();
                if (c.refusing().contains(id)) {
                    budget.refused("w" + id, now);
                    lastRefused.put(id, now);
                } else {
                    budget.evicted(now);
                    evictions.add(now);
                    gone.add(id);
                }
            }
        }
        for (Instant t : evictions) {
            long inInterval = evictions.stream().filter(e -> !e.isAfter(t) && e.plus(interval).isAfter(t)).count();
            assertThat(inInterval).as("evictions in the interval ending %s", t).isLessThanOrEqualTo(max);
        }
    }

    @Property(tries = 100)
    void aFullBudgetIsSpentAgainOnlyAsItsEvictionsAgeOut(@ForAll @IntRange(min = 1, max = 5) int max,
            @ForAll @IntRange(min = 5, max = 600) int intervalSeconds) {
        ClosingBudget budget = new ClosingBudget(Duration.ofSeconds(intervalSeconds), max);
        Instant t0 = Instant.parse("2027-03-28T00:00:00Z");
        budget.advance(t0);
        for (int i = 0; i < max; i++) {
            budget.evicted(t0);
        }
        budget.advance(t0.plusSeconds(intervalSeconds - 1));
        assertThat(budget.used()).isEqualTo(max);
        budget.advance(t0.plusSeconds(intervalSeconds));
        assertThat(budget.used()).isZero();
    }
}
