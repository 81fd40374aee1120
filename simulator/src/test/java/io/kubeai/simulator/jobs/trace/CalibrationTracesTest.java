package io.kubeai.simulator.jobs.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubeai.core.cluster.Node;
import io.kubeai.simulator.trace.TraceFormatException;
import io.kubeai.simulator.trace.TraceSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CalibrationTracesTest {
    private static final long MIB = 1024L * 1024L;

    @TempDir
    Path dir;

    @Test
    void phillyRunTimes() {
        long[] d = CalibrationTraces.phillyDurations();
        assertThat(d).hasSize(83_154);
        assertThat(d[0]).isEqualTo(1);
        assertThat(d[d.length / 2]).isEqualTo(1186);
        assertThat(d[d.length - 1]).isEqualTo(4_628_239);
        for (int i = 1; i < d.length; i++) {
            assertThat(d[i]).isGreaterThanOrEqualTo(d[i - 1]);
        }
        d[0] = -1; // a copy
        assertThat(CalibrationTraces.phillyDurations()[0]).isEqualTo(1);
    }

    @Test
    void heliosVcs() {
        List<CalibrationTraces.HeliosDay> days = CalibrationTraces.heliosDays();
        assertThat(days).hasSize(181);
        assertThat(days.get(0).date()).isEqualTo(LocalDate.of(2020, 4, 1));
        assertThat(days).allMatch(d -> d.vcGpus().size() == 25);
        CalibrationTraces.HeliosDay aug16 = days.stream().filter(d -> d.date().equals(LocalDate.of(2020, 8, 16)))
                .findFirst().orElseThrow();
        assertThat(aug16.total()).isEqualTo(1264);
        assertThat(aug16.vcGpus().values().stream().filter(g -> g > 0)).hasSize(18);
        assertThat(aug16.vcGpus()).containsEntry("vcJsw", 200);
        assertThat(days.stream().mapToInt(CalibrationTraces.HeliosDay::total).max().orElseThrow()).isEqualTo(1264);
    }

    @Test
    void paiMachines() {
        List<Node> pai = CalibrationTraces.paiMachines();
        assertThat(pai).hasSize(1897);
        assertThat(pai.stream().mapToInt(Node::gpuCount).sum()).isEqualTo(6742);
        assertThat(pai.get(0)).isEqualTo(Node.of("7399a758eb02bae1a3621236", 96_000, 512 * 1024 * MIB, 0, ""));
    }

    @Test
    void bundledTracesAreTheRepositoryFilesWithTheirLicences() throws IOException {
        for (String f : List.of(CalibrationTraces.PHILLY_RUNTIME, CalibrationTraces.HELIOS_VC_GPUS,
                CalibrationTraces.PAI_MACHINES)) {
            byte[] onDisk = Files.readAllBytes(Path.of("..", "traces").resolve(f));
            assertThat(resource(f)).as(f).isEqualTo(onDisk);
            String folder = f.substring(0, f.indexOf('/'));
            assertThat(resource(folder + "/LICENSE-CC-BY-4.0.txt")).as(folder + " licence").isNotEmpty();
            assertThat(resource(folder + "/README.md")).as(folder + " readme").isNotEmpty();
        }
    }

    private static byte[] resource(String path) throws IOException {
        try (InputStream in = CalibrationTracesTest.class.getClassLoader().getResourceAsStream("traces/" + path)) {
            assertThat(in).as(path).isNotNull();
            return in.readAllBytes();
        }
    }

    static Stream<Arguments> malformed() {
        Function<TraceSource, Object> philly = CalibrationTraces::readPhillyDurations;
        Function<TraceSource, Object> helios = CalibrationTraces::readHeliosDays;
        Function<TraceSource, Object> pai = CalibrationTraces::readPaiMachines;
        return Stream.of(
                Arguments.of("philly: no runtime column", philly, "seconds\n1\n", 1, 0, "missing column \"runtime\""),
                Arguments.of("philly: negative", philly, "runtime\n1.0\n-2.0\n", 3, 1, "non-negative number of seconds"),
                Arguments.of("philly: not a number", philly, "runtime\n1.0\nNaN\n", 3, 1, "found \"NaN\""),
                Arguments.of("philly: empty", philly, "runtime\n", 2, 0, "at least one run time"),
                Arguments.of("helios: bad date", helios, "date,vcA,total\n2020-13-01,8,8\n", 2, 1,
                        "expected a date YYYY-MM-DD"),
                Arguments.of("helios: bad total", helios, "date,vcA,vcB,total\n2020-04-01,8,8,17\n", 2, 4,
                        "expected total to be the sum of the VCs, 16, found 17"),
                Arguments.of("helios: repeated day", helios, "date,vcA,total\n2020-04-01,8,8\n2020-04-01,8,8\n", 3, 1,
                        "duplicate date"),
                Arguments.of("helios: negative GPUs", helios, "date,vcA,total\n2020-04-01,-8,8\n", 2, 2,
                        "non-negative integer for vcA"),
                Arguments.of("pai: short row", pai, "m1,T4,96,512,2\nm2,T4,96,512\n", 2, 5, "expected 5 fields"),
                Arguments.of("pai: CPU machine with GPUs", pai, "m1,CPU,96,512,2\n", 1, 5, "expected 0 GPUs for a CPU machine"),
                Arguments.of("pai: GPU machine without GPUs", pai, "m1,T4,96,512,0\n", 1, 5, "expected GPUs for a T4 machine"),
                Arguments.of("pai: repeated machine", pai, "m1,T4,96,512,2\nm1,T4,96,512,2\n", 2, 1, "duplicate machine"),
                Arguments.of("pai: cores", pai, "m1,T4,many,512,2\n", 1, 3, "non-negative integer for cap_cpu"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedCalibrationTracesNameFileLineAndColumn(String name, Function<TraceSource, Object> reader,
            String content, int line, int column, String problem) throws IOException {
        Path f = dir.resolve("bad.csv");
        Files.writeString(f, content);
        assertThatThrownBy(() -> reader.apply(TraceSource.file(f)))
                .isInstanceOfSatisfying(TraceFormatException.class, e -> {
                    assertThat(e.file()).isEqualTo(f.toString());
                    assertThat(e.problem()).contains(problem);
                    assertThat(e.line()).as("line").isEqualTo(line);
                    assertThat(e.column()).as("column").isEqualTo(column);
                });
    }
}
