package io.kubeai.webhook;

import static io.kubeai.webhook.PodJson.pod;
import static io.kubeai.webhook.WebhookHarness.JSON;
import static io.kubeai.webhook.WebhookHarness.apply;
import static io.kubeai.webhook.WebhookHarness.patchOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubeai.kube.KubeAiNames;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Every mutation and every compatibility convention, over real HTTPS with full AdmissionReview
 * bodies: the patch the webhook answers, applied to the original pod by an independent JSON Patch
 * library, must give exactly the expected pod; and the patched pod, reviewed again (as under
 * {@code reinvocationPolicy: IfNeeded}), must get no patch at all.
 */
class MutationTest {
    static final String OURS = KubeAiNames.SCHEDULER_NAME;
    static final String GATE = KubeAiNames.SCHEDULING_GATE;

    static final String BASIC = """
            managedNamespaces: [ml, "team-*"]
            defaultQueue: shared
            namespaceRules:
              - {namespace: team-cv, queue: team-cv, tier: prod}
            tiers:
              prod: {priorityClassName: kubeai-prod, priority: 100000}
              dev: {priorityClassName: kubeai-dev, priority: 1000}
            globalDefaultPriorityClassName: cluster-default
            queues:
              - {name: root, max: {nvidia.com/gpu: 64}}
              - {name: team-cv, parent: root, min: {nvidia.com/gpu: 16}, max: {nvidia.com/gpu: 32}}
              - {name: team-nlp, parent: root}
              - {name: shared, parent: root, max: {cpu: "64", nvidia.com/gpu: 8}}
            """;
    static final String NO_QUEUE = "managedNamespaces: [ml]\n";
    static final String OVERWRITE = """
            managedNamespaces: [ml]
            namespaceRules: [{namespace: ml, queue: research}]
            tiers: {dev: {priorityClassName: kubeai-dev, priority: 1000}}
            overwrite: [queue, priorityClassName]
            """;
    static final String ADOPT = "managedNamespaces: [ml]\nadoptSchedulerNames: [volcano]\n";
    static final String ELASTIC = """
            managedNamespaces: [dev]
            tiers: {dev: {priorityClassName: kubeai-dev, priority: 1000}}
            elastic:
              enabled: true
              smallAtMost: {cpu: "2", memory: 8Gi}
              largeAtLeast: {cpu: "8", memory: 32Gi}
              priorityClassName: kubeai-elastic
              priority: 10
              preemptionPolicy: Never
            """;
    /** ELASTIC with larger thresholds for queue search. */
    static final String ELASTIC_BY_QUEUE = ELASTIC + """
              queues:
                - {queue: search, smallAtMost: {cpu: "6", memory: 24Gi}, largeAtLeast: {cpu: "12"}}
            """;

    record Case(String name, String policy, Map<String, Map<String, String>> nsLabels, Supplier<PodJson> input,
            UnaryOperator<PodJson> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case c(String name, String policy, Supplier<PodJson> input, UnaryOperator<PodJson> expected) {
        return new Case(name, policy, Map.of(), input, expected);
    }

    static Map<String, String> m(String... kv) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            out.put(kv[i], kv[i + 1]);
        }
        return out;
    }

    static PodJson small(String ns) {
        return pod("p").ns(ns).container("main", m("cpu", "1", "memory", "1Gi"), m());
    }

    static Stream<Case> cases() {
        return Stream.of(
                c("a pod with no labels or annotations gets our scheduler, the default queue and tier, the tier's "
                        + "priority and the gate", BASIC, () -> small("ml"),
                        p -> p.scheduler(OURS).label(KubeAiNames.QUEUE, "shared").label(KubeAiNames.TIER, "dev")
                                .priority("kubeai-dev", 1000, "PreemptLowerPriority").gate(GATE)),
                c("a namespace rule gives the queue and the tier, and prod pods the prod class", BASIC, () -> small("team-cv"),
                        p -> p.scheduler(OURS).label(KubeAiNames.QUEUE, "team-cv").label(KubeAiNames.TIER, "prod")
                                .priority("kubeai-prod", 100000, "PreemptLowerPriority").gate(GATE)),
                new Case("namespace labels win over the namespace rules", BASIC,
                        Map.of("team-nlp", Map.of(KubeAiNames.QUEUE, "team-nlp", KubeAiNames.TIER, "prod")),
                        () -> small("team-nlp"),
                        p -> p.scheduler(OURS).label(KubeAiNames.QUEUE, "team-nlp").label(KubeAiNames.TIER, "prod")
                                .priority("kubeai-prod", 100000, "PreemptLowerPriority").gate(GATE)),
                new Case("a namespace labelled kubeai.io/managed=true is managed", NO_QUEUE,
                        Map.of("lab", Map.of(KubeAiNames.MANAGED_NAMESPACE, "true")), () -> small("lab"),
                        p -> p.scheduler(OURS).label(KubeAiNames.TIER, "dev")),
                c("the pod's own queue, tier and priority class stand", BASIC,
                        () -> small("ml").label(KubeAiNames.QUEUE, "team-nlp").label(KubeAiNames.TIER, "prod")
                                .priority("mine", 5, "PreemptLowerPriority"),
                        p -> p.scheduler(OURS).gate(GATE)),
                c("the cluster's global default class is not the pod's choice", BASIC,
                        () -> small("ml").priority("cluster-default", 50, "PreemptLowerPriority"),
                        p -> p.scheduler(OURS).label(KubeAiNames.QUEUE, "shared").label(KubeAiNames.TIER, "dev")
                                .priority("kubeai-dev", 1000, "PreemptLowerPriority").gate(GATE)),
                c("overwrite lets configuration win over the pod's queue and priority class", OVERWRITE,
                        () -> small("ml").label(KubeAiNames.QUEUE, "mine").priority("mine", 5, "Never"),
                        p -> p.scheduler(OURS).label(KubeAiNames.QUEUE, "research").label(KubeAiNames.TIER, "dev")
                                .priority("kubeai-dev", 1000, "PreemptLowerPriority").gate(GATE)),
                c("a queue given as an annotation is written as the label", NO_QUEUE,
                        () -> small("ml").annotation(KubeAiNames.QUEUE, "team-x"),
                        p -> p.scheduler(OURS).label(KubeAiNames.QUEUE, "team-x").label(KubeAiNames.TIER, "dev").gate(GATE)),
                c("a gang by our label is gated", NO_QUEUE, () -> small("ml").label(KubeAiNames.GANG, "train"),
                        p -> p.scheduler(OURS).label(KubeAiNames.TIER, "dev").gate(GATE)),
                c("a gang by scheduler-plugins' pod-group label is gated", NO_QUEUE,
                        () -> small("ml").label(KubeAiNames.SCHEDULER_PLUGINS_POD_GROUP, "pg-1"),
                        p -> p.scheduler(OURS).label(KubeAiNames.TIER, "dev").gate(GATE)),
                c("a gang by Volcano's group-name annotation is gated", NO_QUEUE,
                        () -> small("ml").annotation(KubeAiNames.VOLCANO_GROUP_NAME, "vj-1"),
                        p -> p.scheduler(OURS).label(KubeAiNames.TIER, "dev").gate(GATE)),
                c("a gang by Kubeflow training-operator labels is gated", NO_QUEUE,
                        () -> small("ml").label(KubeAiNames.KUBEFLOW_JOB_NAME, "pytorch-mnist")
                                .label(KubeAiNames.KUBEFLOW_REPLICA_TYPE, "worker")
                                .owner("kubeflow.org/v1", "PyTorchJob", "pytorch-mnist"),
                        p -> p.scheduler(OURS).label(KubeAiNames.TIER, "dev").gate(GATE)),
                c("a pod naming kubeai-scheduler outside managed namespaces is taken over", NO_QUEUE,
                        () -> small("elsewhere").scheduler(OURS), p -> p.label(KubeAiNames.TIER, "dev")),
                c("a pod outside managed namespaces is left alone", NO_QUEUE, () -> small("elsewhere"), p -> p),
                c("a pod naming another scheduler is left alone", NO_QUEUE,
                        () -> small("ml").scheduler("volcano").annotation(KubeAiNames.VOLCANO_GROUP_NAME, "vj"), p -> p),
                c("adoptSchedulerNames takes over another scheduler's pods", ADOPT,
                        () -> small("ml").scheduler("volcano").annotation(KubeAiNames.VOLCANO_GROUP_NAME, "vj"),
                        p -> p.scheduler(OURS).label(KubeAiNames.TIER, "dev").gate(GATE)),
                c("a pod bound to a node is left alone", BASIC, () -> small("ml").nodeName("n1"), p -> p),
                c("a DaemonSet's pod is left alone", BASIC, () -> small("ml").owner("apps/v1", "DaemonSet", "agent"), p -> p),
                c("a small development pod moves to elastic capacity with its toleration and the elastic priority",
                        ELASTIC,
                        () -> pod("p").ns("dev")
                                .initContainer("init", m("cpu", "100m", "memory", "64Mi"), m())
                                .container("main", m("cpu", "500m", "memory", "1Gi"), m("cpu", "1", "memory", "2Gi"))
                                .toleration("node.kubernetes.io/not-ready", "Exists", null, "NoExecute"),
                        p -> pod("p").ns("dev").scheduler(OURS)
                                .label(KubeAiNames.TIER, "dev").label(KubeAiNames.ELASTIC, "true")
                                .initContainer("init", m("kubeai.io/elastic-cpu", "100", "kubeai.io/elastic-memory", "67108864"),
                                        m("kubeai.io/elastic-cpu", "100", "kubeai.io/elastic-memory", "67108864"))
                                .container("main", m("kubeai.io/elastic-cpu", "500", "kubeai.io/elastic-memory", "1073741824"),
                                        m("kubeai.io/elastic-cpu", "500", "kubeai.io/elastic-memory", "1073741824"))
                                .toleration("node.kubernetes.io/not-ready", "Exists", null, "NoExecute")
                                .toleration("kubeai.io/elastic", "Exists", null, "NoSchedule")
                                .priority("kubeai-elastic", 10, "Never")),
                c("a large pod holding elastic resources moves back to regular capacity", ELASTIC,
                        () -> pod("p").ns("dev").container("main",
                                m("kubeai.io/elastic-cpu", "16000", "kubeai.io/elastic-memory", "68719476736"),
                                m("kubeai.io/elastic-cpu", "16000", "kubeai.io/elastic-memory", "68719476736")),
                        p -> pod("p").ns("dev").scheduler(OURS).label(KubeAiNames.TIER, "dev")
                                .container("main", m("cpu", "16", "memory", "68719476736"), m())
                                .priority("kubeai-dev", 1000, "PreemptLowerPriority")),
                c("a medium pod keeps what it asks for", ELASTIC,
                        () -> pod("p").ns("dev").container("main", m("cpu", "4", "memory", "16Gi"), m()),
                        p -> p.scheduler(OURS).label(KubeAiNames.TIER, "dev").priority("kubeai-dev", 1000, "PreemptLowerPriority")),
                c("a medium pod of a queue with larger thresholds moves to elastic capacity", ELASTIC_BY_QUEUE,
                        () -> pod("p").ns("dev").label(KubeAiNames.QUEUE, "search")
                                .container("main", m("cpu", "4", "memory", "16Gi"), m()),
                        p -> pod("p").ns("dev").scheduler(OURS).label(KubeAiNames.QUEUE, "search")
                                .label(KubeAiNames.TIER, "dev").label(KubeAiNames.ELASTIC, "true")
                                .container("main", m("kubeai.io/elastic-cpu", "4000", "kubeai.io/elastic-memory", "17179869184"),
                                        m("kubeai.io/elastic-cpu", "4000", "kubeai.io/elastic-memory", "17179869184"))
                                .toleration("kubeai.io/elastic", "Exists", null, "NoSchedule")
                                .priority("kubeai-elastic", 10, "Never").gate(GATE)),
                c("the same pod in another queue keeps the global thresholds", ELASTIC_BY_QUEUE,
                        () -> pod("p").ns("dev").label(KubeAiNames.QUEUE, "web")
                                .container("main", m("cpu", "4", "memory", "16Gi"), m()),
                        p -> p.scheduler(OURS).label(KubeAiNames.TIER, "dev")
                                .priority("kubeai-dev", 1000, "PreemptLowerPriority").gate(GATE)),
                c("a small GPU pod stays on regular capacity", ELASTIC,
                        () -> pod("p").ns("dev").container("main", m("cpu", "1", "memory", "1Gi", "nvidia.com/gpu", "1"),
                                m("nvidia.com/gpu", "1")),
                        p -> p.scheduler(OURS).label(KubeAiNames.TIER, "dev").priority("kubeai-dev", 1000, "PreemptLowerPriority")),
                c("a small pod that says kubeai.io/elastic: false stays regular", ELASTIC,
                        () -> small("dev").label(KubeAiNames.ELASTIC, "false"),
                        p -> p.scheduler(OURS).label(KubeAiNames.TIER, "dev").priority("kubeai-dev", 1000, "PreemptLowerPriority")),
                c("a small gang member stays regular", ELASTIC, () -> small("dev").label(KubeAiNames.GANG, "g"),
                        p -> p.scheduler(OURS).label(KubeAiNames.TIER, "dev").priority("kubeai-dev", 1000, "PreemptLowerPriority")
                                .gate(GATE)),
                c("a pinned pod becomes Guaranteed with whole CPUs", NO_QUEUE,
                        () -> pod("p").ns("ml").label(KubeAiNames.CPU_PINNING, "exclusive")
                                .container("a", m("cpu", "1500m", "memory", "4Gi"), m("memory", "4Gi"))
                                .container("b", m("cpu", "2"), m("cpu", "2", "memory", "1Gi")),
                        p -> pod("p").ns("ml").label(KubeAiNames.CPU_PINNING, "exclusive").scheduler(OURS)
                                .label(KubeAiNames.TIER, "dev")
                                .container("a", m("cpu", "2", "memory", "4Gi"), m("memory", "4Gi", "cpu", "2"))
                                .container("b", m("cpu", "2", "memory", "1Gi"), m("cpu", "2", "memory", "1Gi"))),
                c("a production pod run by a CronJob's Job is marked periodic and gated", BASIC,
                        () -> small("team-cv").label("app", "forecast")
                                .owner("batch/v1", "Job", "nightly-forecast-29123456"),
                        p -> p.scheduler(OURS).label(KubeAiNames.QUEUE, "team-cv").label(KubeAiNames.TIER, "prod")
                                .annotation(KubeAiNames.PERIODIC, "true")
                                .priority("kubeai-prod", 100000, "PreemptLowerPriority").gate(GATE)),
                c("a development pod of a CronJob is not marked periodic", NO_QUEUE,
                        () -> small("ml").owner("batch/v1", "Job", "hourly-report-29123456"),
                        p -> p.scheduler(OURS).label(KubeAiNames.TIER, "dev")),
                c("a production Job that no CronJob made is not periodic", BASIC,
                        () -> small("team-cv").owner("batch/v1", "Job", "train-resnet"),
                        p -> p.scheduler(OURS).label(KubeAiNames.QUEUE, "team-cv").label(KubeAiNames.TIER, "prod")
                                .priority("kubeai-prod", 100000, "PreemptLowerPriority").gate(GATE)),
                c("another gate already there is kept and ours appended", BASIC, () -> small("ml").gate("example.com/wait"),
                        p -> p.scheduler(OURS).label(KubeAiNames.QUEUE, "shared").label(KubeAiNames.TIER, "dev")
                                .priority("kubeai-dev", 1000, "PreemptLowerPriority").gate(GATE)));
    }

    private static final Map<String, WebhookHarness> SERVERS = new HashMap<>();

    static WebhookHarness server(String policy, Map<String, Map<String, String>> labels) throws Exception {
        String key = policy + labels;
        WebhookHarness h = SERVERS.get(key);
        if (h == null) {
            h = WebhookHarness.start(policy, NamespaceLabels.fixed(labels));
            SERVERS.put(key, h);
        }
        return h;
    }

    @AfterAll
    static void stop() {
        SERVERS.values().forEach(WebhookHarness::close);
        SERVERS.clear();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void thePatchAppliedToThePodGivesTheExpectedPodAndReinvocationChangesNothing(Case c) throws Exception {
        WebhookHarness h = server(c.policy(), c.nsLabels());
        JsonNode in = c.input().get().build();
        JsonNode want = c.expected().apply(c.input().get()).build();

        JsonNode response = h.mutate(in);
        assertThat(response.path("allowed").asBoolean()).as(response.toString()).isTrue();
        JsonNode patched = apply(in, patchOf(response));
        assertThat(patched).as("patch %s", patchOf(response)).isEqualTo(want);

        JsonNode again = h.mutate(patched);
        assertThat(again.path("allowed").asBoolean()).isTrue();
        assertThat(patchOf(again)).as("a second review of the patched pod").isEmpty();
        assertThat(again.has("patchType")).isFalse();
    }

    @Test
    void thePatchCreatesAbsentMapsEscapesSlashesAndReplacesOnlyWhatDiffers() throws Exception {
        WebhookHarness h = server(BASIC, Map.of());
        JsonNode patch = patchOf(h.mutate(small("ml").build()));
        assertThat(patch).isEqualTo(JSON.readTree("""
                [
                  {"op": "replace", "path": "/spec/schedulerName", "value": "kubeai-scheduler"},
                  {"op": "add", "path": "/metadata/labels", "value": {}},
                  {"op": "add", "path": "/metadata/labels/kubeai.io~1queue", "value": "shared"},
                  {"op": "add", "path": "/metadata/labels/kubeai.io~1tier", "value": "dev"},
                  {"op": "add", "path": "/spec/priorityClassName", "value": "kubeai-dev"},
                  {"op": "replace", "path": "/spec/priority", "value": 1000},
                  {"op": "add", "path": "/spec/schedulingGates", "value": [{"name": "kubeai.io/admission"}]}
                ]"""));
        // With an existing labels map and gates array: members and elements are added, nothing is replaced.
        JsonNode second = patchOf(h.mutate(small("ml").label("app", "x").gate("example.com/wait")
                .priority("kubeai-dev", 1000, "PreemptLowerPriority").build()));
        assertThat(second).isEqualTo(JSON.readTree("""
                [
                  {"op": "replace", "path": "/spec/schedulerName", "value": "kubeai-scheduler"},
                  {"op": "add", "path": "/metadata/labels/kubeai.io~1queue", "value": "shared"},
                  {"op": "add", "path": "/metadata/labels/kubeai.io~1tier", "value": "dev"},
                  {"op": "add", "path": "/spec/schedulingGates/-", "value": {"name": "kubeai.io/admission"}}
                ]"""));
    }

    @Test
    void aPodWithoutMetadataMapsOrSchedulerNameStillGetsAValidPatch() throws Exception {
        WebhookHarness h = server(BASIC, Map.of());
        JsonNode bare = JSON.readTree("""
                {"apiVersion": "v1", "kind": "Pod", "metadata": {"generateName": "w-"},
                 "spec": {"containers": [{"name": "c", "image": "i"}]}}""");
        JsonNode r = h.review("/mutate", WebhookHarness.review("", "v1", "Pod", "pods", "CREATE", "ml", "", bare, null, false));
        JsonNode patched = apply(bare, patchOf(r));
        assertThat(patched.path("spec").path("schedulerName").asString()).isEqualTo(OURS);
        assertThat(patched.path("metadata").path("labels").path(KubeAiNames.QUEUE).asString()).isEqualTo("shared");
        assertThat(patched.path("spec").path("schedulingGates").toString()).isEqualTo("[{\"name\":\"kubeai.io/admission\"}]");
        assertThat(patchOf(h.review("/mutate", WebhookHarness.review("", "v1", "Pod", "pods", "CREATE", "ml", "",
                patched, null, false)))).isEmpty();
    }

    @Test
    void aDryRunIsAnsweredExactlyLikeARealRequest() throws Exception {
        WebhookHarness h = server(BASIC, Map.of());
        JsonNode pod = small("team-cv").build();
        JsonNode real = h.review("/mutate", WebhookHarness.podReview("CREATE", pod, null, false));
        JsonNode dry = h.review("/mutate", WebhookHarness.podReview("CREATE", pod, null, true));
        assertThat(patchOf(dry)).isEqualTo(patchOf(real));
    }

    @Test
    void updatesAndDeletesAreAllowedUnchanged() throws Exception {
        WebhookHarness h = server(BASIC, Map.of());
        JsonNode pod = small("ml").build();
        for (String op : List.of("UPDATE", "DELETE")) {
            JsonNode r = h.review("/mutate", WebhookHarness.podReview(op, op.equals("DELETE") ? null : pod, pod, false));
            assertThat(r.path("allowed").asBoolean()).isTrue();
            assertThat(r.has("patch")).isFalse();
        }
    }

    @Test
    void badKubeaiValuesAreDeniedWithEveryFieldPathAndTheAllowedValues() throws Exception {
        WebhookHarness h = server(BASIC, Map.of());
        JsonNode r = h.mutate(small("ml").label(KubeAiNames.TIER, "staging").annotation(KubeAiNames.CPU_PINNING, "all")
                .annotation(KubeAiNames.NOT_BEFORE, "tonight").build());
        assertThat(r.path("allowed").asBoolean()).isFalse();
        assertThat(r.path("status").path("code").asInt()).isEqualTo(422);
        assertThat(r.path("status").path("reason").asString()).isEqualTo("Invalid");
        assertThat(r.path("status").path("message").asString()).isEqualTo("pod ml/p is invalid: "
                + "metadata.labels[kubeai.io/tier]: \"staging\" is not one of [prod, dev]; "
                + "metadata.annotations[kubeai.io/cpu-pinning]: \"all\" is not one of [none, exclusive, numa]; "
                + "metadata.annotations[kubeai.io/not-before]: \"tonight\" is not an RFC 3339 time such as "
                + "2025-01-31T02:00:00Z");
        assertThat(r.path("status").path("details").path("causes")).hasSize(3);
        assertThat(r.path("status").path("details").path("causes").get(0).path("field").asString())
                .isEqualTo("metadata.labels[kubeai.io/tier]");
    }

    @Test
    void anExpectedDurationTheControllerCannotReadIsDeniedAndAGoDurationPasses() throws Exception {
        WebhookHarness h = server(BASIC, Map.of());
        JsonNode bad = h.mutate(small("ml").annotation(KubeAiNames.EXPECTED_DURATION, "2 hours")
                .annotation(KubeAiNames.DEADLINE, "2026-03-30t14:00:00z").build());
        assertThat(bad.path("allowed").asBoolean()).isFalse();
        assertThat(bad.path("status").path("message").asString()).isEqualTo("pod ml/p is invalid: "
                + "metadata.annotations[kubeai.io/expected-duration]: \"2 hours\" is not a duration; expected a Go duration"
                + " such as 90m, 1h30m or 45s, or whole seconds such as 5400");
        JsonNode good = h.mutate(small("ml").annotation(KubeAiNames.EXPECTED_DURATION, "1h30m")
                .annotation(KubeAiNames.DEADLINE, "2026-03-30T22:00:00+08:00").build());
        assertThat(good.path("allowed").asBoolean()).isTrue();
    }

    @Test
    void aPinnedPodThatCannotBeGuaranteedIsDeniedNamingTheContainers() throws Exception {
        WebhookHarness h = server(NO_QUEUE, Map.of());
        JsonNode r = h.mutate(pod("p").ns("ml").label(KubeAiNames.CPU_PINNING, "numa")
                .container("main", m("cpu", "4", "memory", "8Gi"), m())
                .container("sidecar", m(), m()).build());
        assertThat(r.path("allowed").asBoolean()).isFalse();
        assertThat(r.path("status").path("message").asString()).isEqualTo("pod ml/p asks for kubeai.io/cpu-pinning: numa, "
                + "which needs the Guaranteed QoS class (CPU and memory requests equal to limits in every container): "
                + "spec.containers[1].resources.requests.cpu: container sidecar has no CPU request; give it whole CPUs; "
                + "spec.containers[1].resources.limits.memory: container sidecar has no memory request or limit; give it one");
    }
}
