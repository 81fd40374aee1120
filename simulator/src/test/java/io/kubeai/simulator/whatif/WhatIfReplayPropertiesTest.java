package io.kubeai.simulator.whatif;

import static io.kubeai.core.testing.Builders.queue;
import static io.kubeai.core.testing.Builders.workload;
import static io.kubeai.simulator.whatif.WhatIfReplayTest.NOW;
import static io.kubeai.simulator.whatif.WhatIfReplayTest.gpuNode;
import static io.kubeai.simulator.whatif.WhatIfReplayTest.gpus;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubeai.core.cluster.Node;
import io.kubeai.core.cycle.CycleResult;
import io.kubeai.core.cycle.SchedulingCycle;
import io.kubeai.core.cycle.CycleConfig;
import io.kubeai.simulator.whatif.WhatIfReplay.Outcome;
import io.kubeai.simulator.whatif.WhatIfReplay.Result;
import io.kubeai.simulator.whatif.WhatIfReplay.Settings;
import io.kubeai.simulator.whatif.WhatIfReplay.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Invariants of the replay on small random clusters: two queues, GPU gangs running and waiting. */
class WhatIfReplayPropertiesTest {

    /** One workload of a scenario: queue a or b, priority, pods × GPUs, how long, and whether it runs at the start. */
    record Job(boolean queueA, int priority, int pods, int gpusPerPod, long duration, long remaining, boolean running) {
    }

    record Scenario(int nodes, int aMinGpus, List<Job> jobs) {
        WhatIfReplayTest.Start start() {
            List<Node> ns = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                ns.add(gpuNode("n" + i, 8));
            }
            WhatIfReplayTest.Start s = new WhatIfReplayTest.Start(ns, queue("a").minGpus(aMinGpus), queue("b"));
            for (int i = 0; i < jobs.size(); i++) {
                Job j = jobs.get(i);
                var w = workload("w" + i).queue(j.queueA ? "a" : "b").priority(j.priority).createdAt(NOW - 1000 + i)
                        .pods(j.pods, gpus(j.gpusPerPod)).build();
                if (j.running && fitsNow(s, w)) {
                    s.running(w, Math.min(j.remaining, j.duration), j.duration);
                } else {
                    s.pending(w, j.duration);
                }
            }
            return s;
        }

        private static boolean fitsNow(WhatIfReplayTest.Start s, io.kubeai.core.workload.Workload w) {
            CycleResult r = new SchedulingCycle(CycleConfig.DEFAULT.withPreemption(false),
                    WhatIfReplayTest.Start.selector()).run(s.state.copy(), List.of(w), NOW - 60, new SplittableRandom(0));
            return !r.admitted().isEmpty();
        }
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<Job> job = Combinators.combine(Arbitraries.of(true, false), Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(1, 3), Arbitraries.of(1, 2, 4, 8), Arbitraries.longs().between(60, 5000),
                Arbitraries.longs().between(0, 5000), Arbitraries.of(true, false)).as(Job::new);
        return Combinators.combine(Arbitraries.integers().between(1, 3), Arbitraries.of(0, 4, 8, 16),
                job.list().ofMinSize(1).ofMaxSize(8)).as(Scenario::new);
    }

    @Property(tries = 200)
    void theSameStartReplaysTheSame(@ForAll("scenarios") Scenario sc) {
        WhatIfReplayTest.Start s = sc.start();
        Settings settings = new Settings(7200, 5, 3);

        assertThat(s.replay(settings)).isEqualTo(s.replay(settings));
    }

    @Property(tries = 200)
    void aShorterHorizonSeesTheSameBeginning(@ForAll("scenarios") Scenario sc) {
        WhatIfReplayTest.Start s = sc.start();
        Result shortRun = s.replay(new Settings(1800, 5, 3));
        Result longRun = s.replay(new Settings(7200, 5, 3));

        for (Outcome o : longRun.outcomes()) {
            Outcome early = shortRun.outcome(o.workloadId()).orElseThrow();
            if (o.status() == Status.ADMITTED && o.admittedAfterSeconds() <= 1800) {
                assertThat(early.status()).isEqualTo(Status.ADMITTED);
                assertThat(early.admittedAfterSeconds()).isEqualTo(o.admittedAfterSeconds());
            } else {
                assertThat(early.status()).isNotEqualTo(Status.ADMITTED);
            }
        }
        // AssertJ's startsWith() refuses an empty prefix of a non-empty list, so compare the prefix itself.
        assertThat(longRun.evictions()).hasSizeGreaterThanOrEqualTo(shortRun.evictions().size());
        assertThat(longRun.evictions().subList(0, shortRun.evictions().size())).isEqualTo(shortRun.evictions());
    }

    @Property(tries = 200)
    void theSummaryAddsUp(@ForAll("scenarios") Scenario sc) {
        WhatIfReplayTest.Start s = sc.start();
        Result r = s.replay(new Settings(7200, 5, 3));
        WhatIfReplay.Summary sum = r.summary();

        assertThat(sum.admitted() + sum.waiting() + sum.expired()).isEqualTo(s.pending.size());
        assertThat(r.outcomes()).hasSize(s.pending.size());
        assertThat(sum.gpuMillisAtEnd()).isBetween(0L, sum.gpuMillisTotal());
        assertThat(sum.meanGpuAllocation()).isBetween(0.0, 1.0);
        for (Outcome o : r.outcomes()) {
            if (o.status() == Status.ADMITTED) {
                assertThat(o.admittedAfterSeconds()).isBetween(0L, 7200L);
                if (o.endsAfterSeconds() != -1) {
                    assertThat(o.endsAfterSeconds()).isBetween(o.admittedAfterSeconds(), 7200L);
                }
            } else {
                assertThat(o.admittedAfterSeconds()).isEqualTo(-1);
                assertThat(o.reason()).isNotEmpty();
            }
        }
        if (sum.waitP50Seconds() != null && sum.waitP95Seconds() != null) {
            assertThat(sum.waitP50Seconds()).isLessThanOrEqualTo(sum.waitP95Seconds());
        }
    }

    @Property(tries = 100)
    void withoutPreemptionNothingIsEvicted(@ForAll("scenarios") Scenario sc) {
        WhatIfReplayTest.Start s = sc.start().config(CycleConfig.DEFAULT.withPreemption(false));

        Result r = s.replay(new Settings(7200, 5, 3));

        assertThat(r.evictions()).isEmpty();
        assertThat(r.summary().runningPreempted()).isZero();
    }
}
