package io.kubeai.simulator.tune;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeai.core.config.SchedulingPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.dataformat.yaml.YAMLMapper;

class TuneReportTest {
    @Test
    void writesTheReportTheTableAndARecommendedPolicyThatReadsBackAsTheRecommendation(@TempDir Path dir)
            throws Exception {
        TuneSpace space = TuneSpaceTest.read(TunerTest.SPACE);
        TuneResult r = TunerTest.run(space, 2, Tuner.Shard.WHOLE);
        List<Path> files = TuneReport.writeAll(r, dir, "kubeai simulate tune --test", "test machine");
        assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly(TuneReport.HTML, TuneReport.CSV,
                "tune-result.json", TuneReport.RECOMMENDED);

        Evaluation rec = r.recommended().orElseThrow();
        String yaml = Files.readString(dir.resolve(TuneReport.RECOMMENDED));
        assertThat(yaml).startsWith("# Recommended by: kubeai simulate tune --test\n");
        SchedulingPolicy read = SchedulingPolicy.fromTree(YAMLMapper.builder().build().readValue(yaml, Object.class));
        assertThat(read).isEqualTo(rec.candidate().policy(space, PolicyTrees.defaults()));

        String html = Files.readString(dir.resolve(TuneReport.HTML));
        assertThat(html).contains("<h2>Frontier</h2>", "<svg", "gpuAllocation against queueingDelayP95.prod",
                "<h2>Recommendation</h2>", "over seeds", "placement.policy");
        assertThat(html.split("<svg", -1)).hasSize(3);

        List<String> csv = Files.readAllLines(dir.resolve(TuneReport.CSV));
        assertThat(csv).hasSize(1 + r.evaluations().size());
        assertThat(csv.get(0)).startsWith("configuration,placement.policy,preemption.enabled,"
                + "queueing.agingIntervalSeconds,feasible,frontier,recommended,gpuAllocation.median");
        assertThat(csv.get(1)).startsWith("0,current,current,current,");

        String text = TuneReport.text(r);
        assertThat(text).contains("Frontier (median [min – max] over seeds; * recommended)")
                .contains(rec.candidate().index() + " *").contains("Recommended: " + rec.candidate().label(space));
    }

    @Test
    void noRecommendedFileWhenNothingMeetsTheConstraints(@TempDir Path dir) {
        TuneSpace space = TuneSpaceTest.read(TunerTest.SPACE.replace("jobsFailed <= 0", "jobsDone > 100000"));
        TuneResult r = TunerTest.run(space, 2, Tuner.Shard.WHOLE);
        TuneReport.writeAll(r, dir, "cmd", "env");
        assertThat(dir.resolve(TuneReport.RECOMMENDED)).doesNotExist();
        assertThat(TuneReport.text(r)).contains("nothing is recommended");
    }
}
