package io.kubeai.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.schema.validator.ValidationMessage;
import io.fabric8.kubernetes.schema.validator.Validator;
import io.kubeai.core.config.SchedulingPolicy;
import io.kubeai.kube.PolicyFile;
import io.kubeai.simulator.jobs.trace.ClusterShapes;
import io.kubeai.simulator.jobs.trace.GeneratorSpec;
import io.kubeai.simulator.jobs.trace.JobTraceGenerator;
import io.kubeai.simulator.jobs.trace.JobTraces;
import io.kubeai.simulator.tune.TuneReport;
import io.kubeai.simulator.tune.TuneResult;
import io.kubeai.simulator.tune.TuneResultFile;
import io.kubeai.webhook.AdmissionWebhook;
import io.kubeai.webhook.NamespaceLabels;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SimulateTuneCommandTest {
    @TempDir
    Path dir;

    static final String SPACE = """
            apiVersion: kubeai.io/v1alpha1
            kind: TuningSpace
            knobs:
              - path: placement.policy
                values: [BestFit, GpuPacking, FGD]
              - path: preemption.maxVictims
                values: [2, 16]
              - path: queueing.agingIntervalSeconds
                values: [0, 3600]
            objectives: [gpuAllocation, queueingDelayP95]
            search: {method: random, budget: 5, seed: 3}
            seeds: 2
            """;

    record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = KubeAi.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    private Path write(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    /** A small generated trace, written as a trace file: 80 jobs for 4 nodes. */
    private Path traceFile() throws IOException {
        int gpus = ClusterShapes.gpus(ClusterShapes.nodes(4, 1));
        Path f = dir.resolve("jobs.csv");
        JobTraces.writeCsv(JobTraceGenerator.generate(GeneratorSpec.defaults().withJobs(80).withSeed(5)
                .withClusterGpus(gpus).withTargetLoad(1.5).withQueues(3)), f);
        return f;
    }

    @Test
    void aGeneratedRunWritesTheFrontierAndARecommendedPolicyTheProcessesLoadUnchanged() throws IOException {
        Path space = write("space.yaml", SPACE);
        Path out = dir.resolve("out");
        Result r = run("simulate", "tune", "--generate", "--jobs", "60", "--nodes", "4", "--space", space.toString(),
                "--constraint", "jobsFailed <= 0", "--threads", "2", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("Tuning 3 knob(s), 12 combinations; random search, budget 5, 2 seed(s)");
        assertThat(r.out()).contains("6 configurations (current + 5), 2 seeds each", "Frontier", "Recommended: ",
                "12 simulations in");
        for (String f : List.of(TuneReport.HTML, TuneReport.CSV, "tune-result.json", TuneReport.RECOMMENDED)) {
            assertThat(out.resolve(f)).exists();
        }
        TuneResult result = TuneResultFile.read(out.resolve("tune-result.json"));
        assertThat(result.space().constraints()).extracting(c -> c.text()).containsExactly("jobsFailed <= 0");

        // the controller and the extender load the policy file with PolicyFile; so does the webhook
        Path recommended = out.resolve(TuneReport.RECOMMENDED);
        SchedulingPolicy loaded = PolicyFile.load(recommended);
        assertThat(loaded).isEqualTo(result.recommended().orElseThrow().candidate()
                .policy(result.space(), result.basePolicy()));
        assertThat(new AdmissionWebhook(loaded.webhook(), NamespaceLabels.NONE)).isNotNull();
        // the webhook command accepts it and gets as far as the TLS files
        Path pem = write("x.pem", "not a certificate");
        Result webhook = run("webhook", "--tls-cert", pem.toString(), "--tls-key", pem.toString(), "--config",
                recommended.toString(), "--port", "0");
        assertThat(webhook.err()).contains("kubeai: TLS certificate " + pem).doesNotContain("policy file");
    }

    @Test
    void theIndexedJobIsValidAndItsShardsRunLocallyByIndexMergeToTheSingleMachineResult() throws IOException {
        Path space = write("space.yaml", SPACE);
        Path trace = traceFile();
        Path policy = write("policy.yaml", "apiVersion: kubeai.io/v1alpha1\nkind: SchedulingPolicy\n"
                + "preemption: {maxVictims: 8}\n");
        List<String> common = List.of("--trace", trace.toString(), "--nodes", "4", "--space", space.toString(),
                "--policy", policy.toString(), "--constraint", "evictions <= 100");

        // the whole run on this machine
        Path whole = dir.resolve("whole");
        Result one = run(concat(List.of("simulate", "tune"), common, List.of("--out", whole.toString())));
        assertThat(one.code()).as(one.err()).isZero();

        // the Job
        Path jobDir = dir.resolve("job");
        Result emitted = run(concat(List.of("simulate", "tune"), common, List.of("--emit-job", "--shards", "3",
                "--image", "registry.example.com/kubeai:0.1.0", "--job-name", "tune-a", "--namespace", "ml",
                "--results-claim", "tune-results", "--out", jobDir.toString())));
        assertThat(emitted.code()).as(emitted.err()).isZero();
        String yaml = Files.readString(jobDir.resolve("tune-job.yaml"));
        Validator validator = Validator.newInstance();
        for (String doc : yaml.split("(?m)^---\\s*$")) {
            if (doc.isBlank()) {
                continue;
            }
            assertThat(validator.validate(doc).getMessages()).as(doc)
                    .noneMatch(m -> m.getLevel() == ValidationMessage.Level.ERROR);
        }
        KubernetesSerialization serialization = new KubernetesSerialization();
        List<HasMetadata> objects = serialization.unmarshal(yaml);
        assertThat(objects).hasSize(2);
        ConfigMap input = (ConfigMap) objects.get(0);
        Job job = (Job) objects.get(1);
        assertThat(job.getApiVersion()).isEqualTo("batch/v1");
        assertThat(job.getMetadata().getName()).isEqualTo("tune-a");
        assertThat(job.getMetadata().getNamespace()).isEqualTo("ml");
        assertThat(job.getSpec().getCompletionMode()).isEqualTo("Indexed");
        assertThat(job.getSpec().getCompletions()).isEqualTo(3);
        assertThat(job.getSpec().getParallelism()).isEqualTo(3);
        var pod = job.getSpec().getTemplate().getSpec();
        assertThat(pod.getRestartPolicy()).isEqualTo("Never");
        var container = pod.getContainers().get(0);
        assertThat(container.getImage()).isEqualTo("registry.example.com/kubeai:0.1.0");
        assertThat(container.getEnv()).extracting(EnvVar::getName).contains("JOB_COMPLETION_INDEX");
        assertThat(container.getEnv().get(0).getValueFrom().getFieldRef().getFieldPath())
                .isEqualTo("metadata.annotations['batch.kubernetes.io/job-completion-index']");
        assertThat(pod.getVolumes()).filteredOn(v -> v.getConfigMap() != null)
                .extracting(v -> v.getConfigMap().getName()).containsExactly("tune-a-input");
        assertThat(pod.getVolumes()).filteredOn(v -> v.getPersistentVolumeClaim() != null)
                .extracting(v -> v.getPersistentVolumeClaim().getClaimName()).containsExactly("tune-results");
        assertThat(input.getMetadata().getName()).isEqualTo("tune-a-input");
        assertThat(input.getData()).containsKeys("space.yaml", "policy.yaml", "jobs.csv");
        assertThat(input.getData().get("jobs.csv")).isEqualTo(Files.readString(trace));
        assertThat(SchedulingPolicy.fromTree(io.kubeai.simulator.tune.PolicyTrees.normalize(
                tools.jackson.dataformat.yaml.YAMLMapper.builder().build().readValue(input.getData().get("policy.yaml"),
                        Object.class)))).isEqualTo(PolicyFile.load(policy));

        // each shard as the Job's pods run it: the ConfigMap's files and the container's arguments
        Path mounted = Files.createDirectories(dir.resolve("mounted"));
        for (Map.Entry<String, String> e : input.getData().entrySet()) {
            Files.writeString(mounted.resolve(e.getKey()), e.getValue());
        }
        Path results = dir.resolve("results");
        for (int i = 0; i < 3; i++) {
            List<String> args = new ArrayList<>();
            for (String a : container.getArgs()) {
                args.add(a.replace(SimulateTuneCommand.CONFIG_MOUNT, mounted.toString())
                        .replace(SimulateTuneCommand.RESULTS_MOUNT, results.toString()));
            }
            Result shard = runWithIndex(args, i);
            assertThat(shard.code()).as(shard.err()).isZero();
            assertThat(shard.out()).contains("Shard " + i + " of 3");
        }
        assertThat(results.resolve("shard-2-of-3.json")).exists();

        Path merged = dir.resolve("merged");
        Result collect = run("simulate", "tune", "--collect", results.toString(), "--out", merged.toString());
        assertThat(collect.code()).as(collect.err()).isZero();
        TuneResult a = TuneResultFile.read(whole.resolve("tune-result.json"));
        TuneResult b = TuneResultFile.read(merged.resolve("tune-result.json"));
        assertThat(b.evaluations()).isEqualTo(a.evaluations());
        assertThat(b.frontier()).isEqualTo(a.frontier());
        assertThat(Files.readString(merged.resolve(TuneReport.RECOMMENDED)).lines().skip(1).toList())
                .isEqualTo(Files.readString(whole.resolve(TuneReport.RECOMMENDED)).lines().skip(1).toList());
    }

    /** Runs {@code kubeai} with JOB_COMPLETION_INDEX set to {@code index}, as an Indexed Job's pod has it. */
    private static Result runWithIndex(List<String> args, int index) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new KubeAi(), new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                K k = CommandLine.defaultFactory().create(cls);
                if (k instanceof SimulateTuneCommand t) {
                    t.environment = name -> name.equals("JOB_COMPLETION_INDEX") ? String.valueOf(index) : null;
                }
                return k;
            }
        });
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args.toArray(String[]::new));
        return new Result(code, out.toString(), err.toString());
    }

    @SafeVarargs
    private static String[] concat(List<String>... parts) {
        List<String> all = new ArrayList<>();
        for (List<String> p : parts) {
            all.addAll(p);
        }
        return all.toArray(String[]::new);
    }

    @Test
    void spaceErrorsAreNamedWithTheirPathsAndNothingRuns() throws IOException {
        Path space = write("space.yaml", SPACE.replace("values: [2, 16]", "values: [2, -16]")
                .replace("[gpuAllocation, queueingDelayP95]", "[gpuAllocation, joy]"));
        Path out = dir.resolve("out");
        Result r = run("simulate", "tune", "--generate", "--space", space.toString(), "--out", out.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("space file " + space + " has 2 errors",
                "knobs[1].values[1]: -16 is not a valid preemption.maxVictims", "objectives[1]: unknown metric \"joy\"");
        assertThat(r.err()).doesNotContain("Exception", "\tat ");
        assertThat(out).doesNotExist();
    }

    @Test
    void commandLineOverridesAreCheckedToo() throws IOException {
        Path space = write("space.yaml", SPACE);
        Result r = run("simulate", "tune", "--generate", "--space", space.toString(), "--objective", "happiness",
                "--method", "annealing", "--constraint", "evictions ~ 2");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("--objective[0]: unknown metric \"happiness\"", "--constraint[0]: ",
                "--method: \"annealing\" is not one of [grid, random, refine]");
    }

    @Test
    void aSourceIsRequiredAndShardsNeedAnIndex() throws IOException {
        Path space = write("space.yaml", SPACE);
        assertThat(run("simulate", "tune", "--space", space.toString()).err())
                .contains("give --trace FILE, --generate or --collect DIR");
        Result r = run("simulate", "tune", "--generate", "--space", space.toString(), "--shards", "2");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("--shards 2 needs --shard-index, or JOB_COMPLETION_INDEX");
        Result both = run("simulate", "tune", "--generate", "--trace", "x.csv", "--space", space.toString());
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).contains("mutually exclusive");
    }

    @Test
    void refineCannotBeEmittedAsShards() throws IOException {
        Path space = write("space.yaml", SPACE.replace("method: random", "method: refine"));
        Result r = run("simulate", "tune", "--generate", "--space", space.toString(), "--emit-job", "--shards", "2",
                "--out", dir.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("cannot be split into shards");
    }

    static final String STAGGER_SPACE = """
            apiVersion: kubeai.io/v1alpha1
            kind: TuningSpace
            knobs:
              - path: stagger.tiers.prod.window.start
                values: ["18:00", "22:00"]
              - path: webhook.elastic.smallAtMost.cpu
                values: ["500m", "2"]
            objectives: [deadlineMisses, gpuPeakToAverage]
            constraints: ["deadlineMisses <= 100%"]
            search: {method: random, budget: 1, seed: 2}
            seeds: 1
            """;

    @Test
    void theStaggerScenarioTunesItsOwnFieldsAndWritesAPolicyTheProcessesLoad() throws IOException {
        Path space = write("stagger.yaml", STAGGER_SPACE);
        Path out = dir.resolve("out");
        Result r = run("simulate", "tune", "--scenario", "stagger", "--nodes", "2", "--days", "1", "--space",
                space.toString(), "--threads", "2", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("stagger scenario, ours: 2 openb-shaped nodes");
        assertThat(r.out()).contains("2 configurations (current + 1), 1 seeds each", "deadlineMisses (↓)",
                "Recommended: ");
        SchedulingPolicy loaded = PolicyFile.load(out.resolve(TuneReport.RECOMMENDED));
        TuneResult result = TuneResultFile.read(out.resolve("tune-result.json"));
        assertThat(loaded).isEqualTo(result.recommended().orElseThrow().candidate()
                .policy(result.space(), result.basePolicy()));
        assertThat(loaded.stagger().window("prod")).isPresent();
    }

    @Test
    void eachScenarioRefusesWhatItDoesNotReadOrMeasure() throws IOException {
        Path stagger = write("stagger.yaml", STAGGER_SPACE);
        Result jobs = run("simulate", "tune", "--generate", "--space", stagger.toString());
        assertThat(jobs.code()).isEqualTo(1);
        assertThat(jobs.err()).contains("knobs[0].path: \"stagger.tiers.prod.window.start\" is not read by the job "
                + "simulator yet", "--scenario stagger", "objectives[0]: deadlineMisses is measured by the stagger "
                + "scenario only");
        Path plain = write("space.yaml", SPACE);
        Result r = run("simulate", "tune", "--scenario", "stagger", "--space", plain.toString(), "--objective",
                "deadlineMisses", "--constraint", "deadlineMisses < 1%", "--trace", "x.csv");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("--scenario stagger draws its own work for each seed; drop --trace");
        assertThat(run("simulate", "tune", "--scenario", "overcommit", "--space", plain.toString()).err())
                .contains("unknown scenario \"overcommit\"; scenarios are [jobs, stagger]");
    }

    @Test
    void aStaggerIndexedJobRunsTheStaggerScenario() throws IOException {
        Path space = write("stagger.yaml", STAGGER_SPACE);
        Result r = run("simulate", "tune", "--scenario", "stagger", "--days", "2", "--space", space.toString(),
                "--emit-job", "--shards", "2", "--out", dir.toString());
        assertThat(r.code()).as(r.err()).isZero();
        String job = Files.readString(dir.resolve("tune-job.yaml"));
        assertThat(job).contains("--scenario", "stagger", "--days").doesNotContain("--generate");
    }
}
