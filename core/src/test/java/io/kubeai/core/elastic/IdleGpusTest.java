package io.kubeai.core.elastic;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeai.core.config.ElasticPolicy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class IdleGpusTest {
    static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
    /** Idle: util ≤ 5 %, ≥ 8192 MiB free, for 600 s. */
    static final ElasticPolicy POLICY = ElasticPolicy.DEFAULT;
    static final Set<String> ONLINE = Set.of("ml/infer-0", "ml/infer-1");
    static final ElasticNodeState FRESH = ElasticNodeState.initial(ElasticAmounts.ZERO);

    static GpuSample gpu(int index, double util, double freeMiB, String... pods) {
        return new GpuSample("GPU-" + index, index, util, 81_920 - freeMiB, freeMiB, Set.of(pods), false);
    }

    static ElasticNodeState idleSince(Instant t, String... uuids) {
        Map<String, Instant> m = new java.util.HashMap<>();
        for (String u : uuids) {
            m.put(u, t);
        }
        return new ElasticNodeState(ElasticAmounts.ZERO, m, Map.of());
    }

    record Case(String name, List<GpuSample> gpus, long borrowed, ElasticNodeState before, List<String> want) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final ElasticNodeState LONG_IDLE = idleSince(NOW.minusSeconds(600), "GPU-0", "GPU-1", "GPU-2", "GPU-3");

    static Stream<Case> cases() {
        return Stream.of(
                new Case("an online pod's GPU idle long enough is lent",
                        List.of(gpu(0, 0, 70_000, "ml/infer-0")), 0, LONG_IDLE, List.of("GPU-0")),
                new Case("idle, but not long enough yet",
                        List.of(gpu(0, 0, 70_000, "ml/infer-0")), 0, idleSince(NOW.minusSeconds(599), "GPU-0"),
                        List.of()),
                new Case("first seen idle: the clock starts now",
                        List.of(gpu(0, 0, 70_000, "ml/infer-0")), 0, FRESH, List.of()),
                new Case("busy compute is not lent",
                        List.of(gpu(0, 6, 70_000, "ml/infer-0")), 0, LONG_IDLE, List.of()),
                new Case("too little free memory is not lent",
                        List.of(gpu(0, 0, 8_191, "ml/infer-0")), 0, LONG_IDLE, List.of()),
                new Case("a GPU no pod holds is for regular pods, not lent",
                        List.of(gpu(0, 0, 80_000)), 0, LONG_IDLE, List.of()),
                new Case("a GPU an elastic pod holds is not lent",
                        List.of(gpu(0, 0, 80_000, "ml/elastic-job")), 0, LONG_IDLE, List.of()),
                new Case("a GPU shared by an online and an elastic pod is not lent",
                        List.of(gpu(0, 0, 80_000, "ml/infer-0", "ml/elastic-job")), 0, LONG_IDLE, List.of()),
                new Case("a MIG-partitioned GPU is not lent whole",
                        List.of(new GpuSample("GPU-0", 0, 0, 0, 80_000, Set.of("ml/infer-0"), true)), 0, LONG_IDLE,
                        List.of()),
                new Case("unreported utilisation is not idleness",
                        List.of(gpu(0, Double.NaN, 70_000, "ml/infer-0")), 0, LONG_IDLE, List.of()),
                new Case("several, by index",
                        List.of(gpu(1, 0, 70_000, "ml/infer-1"), gpu(0, 1, 70_000, "ml/infer-0"),
                                gpu(2, 90, 10_000, "ml/infer-0")), 0, LONG_IDLE, List.of("GPU-0", "GPU-1")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void lendsGpusOnlineServicesHoldButDoNotUse(Case c) {
        IdleGpus.Assessment a = IdleGpus.assess(POLICY, "gpu-a", new GpuTelemetry(NOW.minusSeconds(10), c.gpus), ONLINE,
                c.borrowed, c.before, NOW);
        assertThat(a.known()).isTrue();
        assertThat(a.lendableUuids()).as(a.explanation()).isEqualTo(c.want);
        assertThat(a.lendable()).isEqualTo(c.want.size());
    }

    @Test
    void anInterruptionRestartsTheIdleClock() {
        IdleGpus.Assessment busy = IdleGpus.assess(POLICY, "gpu-a", new GpuTelemetry(NOW, List.of(gpu(0, 50, 70_000,
                "ml/infer-0"))), ONLINE, 0, LONG_IDLE, NOW);
        assertThat(busy.idleSince()).isEmpty();
        IdleGpus.Assessment idleAgain = IdleGpus.assess(POLICY, "gpu-a", new GpuTelemetry(NOW.plusSeconds(60),
                List.of(gpu(0, 0, 70_000, "ml/infer-0"))), ONLINE, 0, new ElasticNodeState(ElasticAmounts.ZERO,
                        busy.idleSince(), busy.lent()), NOW.plusSeconds(60));
        assertThat(idleAgain.idleSince()).containsEntry("GPU-0", NOW.plusSeconds(60));
        assertThat(idleAgain.lendable()).isZero();
    }

    @Test
    void aLentGpuBusyWithItsBorrowerStaysLentWhileBorrowedAndItsOwnerUnchanged() {
        IdleGpus.Assessment first = IdleGpus.assess(POLICY, "gpu-a", new GpuTelemetry(NOW, List.of(
                gpu(0, 0, 70_000, "ml/infer-0"), gpu(1, 0, 70_000, "ml/infer-1"))), ONLINE, 0, LONG_IDLE, NOW);
        assertThat(first.lendableUuids()).containsExactly("GPU-0", "GPU-1");
        ElasticNodeState after = new ElasticNodeState(ElasticAmounts.ZERO, first.idleSince(), first.lent());
        Instant later = NOW.plusSeconds(60);
        // One elastic pod now borrows one GPU and keeps GPU-0 busy.
        List<GpuSample> busy = List.of(gpu(0, 97, 30_000, "ml/infer-0"), gpu(1, 0, 70_000, "ml/infer-1"));
        IdleGpus.Assessment borrowed = IdleGpus.assess(POLICY, "gpu-a", new GpuTelemetry(later, busy), ONLINE, 1, after,
                later);
        assertThat(borrowed.lendableUuids()).as(borrowed.explanation()).containsExactly("GPU-1");
        // Two borrowers: the busy one stays lent as well.
        IdleGpus.Assessment two = IdleGpus.assess(POLICY, "gpu-a", new GpuTelemetry(later, busy), ONLINE, 2, after, later);
        assertThat(two.lendableUuids()).containsExactly("GPU-1", "GPU-0");
        assertThat(two.explanation()).isEqualTo("node gpu-a lends 2 of 2 GPUs: 1 idle for 600 s (util ≤ 5 %, ≥ 8192 MiB"
                + " free), 1 still lent, 0 busy or not idle long enough, 0 not held by online pods");
        // No borrowers left: a busy GPU is its owner's again.
        assertThat(IdleGpus.assess(POLICY, "gpu-a", new GpuTelemetry(later, busy), ONLINE, 0, after, later)
                .lendableUuids()).containsExactly("GPU-1");
        // The owner changed (the service was redeployed): not lent any more.
        List<GpuSample> newOwner = List.of(gpu(0, 97, 30_000, "ml/infer-1"));
        assertThat(IdleGpus.assess(POLICY, "gpu-a", new GpuTelemetry(later, newOwner), ONLINE, 2, after, later)
                .lendableUuids()).isEmpty();
    }

    @Test
    void staleOrMissingTelemetryLendsNothingAndSaysWhy() {
        IdleGpus.Assessment stale = IdleGpus.assess(POLICY, "gpu-a", new GpuTelemetry(NOW.minusSeconds(301), List.of(
                gpu(0, 0, 70_000, "ml/infer-0"))), ONLINE, 0, LONG_IDLE, NOW);
        assertThat(stale.known()).isFalse();
        assertThat(stale.lendable()).isZero();
        assertThat(stale.explanation()).isEqualTo("the GPU telemetry of node gpu-a is 301 s old (at most 300 s)");
        IdleGpus.Assessment none = IdleGpus.assess(POLICY, "gpu-a", null, ONLINE, 0, LONG_IDLE, NOW);
        assertThat(none.known()).isFalse();
        assertThat(none.explanation()).isEqualTo("node gpu-a has no GPU telemetry");
    }
}
