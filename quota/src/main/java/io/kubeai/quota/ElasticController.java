package io.kubeai.quota;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kubeai.core.config.ElasticPolicy;
import io.kubeai.core.elastic.ElasticAmounts;
import io.kubeai.core.elastic.ElasticCycle;
import io.kubeai.core.elastic.ElasticNodeState;
import io.kubeai.core.elastic.ElasticResource;
import io.kubeai.core.elastic.GpuTelemetry;
import io.kubeai.core.elastic.ReclaimPlanner;
import io.kubeai.kube.CachedPod;
import io.kubeai.kube.ClusterCache;
import io.kubeai.kube.elastic.ElasticInputs;
import io.kubeai.kube.elastic.MetricsApi;
import io.kubeai.kube.telemetry.DcgmEndpoints;
import io.kubeai.kube.telemetry.DcgmScraper;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The elastic-capacity publisher and reclaimer: one {@link #reconcile()} per interval reads the
 * cluster (the informer-fed cache), node and pod usage (the metrics API) and GPU telemetry (the
 * last dcgm-exporter scrapes), lets core's {@link ElasticCycle} decide, then acts:
 *
 * <ol>
 *   <li>patches the status ({@code capacity} and {@code allocatable}) of each node whose
 *       published figure changed — the figure only moves beyond the hysteresis band, so small
 *       changes cause no writes; a figure of zero removes the resource;
 *   <li>evicts the elastic pods the plan names, through the Eviction API (which honours
 *       PodDisruptionBudgets), each with an Event on the pod saying why. A pod being evicted is
 *       remembered until it is gone (or ten minutes have passed), so it is neither evicted twice
 *       nor counted as holding what it is giving back.
 * </ol>
 *
 * It starts the next GPU scrapes and reads the previous ones; it never waits on an exporter.
 * Everything it remembers (smoothed figures) starts again from what nodes publish, so a restart
 * or a new leader continues where the last one stopped. Not thread-safe: {@link #reconcile()}
 * runs on one thread ({@link ElasticRunner}). It does not touch admission.
 */
public final class ElasticController {
    private static final Logger LOG = Logger.getLogger(ElasticController.class.getName());
    static final String REASON_RECLAIM = "ElasticReclaim";
    static final String REASON_BLOCKED = "ElasticReclaimBlocked";
    private static final Duration EVICTING_TTL = Duration.ofMinutes(10);

    private final KubernetesClient client;
    private final ClusterCache cache;
    private final DcgmScraper scraper;
    private final InstantSource clock;
    private final ElasticPolicy policy;
    private final ElasticMetrics metrics;
    private Map<String, ElasticNodeState> states = new HashMap<>();
    private final Map<String, Instant> evicting = new HashMap<>();

    /**
     * @param client a client that tries each call once ({@link io.kubeai.kube.OneTryClient}): every
     *     call is retried by the next interval anyway
     * @param scraper GPU telemetry; null unless {@code lendIdleGpus}
     */
    public ElasticController(KubernetesClient client, ClusterCache cache, DcgmScraper scraper, InstantSource clock,
            ElasticPolicy policy, ElasticMetrics metrics) {
        this.client = client;
        this.cache = cache;
        this.scraper = scraper;
        this.clock = clock;
        this.policy = policy;
        this.metrics = metrics;
    }

    /** One interval: read, decide, publish, reclaim. Returns the decisions (for tests and tools). */
    public ElasticCycle.Result reconcile() {
        // A cache still listing would show nodes with some of their pods: it would lend too much.
        if (!cache.synced()) {
            LOG.log(Level.FINE, "the cluster cache has not synced yet; no elastic interval");
            return new ElasticCycle.Result(List.of(), ReclaimPlanner.Plan.NONE);
        }
        // 1. What the cluster, metrics-server and dcgm-exporter say.
        Instant now = clock.instant();
        List<Node> nodes = cache.allNodes();
        List<CachedPod> pods = cache.allPods();
        Map<String, GpuTelemetry> gpus = Map.of();
        if (scraper != null) {
            scraper.refresh(DcgmEndpoints.of(pods, policy.gpuTelemetry()));
            gpus = scraper.telemetry();
            metrics.scrapeFailing.clear();
            scraper.results().forEach((n, r) -> metrics.scrapeFailing.labelValues(n).set(r.error() == null ? 0 : 1));
        }
        MetricsApi.Snapshot usage = MetricsApi.read(client);
        Set<String> present = new HashSet<>();
        pods.forEach(p -> present.add(p.key()));
        evicting.entrySet().removeIf(e -> !present.contains(e.getKey()) || e.getValue().plus(EVICTING_TTL).isBefore(now));

        // 2. Decide.
        List<ElasticCycle.NodeInput> inputs = ElasticInputs.nodes(nodes, pods, usage, gpus, policy.resources());
        ElasticCycle.Result result = ElasticCycle.run(policy, inputs, states,
                ElasticInputs.elasticPods(pods, policy.resources(), evicting.keySet()), now);
        states = result.states();

        // 3. Publish what changed.
        Map<String, ElasticAmounts> current = new HashMap<>();
        inputs.forEach(in -> current.put(in.usage().node(), in.published()));
        metrics.published.clear();
        metrics.target.clear();
        metrics.unknown.clear();
        for (ElasticCycle.NodeOutcome o : result.nodes()) {
            for (ElasticResource r : ElasticResource.values()) {
                String label = r.name().toLowerCase(java.util.Locale.ROOT);
                metrics.published.labelValues(o.node(), label).set(o.publish().get(r));
                metrics.target.labelValues(o.node(), label).set(o.target().get(r));
                metrics.unknown.labelValues(o.node(), label).set(o.known().contains(r) || r == ElasticResource.GPU
                        && !policy.lendIdleGpus() ? 0 : 1);
            }
            if (o.changed(current.get(o.node()))) {
                publish(o);
            }
        }

        // 4. Take back what no longer fits.
        for (ReclaimPlanner.Eviction e : result.reclaim().evictions()) {
            evict(e, now);
        }
        result.reclaim().deferred().forEach(d -> LOG.log(Level.INFO, d));
        metrics.deferred.set(result.reclaim().deferred().size());
        metrics.intervals.inc();
        return result;
    }

    private void publish(ElasticCycle.NodeOutcome o) {
        Map<String, Long> values = new LinkedHashMap<>();
        values.put(policy.resources().cpu(), o.publish().cpuMillis());
        values.put(policy.resources().memory(), o.publish().memoryBytes());
        values.put(policy.resources().gpu(), o.publish().gpus());
        try {
            client.nodes().withName(o.node()).editStatus(n -> {
                if (n.getStatus() == null) {
                    n.setStatus(new io.fabric8.kubernetes.api.model.NodeStatus());
                }
                values.forEach((name, v) -> {
                    put(n.getStatus().getCapacity(), name, v, q -> n.getStatus().setCapacity(q));
                    put(n.getStatus().getAllocatable(), name, v, q -> n.getStatus().setAllocatable(q));
                });
                return n;
            });
            metrics.patches.inc();
            LOG.log(Level.FINE, "node {0} lends {1}: {2}", new Object[] {o.node(), o.publish(), o.explanations()});
        } catch (KubernetesClientException e) {
            metrics.patchFailures.inc();
            LOG.log(Level.WARNING, "elastic capacity of node {0} not published; the next interval retries: {1}",
                    new Object[] {o.node(), e.getMessage()});
        }
    }

    /** Sets {@code name} to {@code v}, or removes it when {@code v} is 0. */
    private static void put(Map<String, Quantity> m, String name, long v,
            java.util.function.Consumer<Map<String, Quantity>> set) {
        Map<String, Quantity> target = m;
        if (target == null) {
            if (v == 0) {
                return;
            }
            target = new HashMap<>();
            set.accept(target);
        }
        if (v == 0) {
            target.remove(name);
        } else {
            target.put(name, new Quantity(String.valueOf(v)));
        }
    }

    private void evict(ReclaimPlanner.Eviction e, Instant now) {
        Optional<CachedPod> pod = cache.pod(e.podKey());
        if (pod.isEmpty()) {
            return;
        }
        CachedPod p = pod.get();
        String ns = p.namespace();
        String name = p.name();
        try {
            boolean evicted = client.pods().inNamespace(ns).withName(name).evict();
            if (evicted) {
                evicting.put(e.podKey(), now);
                metrics.evictions.labelValues(e.node()).inc();
                event(p, REASON_RECLAIM, e.reason(), now);
                LOG.log(Level.INFO, e.reason());
            } else {
                metrics.evictionsBlocked.inc();
                event(p, REASON_BLOCKED, e.reason() + "; the eviction was refused (a PodDisruptionBudget forbids it now)"
                        + " and is retried next interval", now);
            }
        } catch (KubernetesClientException ex) {
            LOG.log(Level.WARNING, "evicting {0} failed; the next interval retries: {1}",
                    new Object[] {e.podKey(), ex.getMessage()});
        }
    }

    private void event(CachedPod p, String reason, String message, Instant now) {
        String ns = p.namespace();
        try {
            client.v1().events().inNamespace(ns).resource(new EventBuilder().withNewMetadata()
                    .withGenerateName(p.name() + ".").withNamespace(ns).endMetadata()
                    .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion("v1").withKind("Pod")
                            .withName(p.name()).withNamespace(ns).withUid(p.uid())
                            .build())
                    .withReason(reason).withMessage(message).withType("Warning").withFirstTimestamp(now.toString())
                    .withLastTimestamp(now.toString()).withCount(1).withNewSource().withComponent("kubeai-controller")
                    .endSource().build()).create();
        } catch (KubernetesClientException ex) {
            LOG.log(Level.FINE, "event not recorded: {0}", ex.getMessage());
        }
    }

    /** The last good GPU reading of each node (tests, tools). */
    Map<String, GpuTelemetry> gpuTelemetry() {
        return scraper == null ? Map.of() : scraper.telemetry();
    }

    /** Pods being evicted and since when (tests). */
    Map<String, Instant> evicting() {
        return Map.copyOf(evicting);
    }
}
