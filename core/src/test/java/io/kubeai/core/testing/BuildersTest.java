package io.kubeai.core.testing;

import static io.kubeai.core.testing.Builders.cluster;
import static io.kubeai.core.testing.Builders.devices;
import static io.kubeai.core.testing.Builders.node;
import static io.kubeai.core.testing.Builders.pod;
import static io.kubeai.core.testing.Builders.queue;
import static io.kubeai.core.testing.Builders.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.kubeai.core.cluster.ClusterState;
import io.kubeai.core.cluster.Node;
import io.kubeai.core.resource.ExtendedResources;
import io.kubeai.core.resource.GpuModels;
import io.kubeai.core.queue.QueueSpec;
import io.kubeai.core.queue.QueueingStrategy;
import io.kubeai.core.resource.PodRequest;
import io.kubeai.core.resource.ResourceLimits;
import io.kubeai.core.resource.ResourceList;
import io.kubeai.core.workload.PodSet;
import io.kubeai.core.workload.Workload;
import java.util.List;
import org.junit.jupiter.api.Test;

class BuildersTest {
    private static final long GIB = 1L << 30;

    @Test
    void aPodBuilderSetsOnlyWhatItIsTold() {
        assertThat(pod().cpu(4000).memoryGi(8).gpus(1, 500).models("V100M16", "V100M32").build())
                .isEqualTo(new PodRequest(4000, 8 * GIB, 1, 500, GpuModels.parse("V100M16|V100M32"),
                        ExtendedResources.NONE));
        assertThat(pod().gpus(2).extended("example.com/fpga", 1).build())
                .isEqualTo(new PodRequest(0, 0, 2, 1000, GpuModels.ANY, ExtendedResources.of("example.com/fpga", 1)));
        assertThat(pod().gpuShare(250).build()).isEqualTo(pod().gpus(1, 250).build());
    }

    @Test
    void aNodeBuilderSetsOnlyWhatItIsTold() {
        assertThat(node("n1").cpu(64_000).memoryGi(256).gpus(8, "G2").build())
                .isEqualTo(Node.of("n1", 64_000, 256 * GIB, 8, "G2"));
        assertThat(node("n0").cpu(1000).build()).isEqualTo(Node.of("n0", 1000, 0, 0, ""));
    }

    @Test
    void aClusterBuilderReachesTheStateItDescribes() {
        ClusterState state = cluster(node("n1").cpu(8000).gpus(4, "G").build())
                .gpuFree("n1", 1000, 300, 0, 1000)
                .cpuFree("n1", 2000)
                .place("p", pod().gpus(1, 300).build(), "n1", 1)
                .build();

        int[] free = new int[4];
        state.node(0).copyGpuFree(free);
        assertThat(free).containsExactly(1000, 0, 0, 1000);
        assertThat(state.node(0).cpuFreeMillis()).isEqualTo(2000);
        assertThat(state.placements()).extracting(p -> p.podId())
                .isEqualTo(List.of("fill/n1/1", "fill/n1/2", "fill/n1/cpu", "p"));
    }

    @Test
    void aClusterBuilderRefusesAFreeListOfTheWrongLength() {
        Throwable thrown = catchThrowable(() -> cluster(node("n1").gpus(2, "G").build()).gpuFree("n1", 1000));

        assertThat(thrown).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("node n1 has 2 devices, 1 values given");
    }

    @Test
    void devicesMakesABitMaskOfDeviceIndexes() {
        assertThat(List.of(devices(), devices(0), devices(0, 2), devices(7))).isEqualTo(List.of(0, 1, 5, 128));
    }

    @Test
    void aWorkloadBuilderNeedsEveryPodByDefault() {
        Workload w = workload("train").queue("cv").priority(5).createdAt(30).timeout(600)
                .pods(2, pod().gpus(4)).pod(pod().cpu(1000)).build();

        assertThat(List.of(w.id(), w.queue(), w.priority(), w.createdAtSeconds(), w.timeoutSeconds(), w.minMember(),
                w.podSets()))
                .isEqualTo(List.of("train", "cv", 5, 30L, 600L, 3, List.of(
                        new PodSet("worker", 2, pod().gpus(4).build()),
                        new PodSet("worker-1", 1, pod().cpu(1000).build()))));
        assertThat(workload("w").pods(4, pod().gpus(1)).minMember(2).build().minMember()).isEqualTo(2);
        assertThat(workload("w").pod(pod().gpus(1)).build().queue()).isEqualTo("default");
    }

    @Test
    void aQueueBuilderSetsOnlyWhatItIsTold() {
        assertThat(queue("cv").parent("org").minGpus(8).min(ResourceList.CPU, 16_000).maxGpus(16)
                .borrowingLimitGpus(4).lendingLimitGpus(2).weight(3).priority(1).strictFifo().build())
                .isEqualTo(new QueueSpec("cv", "org", ResourceList.of(ResourceList.GPU, 8000, ResourceList.CPU, 16_000),
                        ResourceLimits.of(ResourceList.GPU, 16_000), 3, ResourceLimits.of(ResourceList.GPU, 4000),
                        ResourceLimits.of(ResourceList.GPU, 2000), 1, QueueingStrategy.STRICT_FIFO));
        assertThat(queue("q").build()).isEqualTo(QueueSpec.named("q").build());
    }
}
