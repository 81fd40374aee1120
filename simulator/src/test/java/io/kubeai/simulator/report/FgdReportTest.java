package io.kubeai.simulator.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeai.core.cluster.Node;
import io.kubeai.core.resource.PodRequest;
import io.kubeai.simulator.fgd.FgdExperiment;
import io.kubeai.simulator.fgd.FgdResults;
import io.kubeai.simulator.fgd.FgdWorkload;
import io.kubeai.simulator.fgd.PublishedMedians;
import io.kubeai.simulator.trace.TracePod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FgdReportTest {
    private static final long GIB = 1024L * 1024L * 1024L;
    private static FgdResults results;

    @TempDir
    Path dir;

    @BeforeAll
    static void run() {
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            nodes.add(Node.of("n" + i, 32_000, 128 * GIB, 4, "T4"));
        }
        List<TracePod> pods = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            pods.add(new TracePod("p" + i, PodRequest.cpuOnly(2_000 + 500 * (i % 3), 4 * GIB).withGpus(1, 250 + 250 * (i % 4))));
        }
        FgdWorkload w = FgdWorkload.of("tiny", nodes, pods);
        results = FgdExperiment.run(new FgdExperiment.Spec(List.of(w), List.of("BestFit", "FGD"), List.of(1L, 2L), 1.3, 1),
                FgdExperiment.Progress.NONE);
    }

    @Test
    void csvHasOneRowPerWorkloadPolicySeedAndPercentage() throws IOException {
        Path csv = dir.resolve("out.csv");
        new FgdReport(results, PublishedMedians.load()).writeCsv(csv);
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines.get(0)).isEqualTo("workload,policy,seed,arrived_pct,alloc_pct,frag_total_pct,frag_rate_pct");
        assertThat(lines).hasSize(1 + 2 * 2 * 131);
        assertThat(lines.get(1)).startsWith("tiny,BestFit,1,0,");
    }

    @Test
    void htmlIsSelfContainedWithAChartPerMetric() throws IOException {
        Path html = dir.resolve("r.html");
        new FgdReport(results, PublishedMedians.load())
                .withReference(new FgdReport.ReferenceLine("tiny", "Offline packing", 97.5, "test level"))
                .writeHtml(html, "kubeai simulate fgd", "test environment");
        String page = Files.readString(html);
        assertThat(page).contains("<svg", "GPU allocation — tiny", "Fragmented GPU — tiny", "Offline packing");
        assertThat(countOf(page, "<svg")).isEqualTo(2);
        // Nothing fetched: the only URL is the SVG namespace.
        Matcher m = Pattern.compile("(https?:)?//[a-zA-Z0-9.-]+").matcher(page.replace("http://www.w3.org/2000/svg", ""));
        assertThat(m.find()).as("external reference").isFalse();
        assertThat(page).doesNotContain("<script", "<link");
    }

    @Test
    void tableListsEveryPolicyOfEveryWorkload() {
        String table = new FgdReport(results, PublishedMedians.load()).table();
        assertThat(table).contains("tiny", "BestFit", "FGD");
    }

    @Test
    void publishedMediansCoverTheDefaultWorkloadAndTheOtherWorkloadsAt130() {
        PublishedMedians p = PublishedMedians.load();
        assertThat(p.size()).isEqualTo(18 + 28);
        assertThat(p.allocation("openb_pod_list_default", "FGD", 130)).hasValue(95.40);
        assertThat(p.allocation("openb_pod_list_multigpu40", "BestFit", 130)).hasValue(95.22);
        assertThat(p.allocation("openb_pod_list_default", "FGD", 50)).isEmpty();
    }

    private static int countOf(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
