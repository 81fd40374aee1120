package io.kubeai.simulator.jobs.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubeai.core.resource.ExtendedResources;
import io.kubeai.core.resource.GpuModels;
import io.kubeai.core.resource.PodRequest;
import io.kubeai.simulator.jobs.JobSpec;
import io.kubeai.simulator.trace.TraceFormatException;
import io.kubeai.simulator.trace.TraceSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JobTracesTest {
    private static final long MIB = 1024L * 1024L;
    private static final String HEADER =
            "job_id,submit_time,duration,queue,tier,priority,pods,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec\n";
    private static final String GOOD_JSON = "{\"job_id\":\"j1\",\"submit_time\":0,\"duration\":60,\"queue\":\"a\","
            + "\"tier\":\"dev\",\"priority\":0,\"pods\":1,\"cpu_milli\":1000,\"memory_mib\":1024,\"num_gpu\":1,"
            + "\"gpu_milli\":500}";

    @TempDir
    Path dir;

    private static JobSpec job(String id, long submit, String tier, int pods, PodRequest r) {
        return new JobSpec(id, submit, 60, "team-01", tier, tier.equals("prod") ? 100 : 0, pods, r);
    }

    private static List<JobSpec> handWritten() {
        return List.of(
                job("a", 0, "prod", 8, PodRequest.cpuOnly(8000, 65536 * MIB).withGpus(1, 1000)),
                job("b", 0, "dev", 1, PodRequest.cpuOnly(4000, 12288 * MIB).withGpus(1, 460)
                        .withGpuModels(GpuModels.of("T4", "G2"))),
                job("c", 5, "dev", 1, PodRequest.cpuOnly(15400, 51200 * MIB)),
                job("d\\x", 7, "prod", 2, PodRequest.cpuOnly(96000, 393216 * MIB).withGpus(8, 1000)
                        .withGpuModels(GpuModels.of("V100M16", "V100M32"))),
                new JobSpec("e", 9, 3_000_000_000L, "team-02", "dev", -5, 1, PodRequest.cpuOnly(0, 0)));
    }

    @Test
    void csvRoundTripIsExact() throws IOException {
        List<JobSpec> jobs = JobTraceGenerator.generate(GeneratorSpec.defaults().withJobs(3000).withSeed(7));
        Path f = dir.resolve("jobs.csv");
        JobTraces.writeCsv(jobs, f);
        assertThat(JobTraces.read(TraceSource.file(f))).isEqualTo(jobs);

        Path g = dir.resolve("hand.CSV");
        JobTraces.writeCsv(handWritten(), g);
        assertThat(JobTraces.read(TraceSource.file(g))).isEqualTo(handWritten());
    }

    @Test
    void jsonLinesRoundTripIsExact() throws IOException {
        List<JobSpec> jobs = JobTraceGenerator.generate(GeneratorSpec.defaults().withJobs(3000).withSeed(7));
        Path f = dir.resolve("jobs.jsonl");
        JobTraces.writeJsonLines(jobs, f);
        assertThat(JobTraces.read(TraceSource.file(f))).isEqualTo(jobs);
        assertThat(Files.readAllLines(f)).hasSize(3000).allSatisfy(l -> assertThat(l).startsWith("{\"job_id\":\"job-"));

        Path g = dir.resolve("hand.jsonl");
        JobTraces.writeJsonLines(handWritten(), g);
        assertThat(JobTraces.read(TraceSource.file(g))).isEqualTo(handWritten());
    }

    @Test
    void csvAndJsonLinesCarryTheSameJobs() throws IOException {
        Path c = dir.resolve("t.csv");
        Path j = dir.resolve("t.jsonl");
        JobTraces.writeCsv(handWritten(), c);
        JobTraces.writeJsonLines(JobTraces.read(TraceSource.file(c)), j);
        assertThat(JobTraces.read(TraceSource.file(j))).isEqualTo(JobTraces.read(TraceSource.file(c)));
    }

    @Test
    void theFormatExamplesRead() throws IOException {
        Path c = write("x.csv", HEADER
                + "job-000001,0,1186,team-01,prod,100,8,8000,65536,1,1000,\n"
                + "job-000002,17,61,team-03,dev,0,1,4000,12288,1,460,T4|G2\n");
        Path j = write("x.jsonl", """
                {"job_id":"job-000001","submit_time":0,"duration":1186,"queue":"team-01","tier":"prod","priority":100,"pods":8,"cpu_milli":8000,"memory_mib":65536,"num_gpu":1,"gpu_milli":1000}
                {"job_id":"job-000002","submit_time":17,"duration":61,"queue":"team-03","tier":"dev","priority":0,"pods":1,"cpu_milli":4000,"memory_mib":12288,"num_gpu":1,"gpu_milli":460,"gpu_spec":"T4|G2"}
                """);
        List<JobSpec> jobs = JobTraces.read(TraceSource.file(c));
        assertThat(JobTraces.read(TraceSource.file(j))).isEqualTo(jobs);
        assertThat(jobs.get(1)).isEqualTo(new JobSpec("job-000002", 17, 61, "team-03", "dev", 0, 1,
                new PodRequest(4000, 12288 * MIB, 1, 460, GpuModels.of("G2", "T4"), ExtendedResources.NONE)));
        assertThat(jobs.get(0).gpuSeconds()).isEqualTo(8 * 1186.0);
    }

    @Test
    void jobsComeSortedBySubmitTimeThenIdWhateverTheFileOrder() throws IOException {
        Path f = write("u.csv", HEADER
                + "z,5,1,q,dev,0,1,1,1,0,0,\n"
                + "b,0,1,q,dev,0,1,1,1,0,0,\n"
                + "a,5,1,q,dev,0,1,1,1,0,0,\n"
                + "\n"
                + "c,0,1,q,dev,0,1,1,1,0,0,\n");
        assertThat(JobTraces.read(TraceSource.file(f))).extracting(JobSpec::id).containsExactly("b", "c", "a", "z");
    }

    @Test
    void columnsMayComeInAnyOrderAndGpuSpecMayBeLeftOut() throws IOException {
        Path f = write("o.csv", "tier,job_id,queue,submit_time,duration,priority,pods,gpu_milli,num_gpu,memory_mib,cpu_milli\n"
                + " prod , j1 ,q,3,9,7,2,250,1,10,100\n");
        assertThat(JobTraces.read(TraceSource.file(f))).containsExactly(new JobSpec("j1", 3, 9, "q", "prod", 7, 2,
                PodRequest.cpuOnly(100, 10 * MIB).withGpus(1, 250)));
    }

    @Test
    void gpuSpecMayBeNullOrRepeatAModelInJsonLines() throws IOException {
        Path f = write("n.jsonl", GOOD_JSON.replace("}", ",\"gpu_spec\":null}") + "\n"
                + GOOD_JSON.replace("j1", "j2").replace("}", ",\"gpu_spec\":\"V100M16|V100M32|V100M32\"}") + "\n");
        List<JobSpec> jobs = JobTraces.read(TraceSource.file(f));
        assertThat(jobs.get(0).podRequest().gpuModels()).isEqualTo(GpuModels.ANY);
        assertThat(jobs.get(1).podRequest().gpuModels()).isEqualTo(GpuModels.of("V100M16", "V100M32"));
    }

    private static List<JobSpec> timed() {
        PodRequest r = PodRequest.cpuOnly(1000, 1024 * MIB);
        return List.of(
                new JobSpec("p1", 0, 600, "prod", "prod", 100, 1, r).withTiming(true, JobSpec.NO_TIME, 7200),
                new JobSpec("p2", 10, 600, "prod", "prod", 100, 1, r).withTiming(true, 3600, 86_400),
                new JobSpec("d1", 20, 60, "dev", "dev", 0, 1, r),
                new JobSpec("d2", 30, 60, "dev", "dev", 0, 1, r).withTiming(false, 40, JobSpec.NO_TIME));
    }

    @Test
    void timingColumnsRoundTripInBothFormats() throws IOException {
        Path c = dir.resolve("timed.csv");
        Path j = dir.resolve("timed.jsonl");
        JobTraces.writeCsv(timed(), c);
        JobTraces.writeJsonLines(timed(), j);
        assertThat(JobTraces.read(TraceSource.file(c))).isEqualTo(timed());
        assertThat(JobTraces.read(TraceSource.file(j))).isEqualTo(timed());
        assertThat(Files.readAllLines(c).get(0)).endsWith(",gpu_spec,periodic,not_before,deadline");
        assertThat(Files.readAllLines(c).get(3)).isEqualTo("d1,20,60,dev,dev,0,1,1000,1024,0,0,,false,,");
        // JSON lines writes a timing member only where it says something
        assertThat(Files.readAllLines(j).get(2)).doesNotContain("periodic").doesNotContain("deadline");
        assertThat(Files.readAllLines(j).get(0)).endsWith(",\"periodic\":true,\"deadline\":7200}");
    }

    @Test
    void tracesWithoutTimingAreWrittenAsBeforeAndOldFilesRead() throws IOException {
        Path c = dir.resolve("old.csv");
        JobTraces.writeCsv(handWritten(), c);
        assertThat(Files.readAllLines(c).get(0) + "\n").isEqualTo(HEADER);
        assertThat(JobTraces.read(TraceSource.file(c))).allSatisfy(j -> assertThat(j.hasTiming()).isFalse());
    }

    @Test
    void theTimingExamplesRead() throws IOException {
        Path c = write("t.csv", HEADER.replace("\n", ",periodic,not_before,deadline\n")
                + "job-000003,3600,1800,prod,prod,100,1,2000,4096,0,0,,true,,36000\n"
                + "job-000004,3700,600,team-02,dev,0,1,1000,2048,0,0,,false,7200,\n");
        Path j = write("t.jsonl", """
                {"job_id":"job-000003","submit_time":3600,"duration":1800,"queue":"prod","tier":"prod","priority":100,"pods":1,"cpu_milli":2000,"memory_mib":4096,"num_gpu":0,"gpu_milli":0,"periodic":true,"deadline":36000}
                {"job_id":"job-000004","submit_time":3700,"duration":600,"queue":"team-02","tier":"dev","priority":0,"pods":1,"cpu_milli":1000,"memory_mib":2048,"num_gpu":0,"gpu_milli":0,"not_before":7200}
                """);
        List<JobSpec> jobs = JobTraces.read(TraceSource.file(c));
        assertThat(JobTraces.read(TraceSource.file(j))).isEqualTo(jobs);
        assertThat(jobs.get(0).periodic()).isTrue();
        assertThat(jobs.get(0).deadlineSeconds()).isEqualTo(36_000);
        assertThat(jobs.get(0).hasNotBefore()).isFalse();
        assertThat(jobs.get(1).notBeforeSeconds()).isEqualTo(7200);
        assertThat(jobs.get(1).hasDeadline()).isFalse();
    }

    static Stream<Arguments> malformedTiming() {
        String h = HEADER.replace("\n", ",periodic,not_before,deadline\n");
        return Stream.of(
                Arguments.of("periodic not a boolean", h + "j1,0,60,q,prod,0,1,1000,1024,0,0,,yes,,\n", 2, 13,
                        "expected true or false for periodic, found \"yes\""),
                Arguments.of("negative not-before", h + "j1,0,60,q,prod,0,1,1000,1024,0,0,,true,-5,\n", 2, 14,
                        "for not_before, found -5"),
                Arguments.of("deadline before submission", h + "j1,100,60,q,prod,0,1,1000,1024,0,0,,true,,100\n", 2, 15,
                        "expected a deadline after submit_time 100, found 100"),
                Arguments.of("deadline before not-before", h + "j1,0,60,q,prod,0,1,1000,1024,0,0,,true,500,400\n", 2, 15,
                        "expected a deadline after not_before 500, found 400"),
                Arguments.of("fractional deadline", h + "j1,0,60,q,prod,0,1,1000,1024,0,0,,true,,9.5\n", 2, 15,
                        "for deadline, found \"9.5\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedTiming")
    void malformedTimingNamesFileLineAndColumn(String name, String content, int line, int column, String problem)
            throws IOException {
        assertRefused(write("bad.csv", content), line, column, problem);
    }

    @Test
    void jsonTimingTakesBooleansAndNulls() throws IOException {
        Path f = write("b.jsonl", GOOD_JSON.replace("}", ",\"periodic\":false,\"not_before\":null,\"deadline\":null}")
                + "\n");
        assertThat(JobTraces.read(TraceSource.file(f)).get(0).hasTiming()).isFalse();
        String quoted = GOOD_JSON.replace("}", ",\"periodic\":\"true\"}");
        assertRefused(write("q.jsonl", quoted + "\n"), 1, quoted.indexOf("\"true\"") + 1,
                "expected true or false for periodic, found the string \"true\"");
    }

    @Test
    void emptyTracesAreEmpty() throws IOException {
        Path c = dir.resolve("e.csv");
        Path j = dir.resolve("e.jsonl");
        JobTraces.writeCsv(List.of(), c);
        JobTraces.writeJsonLines(List.of(), j);
        assertThat(JobTraces.read(TraceSource.file(c))).isEmpty();
        assertThat(JobTraces.read(TraceSource.file(j))).isEmpty();
    }

    @Test
    void theFileNamePicksTheFormat() throws IOException {
        Path f = write("jobs.txt", HEADER);
        assertThatThrownBy(() -> JobTraces.read(TraceSource.file(f)))
                .isInstanceOfSatisfying(TraceFormatException.class, e -> {
                    assertThat(e.line()).isZero();
                    assertThat(e.problem()).contains("expected a file name ending in .csv or .jsonl");
                });
        assertThat(JobTraces.readCsv(TraceSource.file(f))).isEmpty();
    }

    @Test
    void readingAMissingFileSaysSo() {
        assertThatThrownBy(() -> JobTraces.read(TraceSource.file(dir.resolve("nope.jsonl"))))
                .isInstanceOf(TraceFormatException.class).hasMessageContaining("no such file");
        assertThatThrownBy(() -> JobTraces.read(TraceSource.file(dir.resolve("nope.csv"))))
                .isInstanceOf(TraceFormatException.class).hasMessageContaining("no such file");
    }

    static Stream<Arguments> malformedCsv() {
        String ok = "j1,0,60,q,dev,0,1,1000,1024,1,500,\n";
        return Stream.of(
                Arguments.of("empty file", "", 1, 0, "empty file, expected a CSV header line"),
                Arguments.of("missing column", HEADER.replace(",duration", ""), 1, 0, "missing column \"duration\""),
                Arguments.of("unknown column", HEADER.replace("\n", ",colour\n"), 1, 13, "unknown column \"colour\""),
                Arguments.of("repeated column", HEADER.replace("\n", ",pods\n"), 1, 13, "duplicate column \"pods\""),
                Arguments.of("missing field", HEADER + ok + "j2,0,60,q,dev,0,1\n", 3, 8, "expected 12 fields"),
                Arguments.of("quoted field", HEADER + "j1,0,60,\"q\",dev,0,1,1000,1024,1,500,\n", 2, 4,
                        "quoted fields are not supported"),
                Arguments.of("empty id", HEADER + ",0,60,q,dev,0,1,1000,1024,1,500,\n", 2, 1,
                        "expected a job id without blanks, commas or quotes for job_id, found an empty field"),
                Arguments.of("id with a blank", HEADER + "j 1,0,60,q,dev,0,1,1000,1024,1,500,\n", 2, 1,
                        "found \"j 1\""),
                Arguments.of("duplicate id", HEADER + ok + ok, 3, 1, "duplicate job_id \"j1\" (first on line 2)"),
                Arguments.of("negative submit time", HEADER + "j1,-1,60,q,dev,0,1,1000,1024,1,500,\n", 2, 2,
                        "expected a non-negative integer number of seconds for submit_time, found -1"),
                Arguments.of("fractional submit time", HEADER + "j1,1.5,60,q,dev,0,1,1000,1024,1,500,\n", 2, 2,
                        "for submit_time, found \"1.5\""),
                Arguments.of("zero duration", HEADER + "j1,0,0,q,dev,0,1,1000,1024,1,500,\n", 2, 3,
                        "expected a positive integer number of seconds for duration, found 0"),
                Arguments.of("empty queue", HEADER + "j1,0,60,,dev,0,1,1000,1024,1,500,\n", 2, 4,
                        "for queue, found an empty field"),
                Arguments.of("unknown tier", HEADER + "j1,0,60,q,gold,0,1,1000,1024,1,500,\n", 2, 5,
                        "expected tier prod or dev, found \"gold\""),
                Arguments.of("tier in capitals", HEADER + "j1,0,60,q,Prod,0,1,1000,1024,1,500,\n", 2, 5,
                        "expected tier prod or dev, found \"Prod\""),
                Arguments.of("priority beyond int", HEADER + "j1,0,60,q,dev,3000000000,1,1000,1024,1,500,\n", 2, 6,
                        "for priority, found 3000000000"),
                Arguments.of("no pods", HEADER + "j1,0,60,q,dev,0,0,1000,1024,1,500,\n", 2, 7,
                        "expected an integer within 1..2147483647 for pods, found 0"),
                Arguments.of("bad cpu", HEADER + "j1,0,60,q,dev,0,1,four,1024,1,500,\n", 2, 8,
                        "expected a non-negative integer for cpu_milli, found \"four\""),
                Arguments.of("negative memory", HEADER + "j1,0,60,q,dev,0,1,1000,-5,1,500,\n", 2, 9,
                        "for memory_mib, found -5"),
                Arguments.of("memory overflowing bytes", HEADER + "j1,0,60,q,dev,0,1,1000,9000000000000,1,500,\n", 2, 9,
                        "for memory_mib, found 9000000000000"),
                Arguments.of("too many GPUs", HEADER + "j1,0,60,q,dev,0,1,1000,1024,32,1000,\n", 2, 10,
                        "expected an integer within 0..31 for num_gpu, found 32"),
                Arguments.of("fraction over 1000", HEADER + "j1,0,60,q,dev,0,1,1000,1024,1,1500,\n", 2, 11,
                        "for gpu_milli, found 1500"),
                Arguments.of("fraction on many GPUs", HEADER + "j1,0,60,q,dev,0,1,1000,1024,2,500,\n", 2, 11,
                        "expected gpu_milli 1000 for a pod with 2 GPUs"),
                Arguments.of("milli without GPUs", HEADER + "j1,0,60,q,dev,0,1,1000,1024,0,300,\n", 2, 11,
                        "expected gpu_milli 0 for a job without GPUs"),
                Arguments.of("no milli with GPUs", HEADER + "j1,0,60,q,dev,0,1,1000,1024,1,0,\n", 2, 11,
                        "expected gpu_milli within 1..1000 for a job with GPUs"),
                Arguments.of("model without GPUs", HEADER + "j1,0,60,q,dev,0,1,1000,1024,0,0,T4\n", 2, 12,
                        "expected an empty gpu_spec for a job without GPUs"),
                Arguments.of("empty model", HEADER + "j1,0,60,q,dev,0,1,1000,1024,1,500,T4||G2\n", 2, 12,
                        "for gpu_spec, found \"T4||G2\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedCsv")
    void malformedCsvNamesFileLineAndColumn(String name, String content, int line, int column, String problem)
            throws IOException {
        assertRefused(write("bad.csv", content), line, column, problem);
    }

    static Stream<Arguments> malformedJsonLines() {
        String ok = GOOD_JSON + "\n";
        return Stream.of(
                // column −1: the column of the marked text, found in the line
                Arguments.of("not an object", ok + "[1,2]\n", 2, 1, "", "expected a JSON object with the fields of a job, found an array"),
                Arguments.of("missing field", GOOD_JSON.replace("\"duration\":60,", "") + "\n", 1, 0, "",
                        "missing field \"duration\""),
                Arguments.of("unknown field", GOOD_JSON.replace("}", ",\"colour\":1}") + "\n", 1, -1, "\"colour\"",
                        "unknown field \"colour\""),
                Arguments.of("repeated field", GOOD_JSON.replace("}", ",\"pods\":2}") + "\n", 1, -1, "\"pods\":2",
                        "duplicate field \"pods\""),
                Arguments.of("number as a string", GOOD_JSON.replace("\"duration\":60", "\"duration\":\"60\"") + "\n", 1,
                        -1, "\"60\"", "expected a positive integer number of seconds for duration, found the string \"60\""),
                Arguments.of("fraction", GOOD_JSON.replace("\"duration\":60", "\"duration\":60.5") + "\n", 1, -1, "60.5",
                        "for duration, found \"60.5\""),
                Arguments.of("negative submit time", GOOD_JSON.replace("\"submit_time\":0", "\"submit_time\":-3") + "\n",
                        1, -1, "-3", "for submit_time, found -3"),
                Arguments.of("huge number", GOOD_JSON.replace("\"cpu_milli\":1000", "\"cpu_milli\":99999999999999999999")
                        + "\n", 1, -1, "99999999999999999999", "for cpu_milli, found \"99999999999999999999\""),
                Arguments.of("text as a number", GOOD_JSON.replace("\"queue\":\"a\"", "\"queue\":7") + "\n", 1, -1,
                        "7,", "for queue, found the number 7"),
                Arguments.of("null id", GOOD_JSON.replace("\"j1\"", "null") + "\n", 1, -1, "null",
                        "for job_id, found null"),
                Arguments.of("unknown tier", GOOD_JSON.replace("\"dev\"", "\"gold\"") + "\n", 1, -1, "\"gold\"",
                        "expected tier prod or dev, found \"gold\""),
                Arguments.of("queue with a comma", GOOD_JSON.replace("\"queue\":\"a\"", "\"queue\":\"a,b\"") + "\n", 1, -1,
                        "\"a,b\"", "for queue, found \"a,b\""),
                Arguments.of("fraction on many GPUs", GOOD_JSON.replace("\"num_gpu\":1", "\"num_gpu\":4") + "\n", 1, -1,
                        "500", "expected gpu_milli 1000 for a pod with 4 GPUs"),
                Arguments.of("duplicate id", ok + "\n" + ok, 3, -1, "\"j1\"", "duplicate job_id \"j1\" (first on line 1)"),
                Arguments.of("two objects on a line", GOOD_JSON + " " + GOOD_JSON + "\n", 1, 2 + GOOD_JSON.length(), "",
                        "expected the end of the line after the job's object, found an object"),
                Arguments.of("broken JSON", ok + "{\"job_id\":\"j2\",\"submit_time\":0,,}\n", 2, -1, ",}",
                        "malformed JSON"),
                Arguments.of("unterminated object", ok + "{\"job_id\":\"j2\"\n", 2, -1, "", "malformed JSON"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedJsonLines")
    void malformedJsonLinesNamesFileLineAndColumn(String name, String content, int line, int column, String marked,
            String problem) throws IOException {
        int expected = column;
        if (column < 0) {
            String text = content.split("\n", -1)[line - 1];
            expected = marked.isEmpty() ? -1 : text.lastIndexOf(marked) + 1;
        }
        Path f = write("bad.jsonl", content);
        if (expected == -1) {
            // Jackson's position for an unexpected end varies; it must still be a column of the line
            assertThatThrownBy(() -> JobTraces.read(TraceSource.file(f)))
                    .isInstanceOfSatisfying(TraceFormatException.class, e -> {
                        assertThat(e.line()).isEqualTo(line);
                        assertThat(e.column()).isBetween(0, content.split("\n", -1)[line - 1].length() + 1);
                        assertThat(e.problem()).contains(problem);
                    });
        } else {
            assertRefused(f, line, expected, problem);
        }
    }

    @Test
    void jsonColumnsPointAtTheValue() throws IOException {
        String line = GOOD_JSON.replace("\"pods\":1", "\"pods\":0");
        Path f = write("c.jsonl", line + "\n");
        assertRefused(f, 1, line.indexOf("\"pods\":0") + "\"pods\":".length() + 1, "for pods, found 0");
    }

    @Test
    void writersRefuseWhatTheReadersWouldNotReturnUnchangedAndWriteNothing() {
        PodRequest r = PodRequest.cpuOnly(1000, 1024 * MIB);
        List<List<JobSpec>> bad = List.of(
                List.of(new JobSpec("a b", 0, 1, "q", "dev", 0, 1, r)),
                List.of(new JobSpec("a", 0, 1, "q,r", "dev", 0, 1, r)),
                List.of(new JobSpec("a", 0, 1, "q", "dev", 0, 1, PodRequest.cpuOnly(1000, 1000))),
                List.of(new JobSpec("a", 0, 1, "q", "dev", 0, 1, r.withExtended(ExtendedResources.of("x/y", 1)))),
                List.of(new JobSpec("a", 0, 1, "q", "dev", 0, 1, r.withGpus(32, 1000))),
                List.of(new JobSpec("a", 0, 1, "q", "dev", 0, 1, r), new JobSpec("a", 1, 1, "q", "dev", 0, 1, r)));
        for (List<JobSpec> jobs : bad) {
            Path c = dir.resolve("w.csv");
            Path j = dir.resolve("w.jsonl");
            assertThatThrownBy(() -> JobTraces.writeCsv(jobs, c)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("job \"");
            assertThatThrownBy(() -> JobTraces.writeJsonLines(jobs, j)).isInstanceOf(IllegalArgumentException.class);
            assertThat(c).doesNotExist();
            assertThat(j).doesNotExist();
        }
    }

    @Test
    void nothingIsHalfLoaded() throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            lines.add("j" + i + "," + i + ",60,q,dev,0,1,1000,1024,0,0,");
        }
        lines.add("j100,100,60,q,dev,0,1,1000,1024,0,7,");
        Path f = write("late.csv", HEADER + String.join("\n", lines) + "\n");
        assertRefused(f, 102, 11, "expected gpu_milli 0");
    }

    private void assertRefused(Path f, int line, int column, String problem) {
        assertThatThrownBy(() -> JobTraces.read(TraceSource.file(f)))
                .isInstanceOfSatisfying(TraceFormatException.class, e -> {
                    assertThat(e.file()).isEqualTo(f.toString());
                    assertThat(e.problem()).contains(problem);
                    assertThat(e.line()).as("line").isEqualTo(line);
                    assertThat(e.column()).as("column").isEqualTo(column);
                    assertThat(e.getMessage()).startsWith(f + ":" + line + ":" + column + ": ");
                });
    }

    private Path write(String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        return f;
    }
}
