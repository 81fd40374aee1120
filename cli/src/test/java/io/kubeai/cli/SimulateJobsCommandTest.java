package io.kubeai.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulateJobsCommandTest {
    @TempDir
    Path dir;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private CliRun jobs(String... args) {
        List<String> all = new ArrayList<>(List.of("simulate", "jobs", "--html", dir.resolve("r.html").toString()));
        all.addAll(List.of(args));
        return run(all.toArray(new String[0]));
    }

    private static final String NODES = """
            sn,cpu_milli,memory_mib,gpu,model
            n1,64000,262144,8,V100M32
            n2,64000,262144,8,V100M32
            """;
    private static final String TRACE = """
            job_id,submit_time,duration,queue,tier,priority,pods,cpu_milli,memory_mib,num_gpu,gpu_milli
            a,0,600,cv,prod,100,2,8000,65536,4,1000
            b,10,300,nlp,dev,0,4,4000,16384,2,1000
            c,20,900,nlp,dev,0,1,4000,16384,1,500
            d,30,60,cv,dev,0,2,8000,65536,8,1000
            """;
    private static final String QUEUES = """
            queues:
              - {name: org}
              - {name: cv, parent: org, min: {nvidia.com/gpu: 8}}
              - {name: nlp, parent: org, min: {nvidia.com/gpu: 8}, max: {nvidia.com/gpu: 12}}
            """;

    @Test
    void aTraceWithNodesAndQueuesRunsEverySchedulerAndWritesSummaryCsvAndHtml() throws IOException {
        Path csv = dir.resolve("jobs.csv");
        CliRun r = jobs("--trace", write("t.csv", TRACE).toString(), "--nodes", write("n.csv", NODES).toString(),
                "--queues", write("q.yaml", QUEUES).toString(), "--csv", csv.toString());

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("scheduler", "kubeai", "kube-default", "kueue-like", "volcano-like", "timing",
                "peak heap used", "CSV:", "HTML:");
        assertThat(r.err()).contains("Simulating 4 jobs on 2 nodes (16 GPUs), 3 queues", "[4/4]");
        assertThat(Files.readAllLines(csv)).hasSize(1 + 4 * 4);
        String html = Files.readString(dir.resolve("r.html"));
        assertThat(html).contains("<svg", "GPU allocation", "Queue length", "Capacity borrowed", "Queueing delay",
                "kubeai simulate jobs --html");
    }

    @Test
    void withNothingButSizesItGeneratesATraceAndItsQueues() throws IOException {
        Path written = dir.resolve("gen.jsonl");
        CliRun r = jobs("--generate", "150", "--node-count", "12", "--policies", "kubeai,volcano-like",
                "--write-trace", written.toString());

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("Generating 150 jobs (seed 42", "on 12 nodes", "12 queues: kubeai, volcano-like");
        assertThat(r.out()).doesNotContain("kueue-like");
        assertThat(Files.readAllLines(written)).hasSize(150);

        CliRun again = jobs("--trace", written.toString(), "--node-count", "12", "--policies", "kubeai");
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.err()).contains("Simulating 150 jobs on 12 nodes");
    }

    @Test
    void aTraceWithoutQueuesGetsOneQueuePerName() throws IOException {
        CliRun r = jobs("--trace", write("t.csv", TRACE).toString(), "--node-count", "4", "--policies", "kubeai");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("2 queues");
    }

    @Test
    void aJobInAQueueTheFileDoesNotHaveIsRefusedNamingBoth() throws IOException {
        CliRun r = jobs("--trace", write("t.csv", TRACE).toString(), "--queues", write("q.yaml", """
                queues:
                  - {name: cv}
                """).toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("queue nlp (2 jobs, first b) is not in --queues", "queues are [cv]");
        assertThat(dir.resolve("r.html")).doesNotExist();
    }

    @Test
    void aJobInAParentQueueIsRefused() throws IOException {
        CliRun r = jobs("--trace", write("t.csv", TRACE.replace(",nlp,", ",org,")).toString(),
                "--queues", write("q.yaml", QUEUES).toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("queue org (job b) has child queues");
    }

    @Test
    void aBadQueuesFileIsRefusedWithItsPathsAndNothingRuns() throws IOException {
        Path q = write("q.yaml", """
                queues:
                  - {name: cv, min: {nvidia.com/gpu: eight}}
                  - {name: nlp, weight: 0}
                """);
        CliRun r = jobs("--trace", write("t.csv", TRACE).toString(), "--queues", q.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("queues file " + q + " has 2 errors", "queues[0].min.nvidia.com/gpu",
                "queues[1].weight: must be at least 1");
        assertThat(r.err()).doesNotContain("Exception", "\tat ");
        assertThat(r.err()).doesNotContain("Simulating");
    }

    @Test
    void aQueuesFileThatIsNotYamlNamesLineAndColumn() throws IOException {
        Path q = write("q.yaml", "queues:\n  - {name: cv\n");
        CliRun r = jobs("--queues", q.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).containsPattern(java.util.regex.Pattern.quote(q.toString()) + ":\\d+:\\d+: not valid YAML");
    }

    @Test
    void aMalformedTraceOrNodeListFailsWithFileLineAndColumn() throws IOException {
        Path t = write("t.csv", TRACE.replace("a,0,600", "a,0,-5"));
        CliRun r = jobs("--trace", t.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains(t + ":2:3:");

        Path n = write("n.csv", NODES.replace("n2,64000", "n2,lots"));
        CliRun rn = jobs("--trace", write("t2.csv", TRACE).toString(), "--nodes", n.toString());
        assertThat(rn.code()).isEqualTo(1);
        assertThat(rn.err()).contains(n + ":3:2:");
        assertThat(rn.err()).doesNotContain("\tat ");
    }

    @Test
    void missingFilesAreNamed() {
        CliRun r = jobs("--trace", dir.resolve("nope.csv").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("nope.csv", "no such file");
        CliRun q = jobs("--generate", "10", "--queues", dir.resolve("nope.yaml").toString());
        assertThat(q.code()).isEqualTo(1);
        assertThat(q.err()).contains("nope.yaml", "cannot be read");
    }

    @Test
    void badFlagsAreUsageErrors() {
        assertThat(jobs("--trace", "a.csv", "--generate", "10").code()).isEqualTo(2);
        assertThat(jobs("--nodes", "n.csv", "--node-count", "10").code()).isEqualTo(2);
        assertThat(jobs("--generate", "ten").code()).isEqualTo(2);
        assertThat(jobs("--node-shapes", "dgx").err()).contains("OPENB_GPU, OPENB_ALL, PAI");
        CliRun r = jobs("--load", "-1", "--cycle-interval", "-3");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--cycle-interval must not be negative, was -3", "--load must be within (0, 10]");
    }

    @Test
    void unknownSchedulersAndPlacementsNameTheKnownOnes() {
        CliRun s = jobs("--generate", "10", "--policies", "kubeai,yunikorn");
        assertThat(s.code()).isEqualTo(1);
        assertThat(s.err()).contains("unknown scheduler \"yunikorn\"", "kube-default, kueue-like, volcano-like");
        CliRun p = jobs("--generate", "10", "--placement", "Tetris");
        assertThat(p.code()).isEqualTo(1);
        assertThat(p.err()).contains("unknown placement policy \"Tetris\"");
    }

    @Test
    void aPolicyFileSetsTheCycleAndItsErrorsArePaths() throws IOException {
        Path bad = write("p.yaml", """
                apiVersion: kubeai.io/v1alpha1
                kind: SchedulingPolicy
                preemption: {maxVictims: -1}
                """);
        CliRun r = jobs("--generate", "10", "--policy", bad.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("preemption.maxVictims");
    }

    @Test
    void theCycleTimingRunsOnASmallSetting() {
        CliRun r = run("simulate", "cycle", "--pending", "300", "--queues", "3", "--node-count", "20", "--repeats", "1");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("onto an empty cluster", "onto the full cluster", "CPU s p50", "20 nodes");
        assertThat(run("simulate", "cycle", "--queues", "0").code()).isEqualTo(2);
    }

    @Test
    void helpListsTheJobsOptionsAndExitCodes() {
        CliRun r = run("simulate", "jobs", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("--trace", "--generate", "--nodes", "--queues", "--policies", "--csv", "--html",
                "--load", "--placement", "--cycle-interval", "Exit codes:");
        assertThat(run("simulate", "--help").out()).contains("jobs", "cycle");
    }

    private Path write(String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        return f;
    }
}
