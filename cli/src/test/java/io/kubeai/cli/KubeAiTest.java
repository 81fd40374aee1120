package io.kubeai.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeAiTest {
    @TempDir
    Path dir;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void helpListsTheSubcommands() {
        CliRun r = run("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("simulate");
        assertThat(run("simulate", "--help").out()).contains("fgd", "grid", "--seeds", "--policies", "--html");
    }

    @Test
    void fgdOnASmallTraceWritesTableCsvAndHtml() throws IOException {
        Path nodes = write("nodes.csv", """
                sn,cpu_milli,memory_mib,gpu,model
                n1,64000,262144,8,G2
                n2,32000,131072,2,T4
                """);
        Path pods = write("pods.csv", """
                name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec
                p1,4000,8192,1,500,
                p2,8000,16384,2,1000,
                p3,2000,4096,0,0,
                p4,4000,8192,1,1000,T4
                """);
        Path csv = dir.resolve("out.csv");
        Path html = dir.resolve("out.html");
        CliRun r = run("simulate", "fgd", "--nodes", nodes.toString(), "--pods", pods.toString(),
                "--policies", "bestfit,FGD", "--seeds", "1..3", "--csv", csv.toString(), "--html", html.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("pods", "BestFit", "FGD", "HTML:");
        assertThat(r.err()).contains("2 policies × 3 seeds = 6 runs");
        assertThat(Files.readAllLines(csv)).hasSize(1 + 2 * 3 * 131);
        assertThat(Files.readString(html)).contains("<svg");
    }

    @Test
    void aMalformedTraceFailsWithFileLineAndColumn() throws IOException {
        Path pods = write("pods.csv", "name,cpu_milli,memory_mib,num_gpu,gpu_milli\np1,4000,x,0,0\n");
        CliRun r = run("simulate", "fgd", "--pods", pods.toString(), "--html", dir.resolve("r.html").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains(pods + ":2:3: expected a non-negative integer for memory_mib");
        assertThat(r.err()).doesNotContain("Exception", "\tat ");
        assertThat(dir.resolve("r.html")).doesNotExist();
    }

    @Test
    void anUnknownPolicyNamesTheAllowedOnes() {
        CliRun r = run("simulate", "--policies", "Tetris");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("unknown placement policy \"Tetris\"", "Random, DotProd, GpuClustering");
    }

    @Test
    void aBackwardSeedRangeIsAUsageError() {
        CliRun r = run("simulate", "--seeds", "51..42");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("runs backwards; write it as 42..51");
    }

    @Test
    void seedsParseRangesAndLists() {
        assertThat(Seeds.parse("42..44")).containsExactly(42L, 43L, 44L);
        assertThat(Seeds.parse("7, 9,11")).containsExactly(7L, 9L, 11L);
    }

    private Path write(String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        return f;
    }
}
