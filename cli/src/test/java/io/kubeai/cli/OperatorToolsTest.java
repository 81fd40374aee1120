package io.kubeai.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@EnableKubernetesMockClient(crud = true)
class OperatorToolsTest {
    KubernetesClient client;

    @TempDir
    Path dir;
    Path kubeconfig;

    @BeforeEach
    void cluster() throws IOException {
        kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
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
                """.formatted(client.getMasterUrl()));
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("gpu-a").endMetadata().withNewStatus()
                .withAllocatable(Map.of("cpu", new Quantity("64"), "memory", new Quantity("256Gi"),
                        KubeAiNames.GPU_RESOURCE, new Quantity("8"))).endStatus().build()).create();
        queue("org", null, 8);
        queue("cv", "org", 6);
        queue("nlp", "org", 2);
        for (int i = 0; i < 2; i++) {
            client.pods().inNamespace("ml").resource(new PodBuilder().withNewMetadata().withName("w-" + i).withNamespace("ml")
                    .withLabels(Map.of(KubeAiNames.QUEUE, "cv", KubeAiNames.GANG, "big")).endMetadata().withNewSpec()
                    .withSchedulingGates(new PodSchedulingGateBuilder().withName(KubeAiNames.SCHEDULING_GATE).build())
                    .addNewContainer().withName("c").withImage("x").withNewResources()
                    .withLimits(Map.of(KubeAiNames.GPU_RESOURCE, new Quantity("8"))).endResources().endContainer()
                    .endSpec().build()).create();
        }
    }

    @Test
    void queuesShowsTheTreeAlignedAndAsJson() {
        CliRun r = run("queues", "--kubeconfig", kubeconfig.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("QUEUE", "org", "  cv", "  nlp");
        assertThat(r.out().lines().filter(l -> l.startsWith("  cv")).findFirst().orElseThrow())
                .matches("\\s+cv\\s+6\\s+-\\s+0\\s+0\\s+0\\s+6\\s+0\\s+1\\s+-"); // no window applies
        CliRun j = run("queues", "--kubeconfig", kubeconfig.toString(), "-o", "json");
        JsonNode rows = JsonMapper.builder().build().readTree(j.out());
        assertThat(rows).hasSize(3);
        assertThat(rows.get(1).get("name").asString()).isEqualTo("cv");
        assertThat(rows.get(1).get("pendingWorkloads").asInt()).isEqualTo(1);
    }

    @Test
    void explainSaysWhyAGangWaits() {
        CliRun r = run("explain", "ml/big", "--kubeconfig", kubeconfig.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("Workload:        ml/big", "Queue:           cv", "Position:        1 of 1 pending in queue cv",
                "Next cycle:      wait: can never be admitted: the whole cluster has 8 nvidia.com/gpu, the workload needs 16",
                "Placement:       only 1 of the 2 pods it needs at once fit on the nodes now",
                "the most free on one node is 8 nvidia.com/gpu (gpu-a)",
                "Quota check:     the whole cluster has 8 nvidia.com/gpu, the workload needs 16");
        assertThat(run("explain", "ml/nothing", "--kubeconfig", kubeconfig.toString()).code()).isEqualTo(3);
        assertThat(run("explain", "nonamespace", "--kubeconfig", kubeconfig.toString()).code()).isEqualTo(1);
        assertThat(run("explain").code()).as("a missing argument is bad input").isEqualTo(1);
        assertThat(run("queues", "--no-such-flag").code()).isEqualTo(1);
    }

    @Test
    void queuesShowsWhatAQueueLendsToASiblingThatBorrows() {
        // nlp (min 2) runs 4 GPUs: it borrows 2 of cv's unused 6.
        client.pods().inNamespace("ml").resource(new PodBuilder().withNewMetadata().withName("r-0").withNamespace("ml")
                .withLabels(Map.of(KubeAiNames.QUEUE, "nlp", KubeAiNames.GANG, "r"))
                .withAnnotations(Map.of(KubeAiNames.ADMISSION_ID, "uid-r/1")).endMetadata().withNewSpec()
                .withNodeName("gpu-a").addNewContainer().withName("c").withImage("x").withNewResources()
                .withLimits(Map.of(KubeAiNames.GPU_RESOURCE, new Quantity("4"))).endResources().endContainer().endSpec()
                .withNewStatus().withPhase("Running").endStatus().build()).create();

        CliRun r = run("queues", "--kubeconfig", kubeconfig.toString());

        assertThat(r.code()).as(r.err()).isZero();
        // QUEUE MIN MAX USED BORROWED LENT LENDABLE ADMITTED PENDING WINDOW
        assertThat(r.out()).containsPattern("\\n  cv\\s+6\\s+-\\s+0\\s+0\\s+2\\s+6\\s+0\\s+1\\s+-\\n")
                .containsPattern("\\n  nlp\\s+2\\s+-\\s+4\\s+2\\s+0\\s+0\\s+1\\s+0\\s+-\\n");
    }

    private void queue(String name, String parent, int gpus) {
        Queue q = new Queue();
        q.getMetadata().setName(name);
        QueueResourceSpec s = new QueueResourceSpec();
        s.setParent(parent);
        s.setMin(Map.of(KubeAiNames.GPU_RESOURCE, new Quantity(String.valueOf(gpus))));
        q.setSpec(s);
        client.resources(Queue.class).resource(q).create();
    }

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }
}
