package io.kubeai.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeai.kube.crd.Queue;
import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The CRDs in charts/kubeai/crds are the ones fabric8's crd-generator writes when kubeai-kube is
 * built (META-INF/fabric8/NAME-v1.yml in its jar, on this module's test classpath), byte for byte.
 */
class CrdsTest {
    static final String REFRESH = "chart-tests/sync-crds.sh";

    /** The generated CRDs by their chart file name (queues.scheduling.kubeai.io.yaml), read from kubeai-kube's artifact. */
    static Map<String, String> generated() throws IOException {
        Path location;
        try {
            location = Path.of(Queue.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> crds = new TreeMap<>();
        if (Files.isDirectory(location)) {
            collect(location.resolve("META-INF/fabric8"), crds);
        } else {
            try (FileSystem jar = FileSystems.newFileSystem(URI.create("jar:" + location.toUri()), Map.of())) {
                collect(jar.getPath("META-INF/fabric8"), crds);
            }
        }
        return crds;
    }

    private static void collect(Path dir, Map<String, String> into) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (name.endsWith("-v1.yml")) {
                    into.put(name.substring(0, name.length() - "-v1.yml".length()) + ".yaml", Files.readString(f));
                }
            }
        }
    }

    static Map<String, String> inChart() throws IOException {
        Map<String, String> crds = new TreeMap<>();
        try (Stream<Path> files = Files.list(HelmChart.chart().resolve("crds"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                crds.put(f.getFileName().toString(), Files.readString(f));
            }
        }
        return crds;
    }

    @Test
    void theBuildGeneratesTheQueueAndPodGroupCrds() throws IOException {
        assertThat(generated()).containsOnlyKeys("queues.scheduling.kubeai.io.yaml", "podgroups.scheduling.kubeai.io.yaml");
    }

    @Test
    void theChartHoldsExactlyTheCrdsTheBuildGenerates() throws IOException {
        Map<String, String> generated = generated();
        Map<String, String> chart = inChart();

        assertThat(chart.keySet()).as("files in charts/kubeai/crds; refresh them with: %s", REFRESH)
                .containsExactlyElementsOf(generated.keySet());
        for (Map.Entry<String, String> e : generated.entrySet()) {
            assertThat(chart.get(e.getKey()))
                    .as("charts/kubeai/crds/%s differs from the CRD kubeai-kube's build generates "
                            + "(META-INF/fabric8/%s); refresh the chart's copy with: %s", e.getKey(),
                            e.getKey().replace(".yaml", "-v1.yml"), REFRESH)
                    .isEqualTo(e.getValue());
        }
    }

    @Test
    void theChartsCrdsAreValidCustomResourceDefinitions() throws IOException {
        var validator = io.fabric8.kubernetes.schema.validator.Validator.newInstance();
        for (Map.Entry<String, String> e : inChart().entrySet()) {
            var report = validator.validate(e.getValue());
            assertThat(report.getMessages()).as("charts/kubeai/crds/%s", e.getKey())
                    .noneMatch(m -> m.getLevel() == io.fabric8.kubernetes.schema.validator.ValidationMessage.Level.ERROR);
            Map<String, Object> crd = Yaml.map(e.getValue());
            assertThat(crd).containsEntry("kind", "CustomResourceDefinition");
            assertThat(Yaml.<String>at(crd, "spec.group")).isEqualTo("scheduling.kubeai.io");
        }
    }
}
