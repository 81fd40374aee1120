package io.kubeai.webhook;

import static io.kubeai.webhook.WebhookHarness.apply;
import static io.kubeai.webhook.WebhookHarness.patchOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubeai.kube.KubeAiNames;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import tools.jackson.databind.JsonNode;

/**
 * Generated pods thrown at the running server over HTTPS: every answer is a well-formed
 * AdmissionReview echoing the uid; an allowed pod's patch applies cleanly and a second review of
 * the patched pod asks for nothing more; a gated pod always names our scheduler; a pod on elastic
 * capacity holds no CPU or memory request; a pinned pod that is allowed is Guaranteed.
 */
class GeneratedPodsPropertiesTest {
    static final String POLICY = """
            managedNamespaces: [ml, dev, "team-*"]
            defaultQueue: shared
            adoptSchedulerNames: [volcano]
            namespaceRules:
              - {namespace: team-cv, queue: team-cv, tier: prod}
              - {namespace: dev, tier: dev}
            tiers:
              prod: {priorityClassName: kubeai-prod, priority: 100000}
              dev: {priorityClassName: kubeai-dev, priority: 1000}
            elastic:
              enabled: true
              priorityClassName: kubeai-elastic
              priority: 10
            queues:
              - {name: root}
              - {name: team-cv, parent: root, max: {nvidia.com/gpu: 16}}
              - {name: shared, parent: root, max: {cpu: "64"}}
            """;
    static WebhookHarness h;

    @BeforeContainer
    static void start() throws Exception {
        h = WebhookHarness.start(POLICY);
    }

    @AfterContainer
    static void stop() {
        h.close();
    }

    @Property(tries = 250)
    void everyGeneratedPodGetsAWellFormedIdempotentAnswer(@ForAll("pods") JsonNode pod) throws Exception {
        JsonNode r = h.mutate(pod);
        JsonNode validated = h.validate(WebhookHarness.podReview("CREATE", pod, null, false));
        assertThat(validated.path("allowed").isBoolean()).isTrue();
        if (!r.path("allowed").asBoolean()) {
            assertThat(r.path("status").path("code").asInt()).isIn(403, 422);
            return;
        }
        JsonNode patched = apply(pod, patchOf(r));
        assertThat(patchOf(h.mutate(patched))).as("reinvocation of %s", patched).isEmpty();
        JsonNode spec = patched.path("spec");
        boolean gated = false;
        for (JsonNode g : spec.path("schedulingGates")) {
            gated |= g.path("name").asString("").equals(KubeAiNames.SCHEDULING_GATE);
        }
        if (gated) {
            assertThat(spec.path("schedulerName").asString()).isEqualTo(KubeAiNames.SCHEDULER_NAME);
        }
        if ("true".equals(patched.path("metadata").path("labels").path(KubeAiNames.ELASTIC).asString(null))
                && patchOf(r).toString().contains("elastic-cpu")) {
            for (JsonNode c : spec.path("containers")) {
                assertThat(c.path("resources").path("requests").has("cpu")).isFalse();
                assertThat(c.path("resources").path("requests").has("memory")).isFalse();
            }
        }
        if (patchOf(r).toString().contains("\"/spec/containers/0/resources/limits/cpu\"")
                && PodFields.pinning(pod).equals("exclusive")) {
            for (JsonNode c : spec.path("containers")) {
                assertThat(c.path("resources").path("requests").path("cpu"))
                        .isEqualTo(c.path("resources").path("limits").path("cpu"));
            }
        }
    }

    @Provide
    Arbitrary<JsonNode> pods() {
        Arbitrary<String> ns = Arbitraries.of("ml", "dev", "team-cv", "team-nlp", "elsewhere");
        Arbitrary<String> scheduler = Arbitraries.of("", "default-scheduler", KubeAiNames.SCHEDULER_NAME, "volcano", "other");
        Arbitrary<Map<String, String>> labels = Arbitraries.maps(
                Arbitraries.of(KubeAiNames.QUEUE, KubeAiNames.TIER, KubeAiNames.GANG, KubeAiNames.ELASTIC, KubeAiNames.CPU_PINNING,
                        KubeAiNames.SCHEDULER_PLUGINS_POD_GROUP, KubeAiNames.KUBEFLOW_JOB_NAME, "app", "a/b~c"),
                Arbitraries.of("shared", "team-cv", "ghost", "prod", "dev", "true", "false", "exclusive", "numa", "none",
                        "g-1", "", "视觉", "x".repeat(63))).ofMaxSize(5);
        Arbitrary<Map<String, String>> annotations = Arbitraries.maps(
                Arbitraries.of(KubeAiNames.VOLCANO_GROUP_NAME, KubeAiNames.NOT_BEFORE, KubeAiNames.PERIODIC, KubeAiNames.QUEUE,
                        KubeAiNames.GPU_MILLI, "note"),
                Arbitraries.of("2025-01-31T02:00:00Z", "soon", "true", "500", "shared", "vj")).ofMaxSize(3);
        Arbitrary<List<Map<String, String>>> containers = Arbitraries.maps(
                Arbitraries.of("cpu", "memory", "nvidia.com/gpu", KubeAiNames.ELASTIC_CPU, KubeAiNames.ELASTIC_MEMORY),
                Arbitraries.of("100m", "1", "2500m", "16", "0", "512Mi", "4Gi", "64Gi", "1e9", "2000")).ofMaxSize(4)
                .list().ofMaxSize(3);
        Arbitrary<String> owner = Arbitraries.of("", "Job:nightly-29123456", "Job:train", "DaemonSet:agent", "ReplicaSet:rs-1");
        Arbitrary<Boolean> withNode = Arbitraries.of(false, false, false, true);
        Arbitrary<Boolean> gated = Arbitraries.of(false, true);
        return Combinators.combine(ns, scheduler, labels, annotations, containers, owner, withNode, gated)
                .as((n, s, l, a, cs, o, node, gate) -> {
                    PodJson p = PodJson.pod("gen").ns(n);
                    if (s.isEmpty()) {
                        p.remove("spec.schedulerName");
                    } else {
                        p.scheduler(s);
                    }
                    l.forEach(p::label);
                    a.forEach(p::annotation);
                    int i = 0;
                    for (Map<String, String> req : cs) {
                        Map<String, String> lim = new java.util.LinkedHashMap<>();
                        req.forEach((k, v) -> {
                            if (!k.equals("cpu") && !k.equals("memory")) {
                                lim.put(k, v); // extended resources: limit equals request
                            }
                        });
                        p.container("c" + i++, req, lim);
                    }
                    if (!o.isEmpty()) {
                        String[] kn = o.split(":");
                        p.owner(kn[0].equals("Job") ? "batch/v1" : "apps/v1", kn[0], kn[1]);
                    }
                    if (node) {
                        p.nodeName("n1");
                    }
                    if (gate) {
                        p.gate("example.com/wait");
                    }
                    return p.build();
                });
    }
}
