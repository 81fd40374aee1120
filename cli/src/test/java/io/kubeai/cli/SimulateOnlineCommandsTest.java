package io.kubeai.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulateOnlineCommandsTest {
    @TempDir
    Path dir;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void simulateListsOvercommitStaggerAndGrowth() {
        assertThat(run("simulate", "--help").out()).contains("overcommit", "stagger", "growth");
    }

    @Test
    void overcommitPrintsBothRunsAndWritesTheDayChart() throws IOException {
        CliRun r = run("simulate", "overcommit", "--nodes", "3", "--days", "1", "--small-per-day", "150", "--threads", "1",
                "--out", dir.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("overcommit off", "overcommit on", "elastic evictions", "jobs completed per day");
        assertThat(Files.readString(dir.resolve("overcommit-day.svg"))).startsWith("<svg");
        assertThat(Files.readAllLines(dir.resolve("overcommit-day.csv"))).hasSize(25);
    }

    @Test
    void staggerPrintsBothPolicies() {
        CliRun r = run("simulate", "stagger", "--nodes", "4", "--days", "1", "--small-per-day", "40", "--threads", "1");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("no staggering", "ours", "production deadline misses", "peak hour / daily mean");
    }

    @Test
    void badSettingsAreRefusedNamingThem() {
        CliRun r = run("simulate", "overcommit", "--online-share", "1.5");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("reservedShare");
        CliRun g = run("simulate", "growth", "--max-factor", "0.5");
        assertThat(g.code()).isNotZero();
        assertThat(g.err()).contains("maxFactor");
    }
}
