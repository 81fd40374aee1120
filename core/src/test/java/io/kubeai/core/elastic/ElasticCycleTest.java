package io.kubeai.core.elastic;

import static io.kubeai.core.elastic.NodeUsageBuilder.GI;
import static io.kubeai.core.elastic.NodeUsageBuilder.cpu;
import static io.kubeai.core.elastic.NodeUsageBuilder.node;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubeai.core.config.ElasticPolicy;
import io.kubeai.core.elastic.ElasticCycle.NodeInput;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ElasticCycleTest {
    static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
    static final ElasticPolicy POLICY = ElasticPolicy.DEFAULT;
    /** The default threshold lends 38 400m of an idle 64-core node and 166.4Gi of 256Gi. */
    static final long IDLE_CPU = 38_400;

    static ElasticPod job(String key, int minute, long cpuMillis) {
        return new ElasticPod(key, "n1", 0, NOW.minusSeconds(3_600).plusSeconds(60L * minute),
                new ElasticAmounts(cpuMillis, 0, 0));
    }

    static NodeInput input(NodeUsage u, ElasticAmounts published) {
        return new NodeInput(u, null, 0, published);
    }

    @Test
    void aNodeFirstSeenContinuesFromWhatItPublishedAndClimbsOneStep() {
        ElasticCycle.Result r = ElasticCycle.run(POLICY, List.of(input(node("n1").used(0, 0, NOW).build(),
                new ElasticAmounts(20_000, 0, 0))), Map.of(), List.of(), NOW);
        ElasticCycle.NodeOutcome n = r.nodes().get(0);
        assertThat(n.target().cpuMillis()).isEqualTo(IDLE_CPU);
        assertThat(n.publish().cpuMillis()).isEqualTo(20_000 + 6_400);
        assertThat(n.publish().memoryBytes()).as("memory starts at nothing and climbs one step of 25.6Gi")
                .isEqualTo((long) Math.floor(256 * GI * 0.10));
        assertThat(n.known()).containsExactlyInAnyOrder(ElasticResource.CPU, ElasticResource.MEMORY);
    }

    @Test
    void staleMetricsPublishZeroKeepTheSmoothedFigureAndEvictNothing() {
        NodeUsage stale = node("n1").used(0, 0, NOW.minusSeconds(301)).build();
        ElasticNodeState before = new ElasticNodeState(new ElasticAmounts(30_000, 100 * GI, 0), Map.of(), Map.of());
        ElasticCycle.Result r = ElasticCycle.run(POLICY, List.of(input(stale, new ElasticAmounts(30_000, 100 * GI, 0))),
                Map.of("n1", before), List.of(job("ml/a", 0, 20_000), job("ml/b", 1, 10_000)), NOW);
        ElasticCycle.NodeOutcome n = r.nodes().get(0);
        assertThat(n.publish()).isEqualTo(ElasticAmounts.ZERO);
        assertThat(n.known()).isEmpty();
        assertThat(n.state().smoothed()).isEqualTo(before.smoothed());
        assertThat(n.explanations().get(ElasticResource.CPU)).isEqualTo("the metrics of node n1 are 301 s old (at most 300 s)");
        assertThat(r.reclaim().evictions()).isEmpty();

        // Fresh again: it goes on from the kept figure, not from zero, and still evicts nothing.
        ElasticCycle.Result back = ElasticCycle.run(POLICY, List.of(input(node("n1").used(0, 0, NOW.plusSeconds(60))
                .build(), ElasticAmounts.ZERO)), r.states(), List.of(job("ml/a", 0, 20_000), job("ml/b", 1, 10_000)),
                NOW.plusSeconds(60));
        assertThat(back.nodes().get(0).publish().cpuMillis()).isEqualTo(36_400);
        assertThat(back.reclaim().evictions()).isEmpty();
    }

    @Test
    void theRequestMemoryPolicyStaysKnownWhenMetricsAreStale() {
        ElasticPolicy byRequest = ElasticFormulaTest.withMemoryPolicy(ElasticPolicy.MemoryPolicy.REQUEST);
        NodeUsage stale = node("n1").used(0, 0, NOW.minusSeconds(3_600)).build();
        ElasticCycle.NodeOutcome n = ElasticCycle.run(byRequest, List.of(input(stale, new ElasticAmounts(0, 160 * GI, 0))),
                Map.of(), List.of(), NOW).nodes().get(0);
        assertThat(n.known()).containsExactly(ElasticResource.MEMORY);
        assertThat(n.publish().memoryBytes()).isEqualTo(160 * GI);
    }

    @Test
    void smallChangesPublishNothing() {
        Map<String, ElasticNodeState> states = Map.of();
        ElasticAmounts published = new ElasticAmounts(IDLE_CPU, 0, 0);
        List<Long> cpu = new ArrayList<>();
        for (long onlineUse : new long[] {0, 1_000, 2_500, 500, 3_000}) {
            NodeUsage u = node("n1").used(onlineUse, 0, NOW).online("ml/web", cpu(8_000), cpu(onlineUse)).build();
            ElasticCycle.Result r = ElasticCycle.run(POLICY, List.of(input(u, published)), states, List.of(), NOW);
            states = r.states();
            published = r.nodes().get(0).publish();
            cpu.add(published.cpuMillis());
        }
        assertThat(cpu).containsOnly(IDLE_CPU);
    }

    /**
     * Online usage jumps from nothing to over the threshold: the target falls from 38 400m to 0
     * at once. Koordinator would publish 0 and evict all six elastic pods in one go; here the
     * figure falls by 6 400m an interval and each interval evicts only what no longer fits.
     */
    @Test
    void aSharpDropEvictsStepByStepNotAllAtOnce() {
        List<ElasticPod> jobs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            jobs.add(job("ml/job-" + i, i, 6_000));
        }
        Map<String, ElasticNodeState> states = Map.of("n1", ElasticNodeState.initial(new ElasticAmounts(IDLE_CPU, 0, 0)));
        List<List<String>> evictedPerInterval = new ArrayList<>();
        List<Long> publishedPerInterval = new ArrayList<>();
        Instant t = NOW;
        for (int interval = 0; interval < 7; interval++) {
            NodeUsage busy = node("n1").used(60_000, 0, t).online("ml/web", cpu(64_000), cpu(60_000)).build();
            ElasticCycle.Result r = ElasticCycle.run(POLICY, List.of(input(busy, ElasticAmounts.ZERO)), states, jobs, t);
            states = r.states();
            List<String> evicted = r.reclaim().evictions().stream().map(ReclaimPlanner.Eviction::podKey).toList();
            evictedPerInterval.add(evicted);
            publishedPerInterval.add(r.nodes().get(0).publish().cpuMillis());
            jobs.removeIf(j -> evicted.contains(j.key()));
            t = t.plusSeconds(60);
        }
        assertThat(publishedPerInterval).containsExactly(32_000L, 25_600L, 19_200L, 12_800L, 6_400L, 0L, 0L);
        assertThat(evictedPerInterval).containsExactly(List.of("ml/job-5"), List.of("ml/job-4"), List.of("ml/job-3"),
                List.of("ml/job-2"), List.of("ml/job-1"), List.of("ml/job-0"), List.of());
    }

    @Test
    void withAStepOfAHundredPercentADropEvictsAtOnceWithinTheBudget() {
        ElasticPolicy jumpy = new ElasticPolicy(true, 60, 60, 65, ElasticPolicy.MemoryPolicy.USAGE, 300, 5, 100,
                new ElasticPolicy.Reclaim(true, 4), POLICY.resources(), false, POLICY.idleGpu(), POLICY.gpuTelemetry());
        List<ElasticPod> jobs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            jobs.add(job("ml/job-" + i, i, 6_000));
        }
        NodeUsage busy = node("n1").used(60_000, 0, NOW).online("ml/web", cpu(64_000), cpu(60_000)).build();
        ElasticCycle.Result r = ElasticCycle.run(jumpy, List.of(input(busy, new ElasticAmounts(IDLE_CPU, 0, 0))), Map.of(),
                jobs, NOW);
        assertThat(r.reclaim().evictions()).hasSize(4);
        assertThat(r.reclaim().deferred()).hasSize(1);
    }

    @Test
    void aFigureStillClimbingDoesNotEvict() {
        // Restarted with nothing published: the smoothed figure starts at 0, the target is 38 400m.
        ElasticCycle.Result r = ElasticCycle.run(POLICY, List.of(input(node("n1").used(0, 0, NOW).build(),
                ElasticAmounts.ZERO)), Map.of(), List.of(job("ml/a", 0, 30_000)), NOW);
        assertThat(r.nodes().get(0).publish().cpuMillis()).isEqualTo(6_400);
        assertThat(r.reclaim().evictions()).isEmpty();
    }

    @Test
    void reclaimCanBeTurnedOff() {
        ElasticPolicy noReclaim = new ElasticPolicy(true, 60, 60, 65, ElasticPolicy.MemoryPolicy.USAGE, 300, 5, 100,
                new ElasticPolicy.Reclaim(false, 4), POLICY.resources(), false, POLICY.idleGpu(), POLICY.gpuTelemetry());
        NodeUsage busy = node("n1").used(60_000, 0, NOW).online("ml/web", cpu(64_000), cpu(60_000)).build();
        ElasticCycle.Result r = ElasticCycle.run(noReclaim, List.of(input(busy, ElasticAmounts.ZERO)), Map.of(),
                List.of(job("ml/a", 0, 30_000)), NOW);
        assertThat(r.reclaim()).isEqualTo(ReclaimPlanner.Plan.NONE);
    }

    @Test
    void gpusAreLentOnlyWhenTheOperatorTurnsItOn() {
        GpuTelemetry idle = new GpuTelemetry(NOW, List.of(
                new GpuSample("GPU-0", 0, 0, 1_000, 79_000, Set.of("ml/infer"), false),
                new GpuSample("GPU-1", 1, 0, 1_000, 79_000, Set.of("ml/infer"), false)));
        NodeUsage u = node("n1").used(1_000, 0, NOW).online("ml/infer", cpu(2_000), cpu(1_000)).build();
        Map<String, java.time.Instant> since = new HashMap<>();
        since.put("GPU-0", NOW.minusSeconds(3_600));
        since.put("GPU-1", NOW.minusSeconds(3_600));
        ElasticNodeState before = new ElasticNodeState(new ElasticAmounts(IDLE_CPU, 0, 2), since, Map.of());
        ElasticPod borrower = new ElasticPod("ml/borrower", "n1", 0, NOW, new ElasticAmounts(0, 0, 2));

        // Off (the default): nothing lent, a figure left from before is taken back, no GPU reclaim.
        ElasticCycle.Result off = ElasticCycle.run(POLICY, List.of(new NodeInput(u, idle, 8, new ElasticAmounts(IDLE_CPU,
                0, 2))), Map.of("n1", before), List.of(borrower), NOW);
        assertThat(off.nodes().get(0).publish().gpus()).isZero();
        assertThat(off.nodes().get(0).known()).doesNotContain(ElasticResource.GPU);
        assertThat(off.reclaim().evictions()).isEmpty();

        ElasticPolicy lend = new ElasticPolicy(true, 60, 60, 65, ElasticPolicy.MemoryPolicy.USAGE, 300, 5, 10,
                POLICY.reclaim(), POLICY.resources(), true, POLICY.idleGpu(), POLICY.gpuTelemetry());
        ElasticCycle.Result on = ElasticCycle.run(lend, List.of(new NodeInput(u, idle, 8, new ElasticAmounts(IDLE_CPU, 0,
                2))), Map.of("n1", before), List.of(borrower), NOW);
        assertThat(on.nodes().get(0).publish().gpus()).isEqualTo(2);
        assertThat(on.nodes().get(0).known()).isEqualTo(EnumSet.allOf(ElasticResource.class));
        assertThat(on.reclaim().evictions()).isEmpty();

        // The service wakes up on both GPUs and the borrower is gone: the figure steps down one GPU at a time.
        GpuTelemetry busy = new GpuTelemetry(NOW, List.of(
                new GpuSample("GPU-0", 0, 90, 60_000, 20_000, Set.of("ml/infer"), false),
                new GpuSample("GPU-1", 1, 90, 60_000, 20_000, Set.of("ml/infer"), false)));
        ElasticCycle.Result woke = ElasticCycle.run(lend, List.of(new NodeInput(u, busy, 8, ElasticAmounts.ZERO)),
                on.states(), List.of(), NOW.plusSeconds(60));
        assertThat(woke.nodes().get(0).target().gpus()).isZero();
        assertThat(woke.nodes().get(0).publish().gpus()).isEqualTo(1);
    }

    @Test
    void nodesChangeOnlyWhenThePublishedFigureDiffers() {
        ElasticCycle.NodeOutcome n = ElasticCycle.run(POLICY, List.of(input(node("n1").used(0, 0, NOW).build(),
                new ElasticAmounts(IDLE_CPU, 0, 0))), Map.of(), List.of(), NOW).nodes().get(0);
        assertThat(n.changed(new ElasticAmounts(IDLE_CPU, 0, 0))).isTrue();
        assertThat(n.changed(n.publish())).isFalse();
    }
}
