package io.kubeai.simulator.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubeai.core.config.ConfigValidationException;
import io.kubeai.core.config.ValidationError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.dataformat.yaml.YAMLMapper;

class TuneSpaceTest {
    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final String HEAD = "apiVersion: kubeai.io/v1alpha1\nkind: TuningSpace\n";

    static TuneSpace read(String yaml) {
        return TuneSpace.read(YAML.readValue(yaml, Object.class), PolicyTrees.defaults());
    }

    static List<ValidationError> errors(String yaml) {
        try {
            read(yaml);
        } catch (ConfigValidationException e) {
            return e.errors();
        }
        throw new AssertionError("accepted:\n" + yaml);
    }

    @Test
    void readsChoicesRangesAndSettings() {
        TuneSpace s = read(HEAD + """
                knobs:
                  - path: placement.policy
                    values: [FGD, BestFit]
                  - path: queueing.agingIntervalSeconds
                    min: 0
                    max: 3600
                    step: 1200
                  - path: preemption.maxVictims
                    min: 1
                    max: 64
                    levels: 4
                    scale: log
                  - path: preemption.enabled
                    values: [true, false]
                objectives: [gpuAllocation, queueingDelayP95.prod]
                constraints: ["evictions <= 20", "gpuAllocation >= 50%", "queueingDelayP95 < 2h"]
                search: {method: grid, budget: 100, seed: 7}
                seeds: [4, 5]
                """);
        assertThat(s.knobs()).containsExactly(
                new Knob("placement.policy", List.of("FGD", "BestFit"), false),
                new Knob("queueing.agingIntervalSeconds", List.of(0L, 1200L, 2400L, 3600L), true),
                new Knob("preemption.maxVictims", List.of(1L, 4L, 16L, 64L), true),
                new Knob("preemption.enabled", List.of(true, false), false));
        assertThat(s.size()).isEqualTo(2 * 4 * 4 * 2);
        assertThat(s.objectives()).extracting(TuneMetric::name).containsExactly("gpuAllocation", "queueingDelayP95.prod");
        assertThat(s.constraints()).extracting(Constraint::bound).containsExactly(20.0, 0.5, 7200.0);
        assertThat(s.search()).isEqualTo(new SearchSettings(SearchSettings.Method.GRID, 100, 7, 8));
        assertThat(s.seeds()).containsExactly(4L, 5L);
    }

    @Test
    void numericChoicesAreSortedSoThatNeighboursAreClose() {
        TuneSpace s = read(HEAD + "knobs: [{path: preemption.maxVictims, values: [16, 2, 8]}]\nobjectives: [evictions]\n");
        assertThat(s.knobs().get(0)).isEqualTo(new Knob("preemption.maxVictims", List.of(2L, 8L, 16L), true));
        assertThat(s.seeds()).containsExactly(1L, 2L, 3L);
        assertThat(s.search()).isEqualTo(SearchSettings.DEFAULT);
    }

    static Stream<Arguments> badSpaces() {
        String ok = "objectives: [gpuAllocation]\n";
        String knob = "knobs: [{path: placement.policy, values: [FGD]}]\n";
        return Stream.of(
                Arguments.of("wrong apiVersion", "apiVersion: v2\nkind: TuningSpace\n" + knob + ok,
                        "apiVersion", "\"v2\" is not supported"),
                Arguments.of("wrong kind", "apiVersion: kubeai.io/v1alpha1\nkind: SchedulingPolicy\n" + knob + ok,
                        "kind", "is not TuningSpace"),
                Arguments.of("unknown top-level field", HEAD + knob + ok + "budget: 3\n", "budget", "unknown field"),
                Arguments.of("no knobs", HEAD + ok, "knobs", "missing"),
                Arguments.of("not a policy field", HEAD + "knobs: [{path: placement.colour, values: [red]}]\n" + ok,
                        "knobs[0].path", "is not a SchedulingPolicy field"),
                Arguments.of("a section, not a field", HEAD + "knobs: [{path: preemption, values: [1]}]\n" + ok,
                        "knobs[0].path", "is a section of the policy"),
                Arguments.of("a field the simulator does not read",
                        HEAD + "knobs: [{path: elastic.intervalSeconds, values: [30, 60]}]\n" + ok,
                        "knobs[0].path", "not read by the job simulator yet"),
                Arguments.of("an invalid choice",
                        HEAD + "knobs: [{path: placement.policy, values: [FGD, Tetris]}]\n" + ok,
                        "knobs[0].values[1]", "Tetris is not a valid placement.policy"),
                Arguments.of("a value out of the field's range",
                        HEAD + "knobs: [{path: preemption.maxVictims, values: [4, -1]}]\n" + ok,
                        "knobs[0].values[1]", "-1 is not a valid preemption.maxVictims"),
                Arguments.of("a repeated value",
                        HEAD + "knobs: [{path: preemption.maxVictims, values: [4, 4]}]\n" + ok,
                        "knobs[0].values[1]", "appears twice"),
                Arguments.of("a repeated knob", HEAD + "knobs: [{path: placement.policy, values: [FGD]}, "
                        + "{path: placement.policy, values: [BestFit]}]\n" + ok, "knobs[1].path", "already a knob"),
                Arguments.of("values and a range",
                        HEAD + "knobs: [{path: preemption.maxVictims, values: [4], min: 1}]\n" + ok,
                        "knobs[0].values", "not both"),
                Arguments.of("neither values nor a range", HEAD + "knobs: [{path: preemption.maxVictims}]\n" + ok,
                        "knobs[0].path", "give the values to try"),
                Arguments.of("max below min",
                        HEAD + "knobs: [{path: preemption.maxVictims, min: 8, max: 2, levels: 3}]\n" + ok,
                        "knobs[0].max", "must be at least min"),
                Arguments.of("a range without max", HEAD + "knobs: [{path: preemption.maxVictims, min: 8}]\n" + ok,
                        "knobs[0].max", "missing"),
                Arguments.of("a range reaching invalid values",
                        HEAD + "knobs: [{path: preemption.maxVictims, min: 0, max: 20000, levels: 3}]\n" + ok,
                        "knobs[0].max", "20000 is not a valid preemption.maxVictims"),
                Arguments.of("log spacing from zero",
                        HEAD + "knobs: [{path: preemption.maxVictims, min: 0, max: 8, levels: 3, scale: log}]\n" + ok,
                        "knobs[0].min", "must be above 0 for log spacing"),
                Arguments.of("an unknown scale",
                        HEAD + "knobs: [{path: preemption.maxVictims, min: 1, max: 8, scale: cubic}]\n" + ok,
                        "knobs[0].scale", "cubic"),
                Arguments.of("an unknown knob field",
                        HEAD + "knobs: [{path: placement.policy, values: [FGD], weight: 2}]\n" + ok,
                        "knobs[0].weight", "unknown field"),
                Arguments.of("no objectives", HEAD + knob, "objectives", "missing"),
                Arguments.of("an unknown objective", HEAD + knob + "objectives: [gpuAllocation, happiness]\n",
                        "objectives[1]", "unknown metric \"happiness\""),
                Arguments.of("a repeated objective", HEAD + knob + "objectives: [evictions, evictions]\n",
                        "objectives[1]", "already an objective"),
                Arguments.of("a constraint that does not parse", HEAD + knob + ok + "constraints: [\"evictions ~ 3\"]\n",
                        "constraints[0]", "is not a constraint"),
                Arguments.of("a constraint on an unknown metric", HEAD + knob + ok + "constraints: [\"joy > 3\"]\n",
                        "constraints[0]", "unknown metric \"joy\""),
                Arguments.of("a percentage on a count", HEAD + knob + ok + "constraints: [\"evictions < 3%\"]\n",
                        "constraints[0]", "is not a share"),
                Arguments.of("a share above one", HEAD + knob + ok + "constraints: [\"gpuAllocation > 80\"]\n",
                        "constraints[0]", "write 80% for a percentage"),
                Arguments.of("an unknown search method", HEAD + knob + ok + "search: {method: annealing}\n",
                        "search.method", "annealing"),
                Arguments.of("a zero budget", HEAD + knob + ok + "search: {budget: 0}\n", "search.budget", "0"),
                Arguments.of("a repeated seed", HEAD + knob + ok + "seeds: [1, 2, 1]\n", "seeds[2]", "appears twice"),
                Arguments.of("a seed that is not a number", HEAD + knob + ok + "seeds: [1, x]\n", "seeds[1]",
                        "expected an integer"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSpaces")
    void refusesWithThePathOfTheError(String name, String yaml, String path, String message) {
        assertThat(errors(yaml)).anySatisfy(e -> {
            assertThat(e.path()).isEqualTo(path);
            assertThat(e.message()).contains(message);
        });
    }

    @Test
    void theUnreadFieldErrorListsTheTunablePaths() {
        List<ValidationError> e = errors(HEAD + "knobs: [{path: webhook.elastic.smallAtMost.cpu, values: [\"2\"]}]\n"
                + "objectives: [gpuAllocation]\n");
        assertThat(e).hasSize(1);
        assertThat(e.get(0).message()).contains("not read by the job simulator yet")
                .contains(PolicySimulation.READ_PATHS.toString());
    }

    @Test
    void reportsEveryErrorAtOnce() {
        List<ValidationError> e = errors("apiVersion: v0\nkind: TuningSpace\nknobs: [{path: nope, values: [1]}]\n"
                + "objectives: [joy]\nconstraints: [\"evictions ~ 1\"]\nsearch: {method: magic}\n");
        assertThat(e).extracting(ValidationError::path)
                .contains("apiVersion", "knobs[0].path", "objectives[0]", "constraints[0]", "search.method");
    }

    @Test
    void aSpaceFileNamesItselfAndTheLineOfASyntaxError(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("space.yaml");
        Files.writeString(f, HEAD + "knobs: [ {path: placement.policy\nobjectives: [gpuAllocation]\n");
        assertThatThrownBy(() -> TuneSpace.load(f, PolicyTrees.defaults()))
                .isInstanceOf(ConfigValidationException.class)
                .satisfies(t -> assertThat(((ConfigValidationException) t).errors().get(0).path())
                        .startsWith(f + ":"));
        Files.writeString(f, HEAD + "knobs: [{path: placement.policy, values: [Nope]}]\nobjectives: [gpuAllocation]\n");
        assertThatThrownBy(() -> TuneSpace.load(f, PolicyTrees.defaults()))
                .hasMessageContaining("space file " + f).hasMessageContaining("knobs[0].values[0]");
    }
}
