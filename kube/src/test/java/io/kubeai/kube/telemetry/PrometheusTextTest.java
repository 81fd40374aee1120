package io.kubeai.kube.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PrometheusTextTest {
    static String resource(String name) {
        try (InputStream in = PrometheusTextTest.class.getResourceAsStream("/dcgm/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void readsAWholeDcgmExporterScrape() {
        Exposition e = PrometheusText.parse(resource("a100-4gpu-pod-mapping.txt"), "a100-4gpu-pod-mapping.txt");
        assertThat(e.samples()).hasSize(19 * 4);
        assertThat(e.types()).hasSize(19).containsEntry("DCGM_FI_DEV_GPU_UTIL", "gauge")
                .containsEntry("DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION", "counter");
        assertThat(e.help()).containsEntry("DCGM_FI_DEV_FB_FREE", "Framebuffer memory free (in MiB).");
        Sample first = e.samples("DCGM_FI_DEV_GPU_UTIL").get(1);
        assertThat(first.labels().keySet()).containsExactly("gpu", "UUID", "pci_bus_id", "device", "modelName", "Hostname",
                "container", "namespace", "pod", "DCGM_FI_DRIVER_VERSION");
        assertThat(first.label("UUID")).isEqualTo("GPU-8a0d4c22-51f7-4b9e-9d33-2c6e8f4a7c05");
        assertThat(first.label("modelName")).isEqualTo("NVIDIA A100-SXM4-80GB");
        assertThat(first.value()).isEqualTo(87);
        assertThat(first.timestampMillis()).isNull();
        assertThat(e.samples("DCGM_FI_DEV_POWER_USAGE").get(0).value()).isEqualTo(61.482);
        assertThat(e.samples("DCGM_FI_PROF_DRAM_ACTIVE").get(1).value()).isEqualTo(0.41);
        assertThat(e.samples("DCGM_FI_DEV_FB_USED").get(2).labels()).doesNotContainKey("pod");
    }

    @Test
    void readsTheQuickStartLayoutWithBlanksBetweenLabelsAndDcgmBlankValues() {
        Exposition e = PrometheusText.parse(resource("l40s-1gpu-no-pod-mapping.txt"), "l40s");
        assertThat(e.samples()).hasSize(6);
        assertThat(e.types()).hasSize(6);
        assertThat(e.samples("DCGM_FI_DEV_MEMORY_TEMP").get(0).value()).isEqualTo(9.223372036854775794E18);
        assertThat(e.samples("DCGM_FI_DEV_FB_FREE").get(0).labels()).isEqualTo(Map.of("gpu", "0", "UUID",
                "GPU-9e21c7d4-6b3a-4f08-a5e2-d07f4b1c8a36"));
    }

    record Valid(String name, String text, Sample want) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Sample s(String name, double v, Long ts, String... kv) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            labels.put(kv[i], kv[i + 1]);
        }
        return new Sample(name, labels, v, ts);
    }

    static Stream<Valid> valid() {
        return Stream.of(
                new Valid("no labels", "up 1", s("up", 1, null)),
                new Valid("empty braces", "up{} 1", s("up", 1, null)),
                new Valid("a trailing comma in the braces", "m{a=\"1\",} 2", s("m", 2, null, "a", "1")),
                new Valid("blanks and tabs everywhere", "  m\t{ a = \"1\" ,\tb=\"2\" }\t 3 \t", s("m", 3, null, "a", "1",
                        "b", "2")),
                new Valid("no blank between the braces and the value", "m{a=\"1\"}4", s("m", 4, null, "a", "1")),
                new Valid("escapes in a label value", "m{path=\"C:\\\\gpu\",q=\"say \\\"hi\\\"\",nl=\"a\\nb\"} 1",
                        s("m", 1, null, "path", "C:\\gpu", "q", "say \"hi\"", "nl", "a\nb")),
                new Valid("braces and commas inside a label value", "m{v=\"{a=1, b}\"} 1", s("m", 1, null, "v", "{a=1, b}")),
                new Valid("a timestamp", "m 1 1700000000000", s("m", 1, 1_700_000_000_000L)),
                new Valid("a negative timestamp", "m 1 -1", s("m", 1, -1L)),
                new Valid("exponents", "m 1.5e3", s("m", 1500, null)),
                new Valid("a leading dot and a sign", "m -.5", s("m", -0.5, null)),
                new Valid("NaN", "m NaN", s("m", Double.NaN, null)),
                new Valid("+Inf", "m_bucket{le=\"+Inf\"} +Inf", s("m_bucket", Double.POSITIVE_INFINITY, null, "le", "+Inf")),
                new Valid("-Inf", "m -Inf", s("m", Double.NEGATIVE_INFINITY, null)),
                new Valid("colons in a metric name", "job:gpu_util:avg5m 0.5", s("job:gpu_util:avg5m", 0.5, null)),
                new Valid("a carriage return before the end of the line", "m 7\r", s("m", 7, null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void acceptsWhatTheFormatAllows(Valid c) {
        List<Sample> samples = PrometheusText.parse(c.text, "t").samples();
        assertThat(samples).hasSize(1);
        Sample got = samples.get(0);
        assertThat(got.name()).isEqualTo(c.want.name());
        assertThat(got.labels()).containsExactlyEntriesOf(c.want.labels());
        assertThat(Double.compare(got.value(), c.want.value())).as("value %s", got.value()).isZero();
        assertThat(got.timestampMillis()).isEqualTo(c.want.timestampMillis());
    }

    @Test
    void skipsCommentsAndBlankLinesAndReadsHelpEscapes() {
        Exposition e = PrometheusText.parse("""
                # a comment
                #no blank after the hash is a comment too

                # HELP m Line one\\nline two with a \\\\ backslash.
                # TYPE m gauge
                m 1
                   \t
                # HELP n
                n 2
                """, "t");
        assertThat(e.samples()).extracting(Sample::name).containsExactly("m", "n");
        assertThat(e.help()).containsEntry("m", "Line one\nline two with a \\ backslash.").containsEntry("n", "");
        assertThat(e.types()).containsExactly(Map.entry("m", "gauge"));
    }

    record Invalid(String name, String text, int line, int column, String problem) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Invalid> invalid() {
        return Stream.of(
                new Invalid("a label list not closed", "m{gpu=\"0\" 1", 1, 11,
                        "expected ',' or '}' after the value of label gpu, found '1'"),
                new Invalid("a label value not closed", "m{gpu=\"0\",UUID=\"GPU-1} 5", 1, 25,
                        "the value of label UUID is not closed by '\"' before the end of the line"),
                new Invalid("an unquoted label value", "m{gpu=0} 1", 1, 7, "expected '\"' to open the value of label gpu,"
                        + " found '0'"),
                new Invalid("a label name starting with a digit", "m{0gpu=\"0\"} 1", 1, 3, "expected a label name, found '0'"),
                new Invalid("a label without '='", "m{gpu \"0\"} 1", 1, 7, "expected '=' after the label name gpu, found '\"'"),
                new Invalid("a value that is not a number", "m 12abc", 1, 3, "\"12abc\" is not a number"),
                new Invalid("a hex value", "m 0x1F", 1, 3, "\"0x1F\" is not a number"),
                new Invalid("no value", "m", 1, 2, "expected a value after m, found the end of the line"),
                new Invalid("no value after labels", "m{a=\"1\"}  ", 1, 11,
                        "expected a value after the labels of m, found the end of the line"),
                new Invalid("a timestamp that is not an integer", "m 1 17e5", 1, 5,
                        "\"17e5\" is not a timestamp (an integer of milliseconds)"),
                new Invalid("too many fields", "m 1 2 3", 1, 7, "unexpected text after the timestamp: \"3\""),
                new Invalid("a label given twice", "m{a=\"1\",a=\"2\"} 1", 1, 9, "the label a is given twice"),
                new Invalid("a series given twice", "m{a=\"1\"} 1\nm{a=\"1\"} 2", 2, 1,
                        "the series m{a=\"1\"} is given twice"),
                new Invalid("the same series with its labels in another order", "m{a=\"1\",b=\"2\"} 1\nm{b=\"2\",a=\"1\"} 2", 2,
                        1, "the series m{b=\"2\",a=\"1\"} is given twice"),
                new Invalid("an unknown escape", "m{a=\"\\x\"} 1", 1, 6,
                        "\\x is not an escape in a label value; expected \\\\, \\\" or \\n"),
                new Invalid("a metric name starting with a digit", "9m 1", 1, 1,
                        "expected a metric name at the start of a sample, found '9'"),
                new Invalid("a dash in a metric name", "gpu-util 1", 1, 4,
                        "unexpected character '-' after the metric name gpu; expected '{' or a blank"),
                new Invalid("an unknown type", "# TYPE m gauges", 1, 10,
                        "\"gauges\" is not a metric type; expected one of [counter, gauge, histogram, summary, untyped]"),
                new Invalid("a type missing", "# TYPE m ", 1, 10, "expected a type after # TYPE m, one of [counter, gauge,"
                        + " histogram, summary, untyped]"),
                new Invalid("text after the type", "# TYPE m gauge now", 1, 16, "unexpected text after the type: \"now\""),
                new Invalid("a TYPE line after the samples", "m 1\n# TYPE m gauge", 2, 8,
                        "# TYPE for m comes after its samples; it must come before them"),
                new Invalid("a histogram's TYPE after its buckets", "h_bucket{le=\"1\"} 1\n# TYPE h histogram", 2, 8,
                        "# TYPE for h comes after its samples; it must come before them"),
                new Invalid("two TYPE lines", "# TYPE m gauge\n# TYPE m counter", 2, 3, "a second # TYPE for m"),
                new Invalid("two HELP lines", "# HELP m a\n# HELP m b", 2, 3, "a second # HELP for m"),
                new Invalid("an HTML error page", "<html><body>502 Bad Gateway</body></html>", 1, 1,
                        "expected a metric name at the start of a sample, found '<'"),
                new Invalid("JSON", "{\"gpu\": 0}", 1, 1, "expected a metric name at the start of a sample, found '{'"),
                new Invalid("the error is on the line it is on", "a 1\nb 2\n\n# c\nd{x=\"1\" y=\"2\"} 3", 5, 9,
                        "expected ',' or '}' after the value of label x, found 'y'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void rejectsWhatItDoesNotAllowWithLineAndColumn(Invalid c) {
        ExpositionFormatException e = catchThrowableOfType(ExpositionFormatException.class,
                () -> PrometheusText.parse(c.text, "http://10.0.0.7:9400/metrics"));
        assertThat(e).as("no error for %s", c.name).isNotNull();
        assertThat(new Object[] {e.line(), e.column(), e.problem()}).containsExactly(c.line, c.column, c.problem);
        assertThat(e.source()).isEqualTo("http://10.0.0.7:9400/metrics");
        assertThat(e.getMessage()).isEqualTo("http://10.0.0.7:9400/metrics:" + c.line + ":" + c.column + ": " + c.problem);
    }

    @Test
    void aScrapeCutShortFailsWholeAtTheLineWhereItStops() {
        String whole = resource("a100-4gpu-pod-mapping.txt");
        String cut = whole.substring(0, whole.indexOf("DCGM_FI_DEV_FB_USED{gpu=\"2\"") + 40);
        ExpositionFormatException e = catchThrowableOfType(ExpositionFormatException.class,
                () -> PrometheusText.parse(cut, "cut"));
        assertThat(e.line()).isEqualTo((int) cut.lines().count());
        assertThat(e.problem()).isEqualTo("the value of label UUID is not closed by '\"' before the end of the line");
    }

    @Test
    void binaryGarbageIsRejectedOnItsFirstLine() {
        String garbage = new String(new byte[] {0x1f, (byte) 0x8b, 0x08, 0x00, 0x12, 0x7f}, StandardCharsets.ISO_8859_1);
        ExpositionFormatException e = catchThrowableOfType(ExpositionFormatException.class,
                () -> PrometheusText.parse(garbage, "gzip"));
        assertThat(e.line()).isEqualTo(1);
        assertThat(e.column()).isEqualTo(1);
    }

    @Test
    void anEmptyScrapeHasNoSamples() {
        assertThat(PrometheusText.parse("", "empty").samples()).isEmpty();
        assertThat(PrometheusText.parse("\n\n# only comments\n", "empty").samples()).isEmpty();
    }
}
