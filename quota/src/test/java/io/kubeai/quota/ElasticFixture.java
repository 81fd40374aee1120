package io.kubeai.quota;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.kubeai.core.config.ElasticPolicy;
import io.kubeai.kube.ClusterCache;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An elastic controller wired to the mock API server: nodes and pods as a cluster has them,
 * the metrics API answered with metrics-server's JSON, and the requests the controller made.
 */
final class ElasticFixture implements AutoCloseable {
    static final String NODE_METRICS = "/apis/metrics.k8s.io/v1beta1/nodes";
    static final String POD_METRICS = "/apis/metrics.k8s.io/v1beta1/pods";
    static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");

    final KubernetesMockServer server;
    final KubernetesClient client;
    final AtomicReference<Instant> now = new AtomicReference<>(NOW);
    final InstantSource clock = () -> now.get();
    final ControllerMetrics metrics = new ControllerMetrics();
    ClusterCache cache;
    ElasticRunner runner;
    int nodes;
    int pods;

    ElasticFixture(KubernetesMockServer server, KubernetesClient client) {
        this.server = server;
        this.client = client;
    }

    /** A policy with elastic capacity on and the given step, budget and GPU lending. */
    static ElasticPolicy policy(double maxStepPercent, int budget, boolean lendGpus, int exporterPort) {
        ElasticPolicy d = ElasticPolicy.DEFAULT;
        return new ElasticPolicy(true, 60, 60, 65, ElasticPolicy.MemoryPolicy.USAGE, 300, 5, maxStepPercent,
                new ElasticPolicy.Reclaim(true, budget), d.resources(), lendGpus, new ElasticPolicy.IdleGpu(5, 8192, 0),
                new ElasticPolicy.GpuTelemetry("gpu-operator", Map.of("app", "nvidia-dcgm-exporter"), exporterPort,
                        "/metrics", 1000));
    }

    ElasticFixture start(ElasticPolicy policy) {
        cache = new ClusterCache(clock, Duration.ofSeconds(30)).start(client);
        await().atMost(Duration.ofSeconds(10)).until(() -> cache.synced() && cache.allNodes().size() == nodes
                && cache.allPods().size() == pods);
        runner = ElasticRunner.create(client, cache, clock, policy, metrics, () -> true);
        return this;
    }

    /** A node of 64 cores and 256Gi (capacity and allocatable), with {@code extra} allocatable. */
    void node(String name, Map<String, String> extra) {
        Map<String, Quantity> alloc = new HashMap<>(Map.of("cpu", new Quantity("64"), "memory", new Quantity("256Gi")));
        Map<String, Quantity> cap = new HashMap<>(alloc);
        extra.forEach((k, v) -> {
            alloc.put(k, new Quantity(v));
            cap.put(k, new Quantity(v));
        });
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata().withNewStatus()
                .withCapacity(cap).withAllocatable(alloc).endStatus().build()).create();
        nodes++;
    }

    /** A running pod bound to {@code node}. */
    void pod(String ns, String name, String node, Map<String, String> labels, Map<String, String> requests, int priority,
            String startTime) {
        Map<String, Quantity> r = new HashMap<>();
        requests.forEach((k, v) -> r.put(k, new Quantity(v)));
        Pod p = new PodBuilder().withNewMetadata().withName(name).withNamespace(ns).withLabels(labels).endMetadata()
                .withNewSpec().withNodeName(node).withPriority(priority).addNewContainer().withName("main")
                .withImage("img").withNewResources().withRequests(r).endResources().endContainer().endSpec()
                .withNewStatus().withPhase("Running").withStartTime(startTime).withPodIP("127.0.0.1").endStatus().build();
        client.pods().inNamespace(ns).resource(p).create();
        pods++;
    }

    /** Answers the next metrics-API calls, once each. */
    void metricsOnce(String nodeMetricsJson, String podMetricsJson) {
        server.expect().get().withPath(NODE_METRICS).andReturn(200, nodeMetricsJson).once();
        server.expect().get().withPath(POD_METRICS).andReturn(200, podMetricsJson).once();
    }

    /** metrics-server's NodeMetricsList: name, cpu, memory, name, cpu, memory, …, all sampled at {@code at}. */
    static String nodeMetrics(Instant at, Object... nameCpuMemory) {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < nameCpuMemory.length; i += 3) {
            items.add("{\"metadata\":{\"name\":\"" + nameCpuMemory[i] + "\",\"creationTimestamp\":\"" + at.plusSeconds(9)
                    + "\"},\"timestamp\":\"" + at + "\",\"window\":\"20.031s\",\"usage\":{\"cpu\":\"" + nameCpuMemory[i + 1]
                    + "\",\"memory\":\"" + nameCpuMemory[i + 2] + "\"}}");
        }
        return "{\"kind\":\"NodeMetricsList\",\"apiVersion\":\"metrics.k8s.io/v1beta1\",\"metadata\":{},\"items\":["
                + String.join(",", items) + "]}";
    }

    /** metrics-server's PodMetricsList: namespace/name, cpu, memory, … (one container each), sampled at {@code at}. */
    static String podMetrics(Instant at, Object... keyCpuMemory) {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < keyCpuMemory.length; i += 3) {
            String[] k = ((String) keyCpuMemory[i]).split("/");
            items.add("{\"metadata\":{\"name\":\"" + k[1] + "\",\"namespace\":\"" + k[0] + "\",\"creationTimestamp\":\""
                    + at.plusSeconds(9) + "\"},\"timestamp\":\"" + at + "\",\"window\":\"20.031s\",\"containers\":[{\"name\":"
                    + "\"main\",\"usage\":{\"cpu\":\"" + keyCpuMemory[i + 1] + "\",\"memory\":\"" + keyCpuMemory[i + 2]
                    + "\"}}]}");
        }
        return "{\"kind\":\"PodMetricsList\",\"apiVersion\":\"metrics.k8s.io/v1beta1\",\"metadata\":{},\"items\":["
                + String.join(",", items) + "]}";
    }

    static String resource(String name) {
        try (InputStream in = ElasticFixture.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every request the mock server received since the last call, as "METHOD path". */
    List<String> requests() {
        List<String> out = new ArrayList<>();
        try {
            RecordedRequest r;
            while ((r = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
                out.add(r.getMethod() + " " + r.getPath());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out;
    }

    /** What the node's status carries under {@code resource}: allocatable and capacity, null where absent. */
    List<String> published(String node, String resource) {
        var s = client.nodes().withName(node).get().getStatus();
        Quantity a = s.getAllocatable().get(resource);
        Quantity c = s.getCapacity() == null ? null : s.getCapacity().get(resource);
        List<String> out = new ArrayList<>();
        out.add(a == null ? null : a.toString());
        out.add(c == null ? null : c.toString());
        return out;
    }

    /** Waits until the cache has seen {@code resource} at {@code value} on {@code node} (0: absent). */
    void awaitCached(String node, String resource, long value) {
        await().atMost(Duration.ofSeconds(10)).until(() -> cache.node(node).map(n -> n.extended().get(resource))
                .orElse(-1L) == value);
    }

    List<Event> events(String ns) {
        return client.v1().events().inNamespace(ns).list().getItems();
    }

    @Override
    public void close() {
        if (runner != null) {
            runner.close();
        }
        if (cache != null) {
            cache.close();
        }
    }
}
