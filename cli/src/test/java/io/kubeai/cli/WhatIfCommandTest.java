package io.kubeai.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSchedulingGateBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kubeai.kube.KubeAiNames;
import io.kubeai.kube.crd.Queue;
import io.kubeai.kube.crd.QueueResourceSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code kubeai what-if} against the mock API server. Two 8-GPU nodes; queues org, cv (min 8)
 * and nlp (min 2, max 2). Running: ml/train, one 8-GPU pod of cv on gpu-a, 30 min into its 1 h.
 * Pending: ml/big, two 4-GPU pods of cv (1 h); ml/small, one 4-GPU pod of nlp (nothing says how
 * long: assumed).
 */
@EnableKubernetesMockClient(crud = true)
class WhatIfCommandTest {
    KubernetesClient client;

    @TempDir
    Path dir;
    Path kubeconfig;
    Instant now;

    @BeforeEach
    void cluster() throws IOException {
        now = Instant.now();
        kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, kubeconfig(client.getMasterUrl().toString()));
        for (String n : new String[] {"gpu-a", "gpu-b"}) {
            client.nodes().resource(new NodeBuilder().withNewMetadata().withName(n).endMetadata().withNewStatus()
                    .withAllocatable(Map.of("cpu", new Quantity("64"), "memory", new Quantity("256Gi"),
                            KubeAiNames.GPU_RESOURCE, new Quantity("8"))).endStatus().build()).create();
        }
        queue("org", null, null, null);
        queue("cv", "org", 8, null);
        queue("nlp", "org", 2, 2);
        pod("train-0", "train", "cv", 8, "1h", Duration.ofMinutes(30));
        pod("big-0", "big", "cv", 4, "1h", null);
        pod("big-1", "big", "cv", 4, "1h", null);
        pod("small-0", "small", "nlp", 4, null, null);
    }

    static String kubeconfig(String server) {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: mock
                  cluster: {server: "%s", insecure-skip-tls-verify: true}
                users:
                - name: u
                  user: {token: t}
                contexts:
                - name: c
                  context: {cluster: mock, user: u, namespace: ml}
                current-context: c
                """.formatted(server);
    }

    @Test
    void theCurrentPolicyAloneSaysWhenEachPendingWorkloadRuns() {
        CliRun r = run("what-if", "--kubeconfig", kubeconfig.toString());

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("2 nodes, 16 GPUs, 1 running and 2 pending workloads; horizon 1d",
                "Durations:  2 from kubeai.io/expected-duration, 0 from activeDeadlineSeconds, 1 assumed 1h",
                "Current:    built-in defaults (no ConfigMap kubeai-system/kubeai-policy); queues from the cluster");
        // big borrows nlp's unused guarantee on the free node at once; small can never pass nlp's max of 2.
        assertThat(line(r.out(), "ml/big")).matches("ml/big\\s+cv\\s+2\\s+8\\s+1h\\s+\\+0s");
        assertThat(line(r.out(), "ml/small")).matches("ml/small\\s+nlp\\s+1\\s+4\\s+1h\\*\\s+waiting");
        assertThat(line(r.out(), "  ml/small (current)")).contains("max");
        assertThat(line(r.out(), "admitted ")).matches("admitted\\s+1 of 2");
    }

    @Test
    void aProposedQueueMaxAdmitsWhatWaitsAndDelaysWhatItDisplaces() throws IOException {
        Path queues = dir.resolve("queues.yaml");
        Files.writeString(queues, queuesYaml("4", null));

        CliRun r = run("what-if", "--kubeconfig", kubeconfig.toString(), "--proposed-queues", queues.toString(),
                "-o", "json");

        assertThat(r.code()).as(r.err()).isZero();
        JsonNode report = JsonMapper.builder().build().readTree(r.out());
        JsonNode big = workload(report, "ml/big");
        JsonNode small = workload(report, "ml/small");
        assertThat(small.get("current").get("status").asString()).isEqualTo("waiting");
        assertThat(small.get("proposed").get("admittedAfterSeconds").asLong()).isZero();
        assertThat(big.get("current").get("admittedAfterSeconds").asLong()).isZero();
        // nlp goes first on fair share and takes half of gpu-b: big waits for train's node, ~30 min from now.
        assertThat(big.get("proposed").get("admittedAfterSeconds").asLong()).isBetween(1700L, 1800L);
        assertThat(big.get("durationSource").asString()).isEqualTo("annotation");
        assertThat(small.get("durationSource").asString()).isEqualTo("assumed");
        assertThat(report.get("current").get("admitted").asInt()).isEqualTo(1);
        assertThat(report.get("proposed").get("admitted").asInt()).isEqualTo(2);
        assertThat(report.get("regressions")).isEmpty();
    }

    @Test
    void aProposedPolicyWithoutPreemptionLeavesRunningWorkAloneAndDelaysWhatWouldPreemptIt() throws IOException {
        // Two 8-GPU pods of cv at priority 100: they need both nodes, one of which train holds.
        pod("urgent-0", "urgent", "cv", 8, "1h", null, 100);
        pod("urgent-1", "urgent", "cv", 8, "1h", null, 100);
        Path calm = dir.resolve("calm.yaml");
        Files.writeString(calm, "apiVersion: kubeai.io/v1alpha1\nkind: SchedulingPolicy\npreemption: {enabled: false}\n");

        CliRun r = run("what-if", "--kubeconfig", kubeconfig.toString(), "--proposed", calm.toString(), "-o", "json");

        assertThat(r.code()).as(r.err()).isZero();
        JsonNode report = JsonMapper.builder().build().readTree(r.out());
        JsonNode urgent = workload(report, "ml/urgent");
        // Current: train is preempted for it within a cycle or two. Proposed: it waits for the nodes to empty.
        assertThat(urgent.get("current").get("admittedAfterSeconds").asLong()).isLessThan(60);
        assertThat(report.get("current").get("runningPreempted").asInt()).isEqualTo(1);
        assertThat(urgent.get("proposed").get("admittedAfterSeconds").asLong()).isGreaterThan(1700);
        assertThat(report.get("proposed").get("runningPreempted").asInt()).isZero();
        assertThat(report.get("proposed").get("policy").asString()).startsWith("file " + calm);
    }

    @Test
    void aProposalThatLeavesAdmittedWorkWaitingExitsThree() throws IOException {
        Path queues = dir.resolve("queues.yaml");
        Files.writeString(queues, queuesYaml("2", "4"));

        CliRun r = run("what-if", "--kubeconfig", kubeconfig.toString(), "--proposed-queues", queues.toString());

        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(3);
        assertThat(line(r.out(), "ml/big")).matches("ml/big\\s+cv\\s+2\\s+8\\s+1h\\s+\\+0s\\s+waiting\\s+<- stranded");
        assertThat(r.err()).contains("ml/big");
    }

    @Test
    void theClustersPolicyConfigMapIsTheCurrentPolicy() {
        client.configMaps().inNamespace("kubeai-system").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("kubeai-policy").withNamespace("kubeai-system").endMetadata()
                .withData(Map.of("scheduling-policy.yaml", "apiVersion: kubeai.io/v1alpha1\nkind: SchedulingPolicy\n"
                        + "placement: {policy: GpuPacking}\n")).build()).create();

        CliRun r = run("what-if", "--kubeconfig", kubeconfig.toString());

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("Current:    ConfigMap kubeai-system/kubeai-policy; queues from the cluster");

        client.configMaps().inNamespace("kubeai-system").withName("kubeai-policy").edit(m -> {
            m.setData(Map.of("scheduling-policy.yaml", "apiVersion: kubeai.io/v1alpha1\nkind: SchedulingPolicy\n"
                    + "preemption: {maxVictims: lots}\n"));
            return m;
        });
        CliRun bad = run("what-if", "--kubeconfig", kubeconfig.toString());
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).contains("ConfigMap kubeai-system/kubeai-policy", "preemption.maxVictims");
    }

    @Test
    void aBadPolicyFileExitsOneNamingTheFileAndField() throws IOException {
        Path bad = dir.resolve("proposed.yaml");
        Files.writeString(bad, "apiVersion: kubeai.io/v1alpha1\nkind: SchedulingPolicy\nplacement:\n  policy: Fastest\n");

        CliRun r = run("what-if", "--kubeconfig", kubeconfig.toString(), "--proposed", bad.toString());

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains(bad.toString(), "placement.policy", "Fastest");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aBadQueueFileExitsOneNamingTheDocumentAndField() throws IOException {
        Path bad = dir.resolve("queues.yaml");
        Files.writeString(bad, queuesYaml("lots", null));

        CliRun r = run("what-if", "--kubeconfig", kubeconfig.toString(), "--proposed-queues", bad.toString());

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains(bad.toString(), "documents[2]", "queue nlp spec.max");
    }

    @Test
    void badFlagsExitOne() {
        assertThat(run("what-if", "--kubeconfig", kubeconfig.toString(), "--horizon", "soon").code()).isEqualTo(1);
        assertThat(run("what-if", "--no-such-flag").code()).isEqualTo(1);
        assertThat(run("what-if", "--kubeconfig", kubeconfig.toString(), "-o", "xml").code()).isEqualTo(1);
    }

    @Test
    void anUnreachableClusterExitsTwo() throws IOException {
        Path nowhere = dir.resolve("nowhere");
        Files.writeString(nowhere, kubeconfig("https://127.0.0.1:1"));

        CliRun r = run("what-if", "--kubeconfig", nowhere.toString(), "--timeout", "5s");

        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains("cannot reach the cluster at https://127.0.0.1:1");
    }

    @Test
    void yamlOutputCarriesTheSameReport() {
        CliRun r = run("what-if", "--kubeconfig", kubeconfig.toString(), "-o", "yaml", "--horizon", "2h");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("horizonSeconds: 7200", "workload: \"ml/big\"");
    }

    /**
     * The examples in docs/operator-tools.md: every operator tool run on this cluster, its output
     * written to {@code cli/target/operator-tools/} (rerun this test to refresh them).
     */
    @Test
    void writesTheOperatorToolsExamples() throws IOException {
        Path queues = dir.resolve("queues.yaml");
        Files.writeString(queues, queuesYaml("4", null));
        Path target = Path.of("target", "operator-tools");
        Files.createDirectories(target);
        String k = "--kubeconfig=" + kubeconfig;
        String[][] runs = {
            {"queues", "queues", k},
            {"explain-small", "explain", "ml/small", k},
            {"explain-big", "explain", "ml/big", k},
            {"what-if", "what-if", k},
            {"what-if-proposed", "what-if", k, "--proposed-queues=" + queues},
            {"what-if-json", "what-if", k, "--proposed-queues=" + queues, "-o", "json"}};
        for (String[] x : runs) {
            CliRun r = run(java.util.Arrays.copyOfRange(x, 1, x.length));
            assertThat(r.code()).as(x[0] + ": " + r.err()).isZero();
            String shown = "$ kubeai " + String.join(" ", java.util.Arrays.copyOfRange(x, 1, x.length))
                    .replace(k, "").replace(queues.toString(), "queues.yaml").replaceAll(" +", " ").strip();
            Files.writeString(target.resolve(x[0] + ".txt"), shown + "\n" + r.out().replace(queues.toString(),
                    "queues.yaml"));
        }
        Files.writeString(target.resolve("queues.yaml"), queuesYaml("4", null));
        Path strict = dir.resolve("strict-queues.yaml");
        Files.writeString(strict, queuesYaml("2", "4"));
        CliRun r = run("what-if", k, "--proposed-queues=" + strict);
        assertThat(r.code()).as(r.err()).isEqualTo(3);
        Files.writeString(target.resolve("what-if-regression.txt"), ("$ kubeai what-if --proposed-queues=strict-queues.yaml\n"
                + r.out() + "$ echo $?\n3\n").replace(strict.toString(), "strict-queues.yaml"));
        Files.writeString(target.resolve("what-if-regression.err"), r.err().replace(strict.toString(), "strict-queues.yaml"));
        Files.writeString(target.resolve("strict-queues.yaml"), queuesYaml("2", "4"));
    }

    /** The proposed tree: org, cv (min 8, or min and max {@code cvMax}) and nlp (min 2, max {@code nlpMax}). */
    private static String queuesYaml(String nlpMax, String cvMax) {
        return """
                apiVersion: scheduling.kubeai.io/v1alpha1
                kind: Queue
                metadata: {name: org}
                ---
                apiVersion: scheduling.kubeai.io/v1alpha1
                kind: Queue
                metadata: {name: cv}
                spec: {parent: org, %s}
                ---
                apiVersion: scheduling.kubeai.io/v1alpha1
                kind: Queue
                metadata: {name: nlp}
                spec: {parent: org, min: {nvidia.com/gpu: 2}, max: {nvidia.com/gpu: %s}}
                """.formatted(cvMax == null ? "min: {nvidia.com/gpu: 8}"
                : "min: {nvidia.com/gpu: " + cvMax + "}, max: {nvidia.com/gpu: " + cvMax + "}", nlpMax);
    }

    private static JsonNode workload(JsonNode report, String id) {
        for (JsonNode w : report.get("workloads")) {
            if (w.get("workload").asString().equals(id)) {
                return w;
            }
        }
        throw new AssertionError("no " + id + " in " + report);
    }

    private static String line(String text, String prefix) {
        return text.lines().filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no line starting \"" + prefix + "\" in\n" + text));
    }

    private void queue(String name, String parent, Integer min, Integer max) {
        Queue q = new Queue();
        q.getMetadata().setName(name);
        QueueResourceSpec s = new QueueResourceSpec();
        s.setParent(parent);
        if (min != null) {
            s.setMin(Map.of(KubeAiNames.GPU_RESOURCE, new Quantity(String.valueOf(min))));
        }
        if (max != null) {
            s.setMax(Map.of(KubeAiNames.GPU_RESOURCE, new Quantity(String.valueOf(max))));
        }
        q.setSpec(s);
        client.resources(Queue.class).resource(q).create();
    }

    /** A gang member: gated and pending, or bound to gpu-a and started {@code startedAgo} ago. */
    private void pod(String name, String gang, String queue, int gpus, String expected, Duration startedAgo) {
        pod(name, gang, queue, gpus, expected, startedAgo, null);
    }

    private void pod(String name, String gang, String queue, int gpus, String expected, Duration startedAgo,
            Integer priority) {
        Map<String, String> ann = new HashMap<>();
        if (expected != null) {
            ann.put(KubeAiNames.EXPECTED_DURATION, expected);
        }
        PodBuilder b = new PodBuilder().withNewMetadata().withName(name).withNamespace("ml")
                .withLabels(Map.of(KubeAiNames.QUEUE, queue, KubeAiNames.GANG, gang)).withAnnotations(ann)
                .withCreationTimestamp(now.minus(Duration.ofHours(1)).toString()).endMetadata()
                .withNewSpec().withPriority(priority).addNewContainer().withName("c").withImage("x").withNewResources()
                .withLimits(Map.of(KubeAiNames.GPU_RESOURCE, new Quantity(String.valueOf(gpus)))).endResources()
                .endContainer().endSpec();
        if (startedAgo == null) {
            b.editSpec().withSchedulingGates(new PodSchedulingGateBuilder().withName(KubeAiNames.SCHEDULING_GATE).build())
                    .endSpec();
        } else {
            ann.put(KubeAiNames.ADMISSION_ID, "uid-" + gang + "/1");
            b.editMetadata().withAnnotations(ann).endMetadata().editSpec().withNodeName("gpu-a").endSpec()
                    .withNewStatus().withPhase("Running").withStartTime(now.minus(startedAgo).toString()).endStatus();
        }
        client.pods().inNamespace("ml").resource(b.build()).create();
    }

    static CliRun run(String... args) {
        return CliRun.of(args);
    }
}
