package io.kubeai.core.cycle;

import static io.kubeai.core.cycle.World.gpus;
import static io.kubeai.core.cycle.World.twoNodes;
import static io.kubeai.core.resource.ResourceList.CPU;
import static io.kubeai.core.resource.ResourceList.GPU;
import static io.kubeai.core.resource.ResourceList.MEMORY;
import static io.kubeai.core.testing.Builders.queue;
import static io.kubeai.core.testing.Builders.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.kubeai.core.resource.ResourceList;
import io.kubeai.core.workload.Admission;
import io.kubeai.core.workload.Workload;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchedulingStateTest {
    private static final long GIB = 1L << 30;

    private static World world() {
        return World.of(twoNodes(), queue("a"), queue("b"))
                .running(5, workload("a1").queue("a").pods(2, gpus(4)).build());
    }

    @Test
    void anAdmissionHoldsItsPodsAndChargesItsQueue() {
        World world = world();

        Admission a = world.admission("a1");

        ResourceList charge = ResourceList.of(CPU, 8000, MEMORY, 64 * GIB, GPU, 8000);
        assertThat(List.of(a.queueIndex(), a.charged(), a.admittedAtSeconds(), world.podsByNode(),
                world.state.quota().usage(world.queue("a"))))
                .isEqualTo(List.of(world.queue("a"), charge, 5L, Map.of("n1", List.of("a1/worker-0", "a1/worker-1")),
                        charge));
    }

    @Test
    void evictingTakesBackPodsAndCharge() {
        World world = world();

        Admission evicted = world.state.evict("a1").orElseThrow();

        assertThat(evicted.workload().id()).isEqualTo("a1");
        assertThat(List.of(world.state.running().size(), world.state.cluster().podCount(),
                world.state.quota().usage(world.queue("a"))))
                .isEqualTo(List.of(0, 0, ResourceList.EMPTY));
        assertThat(world.state.evict("a1")).isEmpty();
    }

    @Test
    void admitReplaysAPlanMadeOnACopy() {
        World world = world();
        SchedulingState copy = world.state.copy();
        Workload b1 = workload("b1").queue("b").pod(gpus(8)).build();

        Decision.Admit decided = World.cycle(CycleConfig.DEFAULT).run(copy, List.of(b1), 6,
                new java.util.SplittableRandom(0)).admitted().get(0);

        assertThat(world.state.admission("b1")).as("the live state is untouched").isEmpty();
        world.state.admit(b1, world.queue("b"), decided.pods(), 6);
        assertThat(world.runningOn()).isEqualTo(List.of("a1 on n1 n1", "b1 on n2"));
        assertThat(world.state.quota().usage(world.queue("b")))
                .isEqualTo(copy.quota().usage(world.queue("b")));
    }

    @Test
    void aCopyAndItsOriginalChangeIndependently() {
        World world = world();
        SchedulingState copy = world.state.copy();

        copy.evict("a1");

        assertThat(world.runningOn()).isEqualTo(List.of("a1 on n1 n1"));
        assertThat(world.state.cluster().podCount()).isEqualTo(2);
        assertThat(copy.running()).isEmpty();
    }

    @Test
    void aWorkloadIsAdmittedOnce() {
        World world = world();
        Admission a = world.admission("a1");

        Throwable thrown = catchThrowable(() -> world.state.commit(a.workload(), a.queueIndex(), List.of(), 6));

        assertThat(thrown).isInstanceOf(IllegalStateException.class).hasMessage("workload a1 is already running");
    }
}
