package io.kubeai.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulateOnlineCommandsTest {
    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = KubeAi.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void simulateListsOvercommitStaggerAndGrowth() {
        assertThat(run("simulate", "--help").out()).contains("overcommit", "stagger", "growth");
    }

    @Test
    void overcommitPrintsBothRunsAndWritesTheDayChart() throws IOException {
        Result r = run("simulate", "overcommit", "--nodes", "3", "--days", "1", "--small-per-day", "150", "--threads", "1",
                "--out", dir.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("overcommit off", "overcommit on", "elastic evictions", "jobs completed per day");
        assertThat(Files.readString(dir.resolve("overcommit-day.svg"))).startsWith("<svg");
        assertThat(Files.readAllLines(dir.resolve("overcommit-day.csv"))).hasSize(25);
    }

    @Test
    void staggerPrintsBothPolicies() {
        Result r = run("simulate", "stagger", "--nodes", "4", "--days", "1", "--small-per-day", "40", "--threads", "1");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("no staggering", "ours", "production deadline misses", "peak hour / daily mean");
    }

    @Test
    void badSettingsAreRefusedNamingThem() {
        Result r = run("simulate", "overcommit", "--online-share", "1.5");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("reservedShare");
        Result g = run("simulate", "growth", "--max-factor", "0.5");
        assertThat(g.code()).isNotZero();
        assertThat(g.err()).contains("maxFactor");
    }
}
