package io.kubeai.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kubeai.core.cluster.Node;
import io.kubeai.core.resource.ExtendedResources;
import io.kubeai.core.resource.GpuModels;
import io.kubeai.core.resource.PodRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class KubeConversionsTest {
    private static final long GI = 1L << 30;
    private static final long MI = 1L << 20;

    @Test
    void aNodeKeepsItsAllocatableGpuModelAndExtendedResources() {
        io.fabric8.kubernetes.api.model.Node n = new NodeBuilder().withNewMetadata().withName("n1")
                .withLabels(Map.of(KubeAiNames.GPU_PRODUCT_LABEL, "A100", KubeAiNames.GPU_MODEL_LABEL, "ignored"))
                .endMetadata().withNewStatus().withAllocatable(Map.of("cpu", new Quantity("63500m"), "memory",
                        new Quantity("250Gi"), "pods", new Quantity("110"), KubeAiNames.GPU_RESOURCE, new Quantity("8"),
                        KubeAiNames.ELASTIC_CPU, new Quantity("12000"), "hugepages-2Mi", new Quantity("0")))
                .endStatus().build();
        assertThat(KubeConversions.node(n)).isEqualTo(new Node("n1", 63_500, 250 * GI, 8, "A100",
                ExtendedResources.of(KubeAiNames.ELASTIC_CPU, 12_000)));
    }

    @Test
    void aCpuNodeHasNoModelEvenWithALabel() {
        io.fabric8.kubernetes.api.model.Node n = new NodeBuilder().withNewMetadata().withName("c")
                .withLabels(Map.of(KubeAiNames.GPU_MODEL_LABEL, "T4")).endMetadata().withNewStatus()
                .withAllocatable(Map.of("cpu", new Quantity("4"), "memory", new Quantity("8Gi"))).endStatus().build();
        assertThat(KubeConversions.node(n)).isEqualTo(Node.of("c", 4000, 8 * GI, 0, ""));
    }

    record Case(String name, Pod pod, PodRequest expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> requests() {
        return Stream.of(
                new Case("containers add up", pod(List.of(c("1", "1Gi", null), c("500m", "512Mi", null)), List.of(), null, Map.of()),
                        PodRequest.cpuOnly(1500, GI + 512 * MI)),
                new Case("the largest init container counts when larger",
                        pod(List.of(c("1", "1Gi", null)), List.of(c("4", "512Mi", null)), null, Map.of()),
                        PodRequest.cpuOnly(4000, GI)),
                new Case("overhead is added", pod(List.of(c("1", "1Gi", null)), List.of(),
                        Map.of("cpu", new Quantity("250m"), "memory", new Quantity("120Mi")), Map.of()),
                        PodRequest.cpuOnly(1250, GI + 120 * MI)),
                new Case("a GPU limit is its request", pod(List.of(c("8", "64Gi", "4")), List.of(), null, Map.of()),
                        PodRequest.cpuOnly(8000, 64 * GI).withGpus(4, 1000)),
                new Case("a share of one GPU", pod(List.of(c("2", "8Gi", "1")), List.of(), null,
                        Map.of(KubeAiNames.GPU_MILLI, "300")), PodRequest.cpuOnly(2000, 8 * GI).withGpus(1, 300)),
                new Case("accepted models", pod(List.of(c("2", "8Gi", "1")), List.of(), null,
                        Map.of(KubeAiNames.GPU_MODELS, "H100|A100")),
                        PodRequest.cpuOnly(2000, 8 * GI).withGpus(1, 1000).withGpuModels(GpuModels.of("A100", "H100"))),
                new Case("no requests at all", pod(List.of(new ContainerBuilder().withName("c").build()), List.of(), null,
                        Map.of()), PodRequest.cpuOnly(0, 0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requests")
    void aPodRequestIsWhatTheSchedulerCharges(Case c) {
        assertThat(KubeConversions.request(c.pod())).isEqualTo(c.expected());
    }

    @Test
    void unreadableGpuSharesNameTheField() {
        Pod bad = pod(List.of(c("1", "1Gi", "2")), List.of(), null, Map.of(KubeAiNames.GPU_MILLI, "500"));
        assertThatThrownBy(() -> KubeConversions.request(bad)).isInstanceOf(InvalidObjectException.class)
                .hasMessage("pod ml/p metadata.annotations.kubeai.io/gpu-milli: expected 1..1000 with nvidia.com/gpu: 1 "
                        + "(a share is of one GPU), found 500 with 2 GPUs");
        Pod badQuantity = pod(List.of(c("lots", "1Gi", null)), List.of(), null, Map.of());
        assertThatThrownBy(() -> KubeConversions.request(badQuantity)).isInstanceOf(InvalidObjectException.class)
                .hasMessageContaining("spec.containers[0].resources.cpu");
    }

    @Test
    void gangsAreReadFromEveryConvention() {
        assertThat(gangOf(Map.of(KubeAiNames.GANG, "a"), Map.of()))
                .contains(new GangRef("ml", "a", GangRef.Source.KUBEAI_LABEL));
        assertThat(gangOf(Map.of(KubeAiNames.SCHEDULER_PLUGINS_POD_GROUP, "b"), Map.of()))
                .contains(new GangRef("ml", "b", GangRef.Source.SCHEDULER_PLUGINS_LABEL));
        assertThat(gangOf(Map.of(), Map.of(KubeAiNames.VOLCANO_GROUP_NAME, "c")))
                .contains(new GangRef("ml", "c", GangRef.Source.VOLCANO_ANNOTATION));
        assertThat(gangOf(Map.of(KubeAiNames.KUBEFLOW_JOB_NAME, "d", KubeAiNames.KUBEFLOW_REPLICA_TYPE, "worker"), Map.of()))
                .contains(new GangRef("ml", "d", GangRef.Source.KUBEFLOW_LABELS));
        assertThat(gangOf(Map.of(KubeAiNames.GANG, "ours", KubeAiNames.SCHEDULER_PLUGINS_POD_GROUP, "theirs"), Map.of()))
                .map(GangRef::name).contains("ours");
        assertThat(gangOf(Map.of(), Map.of())).isEmpty();
    }

    @Test
    void gpuDevicesRoundTripThroughTheAnnotation() {
        assertThat(KubeConversions.gpuDevicesAnnotation(0b1011)).isEqualTo("0,1,3");
        Pod p = pod(List.of(c("1", "1Gi", "3")), List.of(), null, Map.of(KubeAiNames.GPU_DEVICES, "0,1,3"));
        assertThat(KubeConversions.gpuDevices(p)).isEqualTo(0b1011);
        Pod junk = pod(List.of(c("1", "1Gi", "3")), List.of(), null, Map.of(KubeAiNames.GPU_DEVICES, "x"));
        assertThat(KubeConversions.gpuDevices(junk)).isZero();
    }

    private static Optional<GangRef> gangOf(Map<String, String> labels, Map<String, String> annotations) {
        Pod p = new PodBuilder().withNewMetadata().withName("w").withNamespace("ml").withLabels(labels)
                .withAnnotations(annotations).endMetadata().build();
        return KubeConversions.gang(p);
    }

    private static Container c(String cpu, String memory, String gpus) {
        Map<String, Quantity> req = new HashMap<>(Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory)));
        Map<String, Quantity> lim = new HashMap<>();
        if (gpus != null) {
            lim.put(KubeAiNames.GPU_RESOURCE, new Quantity(gpus));
        }
        return new ContainerBuilder().withName("c").withNewResources().withRequests(req).withLimits(lim).endResources().build();
    }

    private static Pod pod(List<Container> containers, List<Container> inits, Map<String, Quantity> overhead,
            Map<String, String> annotations) {
        return new PodBuilder().withNewMetadata().withName("p").withNamespace("ml").withAnnotations(annotations)
                .endMetadata().withNewSpec().withContainers(containers).withInitContainers(inits).withOverhead(overhead)
                .endSpec().build();
    }
}
