package io.kubeai.quota;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSchedulingGateBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubeai.core.config.SchedulingPolicy;
import io.kubeai.kube.CachedPod;
import io.kubeai.kube.ClusterCache;
import io.kubeai.kube.KubeAiNames;
import io.kubeai.kube.crd.PodGroup;
import io.kubeai.kube.crd.PodGroupSpec;
import io.kubeai.kube.crd.Queue;
import io.kubeai.kube.crd.QueueResourceSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/** A controller wired to a mock API server, with objects built the way users and operators write them. */
final class ControllerFixture implements AutoCloseable {
    final KubernetesClient client;
    /** The mock API server stamps creation with the real time, so the fake clock starts there. */
    final AtomicReference<Instant> now = new AtomicReference<>(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    final InstantSource clock = () -> now.get();
    ClusterCache cache;
    AdmissionController controller;
    /** The policy the controller starts with; set before {@link #start()}. */
    SchedulingPolicy policy = SchedulingPolicy.DEFAULT;
    /** The one-try client window-closing evictions go through, as the controller command wires it. */
    KubernetesClient oneTry;

    ControllerFixture(KubernetesClient client) {
        this.client = client;
    }

    ControllerFixture start() {
        cache = new ClusterCache(clock, Duration.ofSeconds(30)).start(client);
        oneTry = io.kubeai.kube.OneTryClient.of(client, Duration.ofSeconds(2));
        controller = new AdmissionController(client, oneTry, cache, clock, policy, new ControllerMetrics(), "test")
                .watch(() -> { });
        await().atMost(Duration.ofSeconds(10)).until(() -> cache.synced() && controller.synced());
        return this;
    }

    /** Stops this controller and starts a new one on the same API server, as after a crash. */
    ControllerFixture restart() {
        close();
        return start();
    }

    void node(String name, int gpus) {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata().withNewStatus()
                .withAllocatable(Map.of("cpu", new Quantity("64"), "memory", new Quantity("256Gi"),
                        KubeAiNames.GPU_RESOURCE, new Quantity(String.valueOf(gpus))))
                .endStatus().build()).create();
    }

    void queue(String name, String parent, int minGpus) {
        queue(name, parent, minGpus, List.of());
    }

    /** A queue with time windows, as its owner writes them in {@code spec.windows}. */
    void queue(String name, String parent, int minGpus, List<io.kubeai.kube.crd.QueueWindowSpec> windows) {
        Queue q = new Queue();
        q.getMetadata().setName(name);
        QueueResourceSpec s = new QueueResourceSpec();
        s.setParent(parent);
        s.setMin(Map.of(KubeAiNames.GPU_RESOURCE, new Quantity(String.valueOf(minGpus))));
        s.setWindows(windows.isEmpty() ? null : windows);
        q.setSpec(s);
        client.resources(Queue.class).resource(q).create();
    }

    void podGroup(String name, String queue, int minMember, Long timeoutSeconds) {
        PodGroup pg = new PodGroup();
        pg.getMetadata().setName(name);
        pg.getMetadata().setNamespace("ml");
        pg.getMetadata().setCreationTimestamp(now.get().toString());
        PodGroupSpec s = new PodGroupSpec();
        s.setMinMember(minMember);
        s.setQueue(queue);
        s.setScheduleTimeoutSeconds(timeoutSeconds);
        pg.setSpec(s);
        client.resources(PodGroup.class).inNamespace("ml").resource(pg).create();
    }

    /** {@code count} gated pods of gang {@code gang} (null for single pods), each asking for {@code gpus} GPUs. */
    void gangPods(String gang, String prefix, int count, String queue, int gpus, int priority) {
        gangPods(gang, prefix, count, queue, gpus, priority, Map.of(), Map.of());
    }

    /** As above, with extra labels and annotations on every pod (tier, timing). */
    void gangPods(String gang, String prefix, int count, String queue, int gpus, int priority, Map<String, String> extraLabels,
            Map<String, String> annotations) {
        for (int i = 0; i < count; i++) {
            Map<String, String> labels = new HashMap<>(Map.of(KubeAiNames.QUEUE, queue));
            labels.putAll(extraLabels);
            if (gang != null) {
                labels.put(KubeAiNames.GANG, gang);
            }
            Pod p = new PodBuilder().withNewMetadata().withName(prefix + "-" + i).withNamespace("ml").withLabels(labels)
                    .withAnnotations(annotations.isEmpty() ? null : new HashMap<>(annotations))
                    .withCreationTimestamp(now.get().toString()).endMetadata()
                    .withNewSpec().withSchedulerName(KubeAiNames.SCHEDULER_NAME).withPriority(priority)
                    .withSchedulingGates(new PodSchedulingGateBuilder().withName(KubeAiNames.SCHEDULING_GATE).build())
                    .addNewContainer().withName("main").withImage("trainer").withNewResources()
                    .withRequests(Map.of("cpu", new Quantity("4"), "memory", new Quantity("16Gi")))
                    .withLimits(Map.of(KubeAiNames.GPU_RESOURCE, new Quantity(String.valueOf(gpus)))).endResources()
                    .endContainer().endSpec().build();
            client.pods().inNamespace("ml").resource(p).create();
        }
    }

    /** Waits until the controller's caches have seen {@code pods} pods, then runs one cycle. */
    io.kubeai.core.cycle.CycleResult cycle(int pods) {
        await().atMost(Duration.ofSeconds(10)).until(() -> cache.allPods().size() == pods);
        return controller.reconcile();
    }

    List<Pod> pods(String prefix) {
        return client.pods().inNamespace("ml").list().getItems().stream()
                .filter(p -> p.getMetadata().getName().startsWith(prefix + "-")).toList();
    }

    static boolean gated(Pod p) {
        return CachedPod.hasAdmissionGate(p);
    }

    static String planned(Pod p) {
        return p.getMetadata().getAnnotations() == null ? null : p.getMetadata().getAnnotations().get(KubeAiNames.PLANNED_NODE);
    }

    PodGroup podGroupNamed(String name) {
        return client.resources(PodGroup.class).inNamespace("ml").withName(name).get();
    }

    @Override
    public void close() {
        if (controller != null) {
            controller.close();
        }
        if (cache != null) {
            cache.close();
        }
        if (oneTry != null) {
            oneTry.close();
        }
    }
}
