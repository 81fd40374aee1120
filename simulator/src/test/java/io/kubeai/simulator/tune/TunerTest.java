package io.kubeai.simulator.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubeai.core.config.ConfigValidationException;
import io.kubeai.core.config.SchedulingPolicy;
import io.kubeai.simulator.jobs.JobFixtures;
import io.kubeai.simulator.jobs.JobSpec;
import io.kubeai.simulator.jobs.sim.JobSimulationConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TunerTest {
    static final String SPACE = """
            apiVersion: kubeai.io/v1alpha1
            kind: TuningSpace
            knobs:
              - path: placement.policy
                values: [BestFit, GpuPacking, FGD]
              - path: preemption.enabled
                values: [true, false]
              - path: queueing.agingIntervalSeconds
                values: [0, 600, 3600]
            objectives: [gpuAllocation, queueingDelayP95.prod, evictions]
            constraints: ["jobsFailed <= 0"]
            search: {method: random, budget: 7, seed: 11}
            seeds: [1, 2]
            """;

    /** A small cluster kept busy: 4 nodes of 8 GPUs, three queues, 60 jobs offering 1.3 × the GPUs. */
    static TuneWorkload workload(int seeds) {
        List<List<JobSpec>> jobs = new ArrayList<>();
        for (int s = 0; s < seeds; s++) {
            jobs.add(JobFixtures.generated(60, 3, 32, 1.3, 100 + s));
        }
        return new TuneWorkload("test: 60 jobs on 4 nodes", jobs, JobFixtures.gpuNodes(4, 8),
                JobFixtures.queues(3, 32), JobSimulationConfig.DEFAULT);
    }

    static TuneSpace space(String yaml) {
        return TuneSpaceTest.read(yaml);
    }

    static TuneResult run(TuneSpace space, int threads, Tuner.Shard shard) {
        return new Tuner(space, PolicyTrees.defaults(), workload(space.seeds().size()), threads).run(shard,
                Tuner.Progress.NONE);
    }

    @Test
    void theSameSeedGivesTheSameConfigurationsAndFrontierWhateverTheThreads() {
        TuneSpace space = space(SPACE);
        TuneResult one = run(space, 1, Tuner.Shard.WHOLE);
        TuneResult two = run(space, 2, Tuner.Shard.WHOLE);
        assertThat(one.complete()).isTrue();
        assertThat(one.evaluations()).hasSize(8);
        assertThat(two.evaluations()).isEqualTo(one.evaluations());
        assertThat(two.frontier()).isEqualTo(one.frontier());
        assertThat(two.recommended()).isEqualTo(one.recommended());
    }

    @Test
    void anotherSearchSeedDrawsOtherConfigurations() {
        TuneSpace space = space(SPACE);
        List<List<Integer>> a = new Search(space, PolicyTrees.defaults()).initial().stream().map(Candidate::levels).toList();
        List<List<Integer>> b = new Search(space.withSearch(space.search().withSeed(12)), PolicyTrees.defaults())
                .initial().stream().map(Candidate::levels).toList();
        assertThat(a).hasSize(7).doesNotHaveDuplicates();
        assertThat(b).hasSize(7).isNotEqualTo(a);
    }

    @Test
    void theCurrentConfigurationIsNumberZeroAndNeverDrawnAgain() {
        // a grid over the defaults' own values: the combination equal to the current policy is left out
        TuneSpace space = space(SPACE.replace("search: {method: random, budget: 7, seed: 11}",
                "search: {method: grid, budget: 18}"));
        List<Candidate> grid = new Search(space, PolicyTrees.defaults()).initial();
        assertThat(grid).hasSize(17);
        assertThat(grid).extracting(Candidate::index).containsExactlyElementsOf(
                java.util.stream.IntStream.rangeClosed(1, 17).boxed().toList());
        SchedulingPolicy current = SchedulingPolicy.fromTree(PolicyTrees.defaults());
        assertThat(grid).noneMatch(c -> c.policy(space, PolicyTrees.defaults()).equals(current));
    }

    @Test
    void aGridLargerThanTheBudgetIsRefused() {
        TuneSpace space = space(SPACE.replace("method: random", "method: grid"));
        assertThatThrownBy(() -> new Search(space, PolicyTrees.defaults()).initial())
                .hasMessageContaining("the grid has 18 configurations, more than the budget of 7");
    }

    @Test
    void shardsRunApartAndMergedEqualTheSingleMachineResult(@TempDir Path dir) {
        TuneSpace space = space(SPACE);
        TuneResult whole = run(space, 2, Tuner.Shard.WHOLE);
        for (int i = 0; i < 3; i++) {
            TuneResult shard = run(space, 1, new Tuner.Shard(i, 3));
            assertThat(shard.evaluations()).allMatch(e -> e.candidate().index() % 3 == shard.shard());
            TuneResultFile.write(shard, dir);
        }
        TuneResult merged = TuneResultFile.collect(dir);
        assertThat(merged).isEqualTo(whole);
        assertThat(merged.frontier()).isEqualTo(whole.frontier());
        assertThat(merged.recommended()).isEqualTo(whole.recommended());
    }

    @Test
    void aResultFileReadsBackEqual(@TempDir Path dir) {
        TuneResult whole = run(space(SPACE), 2, Tuner.Shard.WHOLE);
        assertThat(TuneResultFile.read(TuneResultFile.write(whole, dir))).isEqualTo(whole);
    }

    @Test
    void mergingRefusesAMissingShardAndAnotherWorkload(@TempDir Path dir) throws Exception {
        TuneSpace space = space(SPACE);
        TuneResultFile.write(run(space, 1, new Tuner.Shard(0, 3)), dir);
        TuneResultFile.write(run(space, 1, new Tuner.Shard(2, 3)), dir);
        assertThatThrownBy(() -> TuneResultFile.collect(dir))
                .isInstanceOf(ConfigValidationException.class)
                .hasMessageContaining("shard 1 of 3: missing; run it with --shards 3 --shard-index 1");
        TuneResult other = new Tuner(space, PolicyTrees.defaults(), new TuneWorkload("other", List.of(
                JobFixtures.generated(30, 3, 32, 1.3, 5)), JobFixtures.gpuNodes(4, 8), JobFixtures.queues(3, 32),
                JobSimulationConfig.DEFAULT), 1).run(new Tuner.Shard(1, 3), Tuner.Progress.NONE);
        TuneResultFile.write(other, dir);
        assertThatThrownBy(() -> TuneResultFile.collect(dir))
                .hasMessageContaining("shard-1-of-3.json: replayed another workload");
        Files.writeString(dir.resolve("shard-1-of-3.json"), "{\"kind\": ");
        assertThatThrownBy(() -> TuneResultFile.collect(dir))
                .hasMessageContaining("shard-1-of-3.json:1").hasMessageContaining("not valid JSON");
    }

    @Test
    void refineCannotBeSplitIntoShards() {
        TuneSpace space = space(SPACE.replace("method: random", "method: refine"));
        assertThatThrownBy(() -> run(space, 1, new Tuner.Shard(0, 2)))
                .hasMessageContaining("cannot be split into shards");
    }

    @Test
    void refineIsReproducibleAndStaysWithinTheBudget() {
        TuneSpace space = space(SPACE.replace("method: random, budget: 7", "method: refine, budget: 9, batch: 3"));
        TuneResult a = run(space, 2, Tuner.Shard.WHOLE);
        TuneResult b = run(space, 1, Tuner.Shard.WHOLE);
        assertThat(a.evaluations()).hasSize(10).isEqualTo(b.evaluations());
        assertThat(a.evaluations().stream().map(e -> e.candidate().levels()).distinct()).hasSize(10);
    }

    @Test
    void everyPathTheSimulatorReadsChangesItsSettings() {
        Map<String, Object> other = new LinkedHashMap<>();
        other.put("placement.policy", "FGD");
        other.put("queueing.agingIntervalSeconds", 7L);
        other.put("queueing.agingStep", 3L);
        other.put("queueing.maxAgingBoost", 5L);
        other.put("preemption.enabled", false);
        other.put("preemption.maxVictims", 2L);
        other.put("preemption.maxPreemptionsPerCycle", 1L);
        other.put("preemption.preemptorPrecedenceCycles", 0L);
        assertThat(other.keySet()).containsExactlyInAnyOrderElementsOf(PolicySimulation.READ_PATHS);
        JobSimulationConfig base = PolicySimulation.configFor(SchedulingPolicy.DEFAULT, JobSimulationConfig.DEFAULT);
        for (String path : PolicySimulation.READ_PATHS) {
            SchedulingPolicy p = SchedulingPolicy.fromTree(PolicyTrees.with(PolicyTrees.defaults(), path, other.get(path)));
            assertThat(PolicySimulation.configFor(p, JobSimulationConfig.DEFAULT)).as(path).isNotEqualTo(base);
        }
    }

    @Test
    void theRunsOwnSettingsAreKept() {
        JobSimulationConfig base = JobSimulationConfig.DEFAULT.withSeed(9).withHorizon(1000).withCycleInterval(3);
        SchedulingPolicy p = SchedulingPolicy.fromTree(PolicyTrees.with(PolicyTrees.defaults(), "placement.policy", "FGD"));
        JobSimulationConfig c = PolicySimulation.configFor(p, base);
        assertThat(c.seed()).isEqualTo(9);
        assertThat(c.horizonSeconds()).isEqualTo(1000);
        assertThat(c.cycleIntervalSeconds()).isEqualTo(3);
        assertThat(c.placementPolicy()).isEqualTo("FGD");
    }
}
