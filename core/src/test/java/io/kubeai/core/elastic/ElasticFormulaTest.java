package io.kubeai.core.elastic;

import static io.kubeai.core.elastic.NodeUsageBuilder.GI;
import static io.kubeai.core.elastic.NodeUsageBuilder.cpu;
import static io.kubeai.core.elastic.NodeUsageBuilder.mem;
import static io.kubeai.core.elastic.NodeUsageBuilder.node;
import static io.kubeai.core.elastic.NodeUsageBuilder.use;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubeai.core.config.ElasticPolicy;
import io.kubeai.core.config.ElasticPolicy.MemoryPolicy;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ElasticFormulaTest {
    static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
    /** 60 % CPU threshold: 40 % of 64 cores (25 600m) is kept back. */
    static final ElasticPolicy POLICY = ElasticPolicy.DEFAULT;

    record Case(String name, NodeUsage given, long wantValue, boolean wantKnown) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cpuCases() {
        return Stream.of(
                new Case("an idle node lends all but the part kept back",
                        node("n").used(0, 0, NOW).build(), 38_400, true),
                new Case("the usage of online pods is subtracted",
                        node("n").used(10_000, 0, NOW).online("ml/web", cpu(16_000), cpu(6_000))
                                .online("ml/db", cpu(8_000), cpu(4_000)).build(), 38_400 - 10_000, true),
                new Case("the usage of elastic pods is not: it is what lending is for",
                        node("n").used(20_000, 0, NOW).online("ml/web", cpu(16_000), cpu(6_000))
                                .elastic("ml/job", cpu(0), cpu(14_000)).build(), 38_400 - 6_000, true),
                new Case("an online pod without metrics counts at its request",
                        node("n").used(6_000, 0, NOW).online("ml/web", cpu(16_000), cpu(6_000))
                                .online("ml/new", cpu(10_000), null).build(), 38_400 - 6_000 - 10_000, true),
                new Case("an online pod with stale metrics counts at its request",
                        node("n").used(6_000, 0, NOW).podsMeasuredAt(NOW.minusSeconds(301))
                                .online("ml/old", cpu(10_000), cpu(1_000)).build(),
                        // its stale 1000m is not subtracted from the node's usage either: system 6000m
                        38_400 - 6_000 - 10_000, true),
                new Case("what the node uses beyond its pods is the system's",
                        node("n").used(9_000, 0, NOW).online("ml/web", cpu(16_000), cpu(6_000)).build(),
                        38_400 - 3_000 - 6_000, true),
                new Case("the system's reservation counts when it is more than it uses",
                        node("n").allocatable(60_000, 256 * GI).used(7_000, 0, NOW)
                                .online("ml/web", cpu(16_000), cpu(6_000)).build(), 38_400 - 4_000 - 6_000, true),
                new Case("a node busier than its threshold lends nothing, never less",
                        node("n").used(50_000, 0, NOW).online("ml/web", cpu(64_000), cpu(50_000)).build(), 0, true),
                new Case("a sample exactly at the maximum age still counts",
                        node("n").used(0, 0, NOW.minusSeconds(300)).build(), 38_400, true),
                new Case("a node without metrics lends nothing",
                        node("n").build(), 0, false),
                new Case("a node whose metrics are older than the maximum age lends nothing",
                        node("n").used(0, 0, NOW.minusSeconds(301)).build(), 0, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cpuCases")
    void cpuFollowsKoordinatorsUsageFormula(Case c) {
        ElasticFormula.Estimate e = ElasticFormula.cpu(POLICY, c.given, NOW);
        assertThat(new Object[] {e.value(), e.known()}).as(e.explanation()).containsExactly(c.wantValue, c.wantKnown);
    }

    static Stream<Case> memoryByRequestCases() {
        return Stream.of(
                new Case("capacity times the threshold, less what online pods request",
                        node("n").used(0, 100 * GI, NOW).online("ml/web", mem(64 * GI), mem(8 * GI)).build(),
                        // 256Gi × 65 % = 166.4Gi, rounded to bytes the reserve is rounded up
                        256 * GI - reserve(256 * GI, 65) - 64 * GI, true),
                new Case("what elastic pods request is not subtracted",
                        node("n").online("ml/web", mem(64 * GI), null).elastic("ml/job", mem(100 * GI), null).build(),
                        256 * GI - reserve(256 * GI, 65) - 64 * GI, true),
                new Case("the system's reservation is subtracted, as Koordinator does",
                        node("n").allocatable(64_000, 250 * GI).online("ml/web", mem(64 * GI), null).build(),
                        256 * GI - reserve(256 * GI, 65) - 6 * GI - 64 * GI, true),
                new Case("needs no metrics at all, so never goes stale",
                        node("n").used(0, 0, NOW.minusSeconds(86_400)).online("ml/web", mem(64 * GI), null).build(),
                        256 * GI - reserve(256 * GI, 65) - 64 * GI, true),
                new Case("requests beyond the threshold lend nothing",
                        node("n").online("ml/web", mem(200 * GI), null).build(), 0, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("memoryByRequestCases")
    void memoryByRequestCountsRequestsNotUsage(Case c) {
        ElasticPolicy byRequest = withMemoryPolicy(MemoryPolicy.REQUEST);
        ElasticFormula.Estimate e = ElasticFormula.memory(byRequest, c.given, NOW);
        assertThat(new Object[] {e.value(), e.known()}).as(e.explanation()).containsExactly(c.wantValue, c.wantKnown);
    }

    @Test
    void memoryByUsageUsesItsOwnThreshold() {
        NodeUsage n = node("n").used(0, 40 * GI, NOW).online("ml/web", mem(64 * GI), mem(32 * GI)).build();
        ElasticFormula.Estimate e = ElasticFormula.memory(POLICY, n, NOW);
        assertThat(e.value()).isEqualTo(256 * GI - reserve(256 * GI, 65) - 8 * GI - 32 * GI);
    }

    @Test
    void theExplanationWritesTheSumOut() {
        NodeUsage n = node("gpu-a").used(9_000, 0, NOW).online("ml/web", cpu(16_000), cpu(6_000))
                .online("ml/new", cpu(2_000), null).build();
        assertThat(ElasticFormula.cpu(POLICY, n, NOW)).isEqualTo(new ElasticFormula.Estimate(27_400, true,
                "elastic cpu 27400m = capacity 64000m − reserve 25600m (40 % kept back) − system 3000m used"
                        + " − online pods 8000m (1 measured, 1 at request)"));
        assertThat(ElasticFormula.cpu(POLICY, node("gpu-a").used(0, 0, NOW.minusSeconds(400)).build(), NOW))
                .isEqualTo(new ElasticFormula.Estimate(0, false, "the metrics of node gpu-a are 400 s old (at most 300 s)"));
    }

    @Test
    void theReserveIsRoundedUp() {
        assertThat(ElasticFormula.reserve(1001, 60)).isEqualTo(401);
        assertThat(ElasticFormula.reserve(1000, 60)).isEqualTo(400);
        assertThat(ElasticFormula.reserve(1000, 100)).isZero();
        assertThat(ElasticFormula.reserve(1000, 0)).isEqualTo(1000);
    }

    static long reserve(long capacity, int threshold) {
        return ElasticFormula.reserve(capacity, threshold);
    }

    static ElasticPolicy withMemoryPolicy(MemoryPolicy m) {
        ElasticPolicy d = ElasticPolicy.DEFAULT;
        return new ElasticPolicy(d.enabled(), d.intervalSeconds(), d.cpuReclaimThresholdPercent(),
                d.memoryReclaimThresholdPercent(), m, d.metricsMaxAgeSeconds(), d.hysteresisPercent(), d.maxStepPercent(),
                d.reclaim(), d.resources(), d.lendIdleGpus(), d.idleGpu(), d.gpuTelemetry());
    }
}
