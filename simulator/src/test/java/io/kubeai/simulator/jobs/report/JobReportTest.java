package io.kubeai.simulator.jobs.report;

import static io.kubeai.simulator.jobs.JobBuilder.job;
import static io.kubeai.simulator.jobs.JobFixtures.gpuNodes;
import static io.kubeai.simulator.jobs.JobFixtures.queue;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubeai.simulator.jobs.JobFixtures;
import io.kubeai.simulator.jobs.JobSpec;
import io.kubeai.simulator.jobs.metrics.JobMetrics;
import io.kubeai.simulator.jobs.scheduler.JobSchedulers;
import io.kubeai.simulator.jobs.sim.JobComparison;
import io.kubeai.simulator.jobs.sim.JobSimulationConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobReportTest {
    static List<JobMetrics> runs;

    @BeforeAll
    static void compareOnASmallMix() {
        List<JobSpec> jobs = new ArrayList<>(JobFixtures.generated(150, 3, 32, 1.2, 3));
        jobs.add(job("gang,with \"quotes\"").at(0).runs(100).queue("q00").pods(2).gpus(1).build());
        runs = JobComparison.run(new JobComparison.Spec(jobs, gpuNodes(4, 8), JobFixtures.queues(3, 32),
                JobSchedulers.all(), JobSimulationConfig.DEFAULT, 2)).runs();
    }

    @Test
    void summaryHasAHeaderAndOneRowPerScheduler() {
        List<String> lines = JobReport.summaryTable(runs).lines().toList();

        assertThat(lines).hasSize(1 + runs.size());
        assertThat(lines.get(0)).contains("done", "deadlock", "wait p50", "wait p95", "wait p99", "alloc%", "preempt");
        for (int i = 0; i < runs.size(); i++) {
            assertThat(lines.get(i + 1)).startsWith(runs.get(i).scheduler())
                    .contains(String.valueOf(runs.get(i).jobsDone()));
        }
    }

    @Test
    void csvHasARowPerSchedulerAndJobWithQuotedFields(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("jobs.csv");
        JobReport.writeCsv(file, runs);
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);

        int header = lines.get(0).split(",").length;
        assertThat(lines).hasSize(1 + runs.size() * runs.get(0).jobs().size());
        assertThat(lines.get(0)).startsWith("scheduler,job,queue,tier");
        assertThat(lines).filteredOn(l -> !l.contains("\"")).allSatisfy(l -> assertThat(l.split(",", -1)).hasSize(header));
        assertThat(lines).anyMatch(l -> l.startsWith("kubeai,\"gang,with \"\"quotes\"\"\",q00,dev,0,2,1000,0,100,"));
    }

    @Test
    void htmlIsSelfContainedWithChartsAndTables(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("jobs.html");
        JobReport.writeHtml(file, runs, "kubeai simulate jobs <test>", "test machine");
        String page = Files.readString(file, StandardCharsets.UTF_8);

        assertThat(page).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
        assertThat(page).contains("<svg", "GPU allocation", "Queue length", "borrowed", "Fairness", "By tier",
                "kubeai simulate jobs &lt;test&gt;");
        for (JobMetrics m : runs) {
            assertThat(page).contains("<td>" + m.scheduler() + "</td>");
        }
        Matcher m = Pattern.compile("(https?:)?//[a-zA-Z0-9.-]+").matcher(page.replace("http://www.w3.org/2000/svg", ""));
        assertThat(m.find()).as("no network reference").isFalse();
        assertThat(page).doesNotContain("<script", "<link", "@import");
    }

    @Test
    void longSeriesAreThinnedKeepingTheEnds() {
        double[] v = new double[10_000];
        for (int i = 0; i < v.length; i++) {
            v[i] = i;
        }
        double[] t = JobReport.thin(v);
        assertThat(t.length).isLessThanOrEqualTo(JobReport.MAX_POINTS);
        assertThat(t[0]).isZero();
        assertThat(t[t.length - 1]).isEqualTo(9_999);
        assertThat(JobReport.thin(new double[] {1, 2})).containsExactly(1, 2);
    }

    @Test
    void durationsReadAsPeopleWriteThem() {
        assertThat(JobReport.duration(Double.NaN)).isEqualTo("-");
        assertThat(JobReport.duration(42)).isEqualTo("42s");
        assertThat(JobReport.duration(600)).isEqualTo("10m");
        assertThat(JobReport.duration(5400)).isEqualTo("1.5h");
        assertThat(JobReport.duration(3 * 86_400)).isEqualTo("3.0d");
    }

    @Test
    void aQueueWithoutJobsStillHasAFairnessRow() {
        List<JobMetrics> one = JobComparison.run(new JobComparison.Spec(List.of(job("a").queue("used").gpus(1).build()),
                gpuNodes(1, 8), List.of(queue("used", 4), queue("idle", 4)), JobSchedulers.all(),
                JobSimulationConfig.DEFAULT, 1)).runs();
        String page = JobReport.html(one, "c", "e");
        assertThat(page).contains("<tr><td>idle</td><td>50.00</td>");
    }
}
