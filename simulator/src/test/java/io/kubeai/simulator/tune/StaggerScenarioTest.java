package io.kubeai.simulator.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubeai.core.config.ConfigValidationException;
import io.kubeai.core.config.SchedulingPolicy;
import io.kubeai.core.config.ValidationError;
import io.kubeai.simulator.jobs.JobSpec;
import io.kubeai.simulator.jobs.stagger.StaggerExperiment;
import java.time.LocalTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.dataformat.yaml.YAMLMapper;

class StaggerScenarioTest {
    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final String HEAD = "apiVersion: kubeai.io/v1alpha1\nkind: TuningSpace\n";

    static final String SPACE = HEAD + """
            knobs:
              - path: stagger.tiers.prod.window.start
                values: ["18:00", "20:00", "22:00"]
              - path: stagger.safetyMarginSeconds
                values: [600, 1800, 7200]
              - path: webhook.elastic.smallAtMost.cpu
                values: ["500m", "2"]
            objectives: [deadlineMisses, gpuPeakToAverage, queueingDelayP95.dev]
            constraints: ["deadlineMisses < 1%"]
            search: {method: random, budget: 2, seed: 3}
            seeds: [1, 2]
            """;

    static Map<String, Object> base() {
        return TuneScenario.STAGGER.defaultPolicy();
    }

    static TuneSpace read(String yaml, TuneScenario scenario) {
        return TuneSpace.read(YAML.readValue(yaml, Object.class), scenario.defaultPolicy(), scenario);
    }

    static List<ValidationError> errors(String yaml, TuneScenario scenario) {
        try {
            read(yaml, scenario);
        } catch (ConfigValidationException e) {
            return e.errors();
        }
        throw new AssertionError("accepted: " + yaml);
    }

    @Test
    void everyPathTheStaggerScenarioReadsChangesItsSettings() {
        Map<String, Object> other = new LinkedHashMap<>();
        other.put("placement.policy", "FGD");
        other.put("queueing.agingIntervalSeconds", 7L);
        other.put("queueing.agingStep", 3L);
        other.put("queueing.maxAgingBoost", 5L);
        other.put("preemption.enabled", false);
        other.put("preemption.maxVictims", 2L);
        other.put("preemption.maxPreemptionsPerCycle", 1L);
        other.put("preemption.preemptorPrecedenceCycles", 0L);
        other.put("webhook.elastic.smallAtMost.cpu", "1");
        other.put("webhook.elastic.smallAtMost.memory", "4Gi");
        other.put("elastic.intervalSeconds", 30L);
        other.put("elastic.reclaimThresholdPercent", 50L);
        other.put("elastic.memoryReclaimThresholdPercent", 55L);
        other.put("elastic.hysteresisPercent", 2L);
        other.put("elastic.maxStepPercent", 20L);
        other.put("elastic.reclaim.maxEvictionsPerInterval", 2L);
        other.put("stagger.safetyMarginSeconds", 600L);
        other.put("stagger.tiers.prod.window.start", "21:00");
        other.put("stagger.tiers.prod.window.end", "07:00");
        other.put("stagger.closingEvictions.intervalSeconds", 120L);
        other.put("stagger.closingEvictions.maxEvictionsPerInterval", 2L);
        assertThat(other.keySet()).containsExactlyInAnyOrderElementsOf(StaggerSimulation.READ_PATHS);
        StaggerExperiment.OursSettings base = StaggerSimulation.settingsFor(SchedulingPolicy.fromTree(base()));
        assertThat(StaggerSimulation.settingsFor(SchedulingPolicy.fromTree(base()))).isEqualTo(base);
        for (String path : StaggerSimulation.READ_PATHS) {
            SchedulingPolicy p = SchedulingPolicy.fromTree(PolicyTrees.with(base(), path, other.get(path)));
            assertThat(StaggerSimulation.settingsFor(p)).as(path).isNotEqualTo(base);
        }
    }

    @Test
    void thePolicySectionsReachTheRun() {
        Map<String, Object> tree = PolicyTrees.with(base(), "stagger.tiers.prod.window.start", "22:30");
        tree = PolicyTrees.with(tree, "stagger.safetyMarginSeconds", 900L);
        tree = PolicyTrees.with(tree, "stagger.closingEvictions.maxEvictionsPerInterval", 3L);
        tree = PolicyTrees.with(tree, "webhook.elastic.smallAtMost.cpu", "750m");
        tree = PolicyTrees.with(tree, "elastic.reclaimThresholdPercent", 45L);
        StaggerExperiment.OursSettings s = StaggerSimulation.settingsFor(SchedulingPolicy.fromTree(tree));
        assertThat(s.staggering().stagger().offPeak().start()).isEqualTo(LocalTime.of(22, 30));
        assertThat(s.staggering().stagger().offPeak().end()).isEqualTo(LocalTime.of(8, 0));
        assertThat(s.staggering().stagger().safetyMargin().toSeconds()).isEqualTo(900);
        assertThat(s.staggering().closingEvictionsPerInterval()).isEqualTo(3);
        assertThat(s.steering().sizesFor("dev").smallCpuMillis()).isEqualTo(750);
        assertThat(s.elastic().cpuReclaimThresholdPercent()).isEqualTo(45);
        assertThat(s.elastic().enabled()).isTrue();
    }

    @Test
    void theScenariosOwnSettingsRunAsItsOursRun() {
        StaggerExperiment.Spec spec = new StaggerWorkload(3, 1).spec(5);
        List<JobSpec> work = spec.work().generate();
        StaggerExperiment.Run a = StaggerExperiment.runOne(spec, work, StaggerExperiment.Policy.OURS);
        StaggerExperiment.Run b = StaggerExperiment.runOurs(spec, work, StaggerExperiment.OursSettings.of(spec));
        assertThat(b.metrics().jobs()).isEqualTo(a.metrics().jobs());
        assertThat(b.prodMissed()).isEqualTo(a.prodMissed());
        assertThat(b.gpuByHour()).isEqualTo(a.gpuByHour());
    }

    @Test
    void eachScenarioRefusesThePathsItDoesNotRead() {
        String staggerKnob = "knobs: [{path: stagger.safetyMarginSeconds, values: [600]}]\nobjectives: [gpuAllocation]\n";
        List<ValidationError> jobs = errors(HEAD + staggerKnob, TuneScenario.JOBS);
        assertThat(jobs).singleElement().satisfies(e -> {
            assertThat(e.path()).isEqualTo("knobs[0].path");
            assertThat(e.message()).contains("not read by the job simulator").contains("--scenario stagger")
                    .contains(PolicySimulation.READ_PATHS.toString());
        });
        assertThat(read(HEAD + staggerKnob, TuneScenario.STAGGER).knobs()).hasSize(1);

        List<ValidationError> stagger = errors(HEAD + "knobs: [{path: webhook.elastic.largeAtLeast.cpu, values: [\"16\"]}]\n"
                + "objectives: [deadlineMisses]\n", TuneScenario.STAGGER);
        assertThat(stagger).singleElement().satisfies(e -> {
            assertThat(e.path()).isEqualTo("knobs[0].path");
            assertThat(e.message()).contains("not read by the stagger scenario")
                    .contains(StaggerSimulation.READ_PATHS.toString());
        });
    }

    @Test
    void theStaggerMetricsAreRefusedWhereNothingMeasuresThem() {
        String knob = "knobs: [{path: placement.policy, values: [FGD]}]\n";
        List<ValidationError> e = errors(HEAD + knob + "objectives: [deadlineMisses]\n"
                + "constraints: [\"gpuPeakToAverage < 1.5\"]\n", TuneScenario.JOBS);
        assertThat(e).extracting(ValidationError::path).containsExactly("objectives[0]", "constraints[0]");
        assertThat(e.get(0).message()).contains("stagger scenario only");
        TuneSpace s = read(HEAD + knob + "objectives: [deadlineMisses]\nconstraints: [\"deadlineMisses < 1%\"]\n",
                TuneScenario.STAGGER);
        assertThat(s.constraints().get(0).bound()).isEqualTo(0.01);
    }

    @Test
    void aSmallStaggerTuneIsReproducibleAndMeasuresDeadlines() {
        TuneSpace space = read(SPACE, TuneScenario.STAGGER);
        TuneResult a = new Tuner(space, base(), new StaggerWorkload(3, 1), 2).run(Tuner.Shard.WHOLE,
                Tuner.Progress.NONE);
        TuneResult b = new Tuner(space, base(), new StaggerWorkload(3, 1), 1).run(Tuner.Shard.WHOLE,
                Tuner.Progress.NONE);
        assertThat(a.evaluations()).hasSize(3).isEqualTo(b.evaluations());
        TuneMetric misses = TuneMetric.named("deadlineMisses").orElseThrow();
        TuneMetric peak = TuneMetric.named("gpuPeakToAverage").orElseThrow();
        for (Evaluation e : a.evaluations()) {
            for (int s = 0; s < 2; s++) {
                assertThat(e.value(s, misses)).isBetween(0.0, 1.0);
                assertThat(e.value(s, peak)).isGreaterThanOrEqualTo(1.0);
            }
        }
        assertThat(a.reportedMetrics()).contains(misses, peak);
    }

    @Test
    void anUnknownScenarioIsNamed() {
        assertThatThrownBy(() -> TuneScenario.of("overcommit")).hasMessageContaining("[jobs, stagger]");
    }
}
