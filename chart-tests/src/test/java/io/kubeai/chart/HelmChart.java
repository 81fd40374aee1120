package io.kubeai.chart;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintCommand;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * charts/kubeai as real Helm (helm-java bundles Helm's Go library) lints and renders it, with
 * values given as YAML snippets layered over the chart's values.yaml like {@code -f} files.
 */
final class HelmChart {
    static final String RELEASE = "kubeai";
    static final String NAMESPACE = "kubeai-system";

    private HelmChart() {
    }

    static Path repository() {
        String dir = System.getProperty("kubeai.repository.dir");
        if (dir == null) {
            throw new IllegalStateException("kubeai.repository.dir is not set: run the chart tests through Maven");
        }
        return Path.of(dir).toAbsolutePath().normalize();
    }

    static Path chart() {
        return repository().resolve("charts/kubeai");
    }

    /** {@code helm template kubeai charts/kubeai -n kubeai-system -f ...}, parsed. */
    static Rendered render(String... valuesYaml) {
        return Rendered.parse(renderText(valuesYaml));
    }

    static String renderText(String... valuesYaml) {
        FakeApiServer.get();
        TemplateCommand template = new Helm(chart()).template().withName(RELEASE).withNamespace(NAMESPACE);
        for (Path file : valuesFiles(valuesYaml)) {
            template = template.withValuesFile(file);
        }
        return template.call();
    }

    /** {@code helm lint --strict charts/kubeai -f ...}. */
    static LintResult lint(String... valuesYaml) {
        FakeApiServer.get();
        // helm-java's lint takes no values files: lint a copy of the chart whose values.yaml has them merged in.
        Path copy = copyOfChart();
        try {
            if (valuesYaml.length > 0) {
                Map<String, Object> values = Yaml.map(Files.readString(copy.resolve("values.yaml")));
                for (String yaml : valuesYaml) {
                    merge(values, Yaml.map(yaml));
                }
                Files.writeString(copy.resolve("values.yaml"), Yaml.dump(values));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LintCommand lint = new Helm(copy).lint().strict();
        return lint.call();
    }

    /** Helm's merge of values files: maps merge key by key, anything else is replaced. */
    @SuppressWarnings("unchecked")
    static void merge(Map<String, Object> into, Map<String, Object> from) {
        for (Map.Entry<String, Object> e : from.entrySet()) {
            if (e.getValue() instanceof Map<?, ?> m && into.get(e.getKey()) instanceof Map<?, ?> existing) {
                merge((Map<String, Object>) existing, (Map<String, Object>) m);
            } else {
                into.put(e.getKey(), e.getValue());
            }
        }
    }

    private static List<Path> valuesFiles(String... valuesYaml) {
        List<Path> files = new ArrayList<>();
        try {
            for (String yaml : valuesYaml) {
                Path file = Files.createTempFile("kubeai-values-", ".yaml");
                file.toFile().deleteOnExit();
                Files.writeString(file, yaml);
                files.add(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    private static Path copyOfChart() {
        try {
            Path target = Files.createTempDirectory("kubeai-chart-");
            Path source = chart();
            try (var paths = Files.walk(source)) {
                for (Path p : (Iterable<Path>) paths::iterator) {
                    Path to = target.resolve(source.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(to);
                    } else {
                        Files.copy(p, to);
                    }
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
