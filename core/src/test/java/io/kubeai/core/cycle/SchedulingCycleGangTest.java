package io.kubeai.core.cycle;

import static io.kubeai.core.cycle.World.gpus;
import static io.kubeai.core.cycle.World.twoNodes;
import static io.kubeai.core.resource.ResourceList.CPU;
import static io.kubeai.core.resource.ResourceList.GPU;
import static io.kubeai.core.resource.ResourceList.MEMORY;
import static io.kubeai.core.testing.Builders.pod;
import static io.kubeai.core.testing.Builders.queue;
import static io.kubeai.core.testing.Builders.workload;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubeai.core.resource.ResourceList;
import io.kubeai.core.workload.Workload;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Gangs are admitted whole (at least {@code minMember} pods placed at once) or hold nothing. */
class SchedulingCycleGangTest {
    private static final long GIB = 1L << 30;

    record Case(String name, World given, List<Workload> pending, List<String> want, List<String> wantRunning) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("a gang is admitted whole across nodes",
                        World.of(twoNodes(), queue("a")),
                        List.of(workload("g").queue("a").pods(3, gpus(4)).build()),
                        List.of("admit g on n1 n1 n2"),
                        List.of("g on n1 n1 n2")),
                // f1 leaves 4 GPUs on n1, f2 leaves 2 on n2: one 3-GPU pod fits, not two.
                new Case("a gang that only partly fits holds nothing and smaller work takes the room",
                        World.of(twoNodes(), queue("a"), queue("b"), queue("x"))
                                .running(0, workload("f1").queue("x").pod(gpus(4)).build(),
                                        workload("f2").queue("x").pod(gpus(6)).build()),
                        List.of(workload("g").queue("a").createdAt(0).pods(2, gpus(3)).build(),
                                workload("s1").queue("b").createdAt(1).pod(gpus(2)).build()),
                        List.of("wait g NO_PLACEMENT", "admit s1 on n2"),
                        List.of("f1 on n1", "f2 on n2", "s1 on n2")),
                new Case("a gang is admitted with minMember pods when no more fit",
                        World.of(twoNodes(), queue("a")),
                        List.of(workload("g").queue("a").pods(3, gpus(5)).minMember(2).build()),
                        List.of("admit g on n1 n2"),
                        List.of("g on n1 n2")),
                new Case("a gang of two pod sets is placed whole",
                        World.of(twoNodes(), queue("a")),
                        List.of(workload("g").queue("a").pod(pod().cpu(1000).memoryGi(1)).pods(2, gpus(8)).build()),
                        List.of("admit g on n1 n1 n2"),
                        List.of("g on n1 n1 n2")),
                new Case("a gang whose pods each fit a node but not all at once waits",
                        World.of(twoNodes(), queue("a")),
                        List.of(workload("g").queue("a").pods(3, pod().cpu(40_000).gpus(2)).build()),
                        List.of("wait g NO_PLACEMENT"),
                        List.of()),
                new Case("a smaller gang of a shape that larger ones could not place is still tried",
                        World.of(twoNodes(), queue("a")),
                        List.of(workload("g3").queue("a").createdAt(0).pods(3, pod().cpu(40_000).gpus(2)).build(),
                                workload("g4").queue("a").createdAt(1).pods(3, pod().cpu(40_000).gpus(2)).build(),
                                workload("g2").queue("a").createdAt(2).pods(2, pod().cpu(40_000).gpus(2)).build()),
                        List.of("wait g3 NO_PLACEMENT", "wait g4 NO_PLACEMENT", "admit g2 on n1 n2"),
                        List.of("g2 on n1 n2")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void admitsAGangWholeOrNotAtAll(Case c) {
        assertThat(World.summary(c.given.run(10, c.pending))).isEqualTo(c.want);
        assertThat(c.given.runningOn()).isEqualTo(c.wantRunning);
        assertThat(c.given.state.cluster().podCount())
                .isEqualTo(c.given.state.running().stream().mapToInt(a -> a.pods().size()).sum());
    }

    @Test
    void aGangAdmittedWithFewerPodsIsChargedOnlyForThem() {
        World world = World.of(twoNodes(), queue("a"));

        world.run(10, workload("g").queue("a").pods(3, gpus(5)).minMember(2).build());

        ResourceList twoPods = ResourceList.of(CPU, 10_000, MEMORY, 80 * GIB, GPU, 10_000);
        assertThat(List.of(world.admission("g").charged(), world.state.quota().usage(world.queue("a"))))
                .isEqualTo(List.of(twoPods, twoPods));
        assertThat(world.podsByNode().values()).flatExtracting(pods -> pods)
                .containsExactlyInAnyOrder("g/worker-0", "g/worker-1");
    }
}
