package io.kubeai.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeai.core.config.SchedulingPolicy;
import io.kubeai.kube.PolicyFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** values.yaml: every value documented with a {@code # --} comment, and described by values.schema.json. */
class ValuesTest {
    private static final Pattern KEY = Pattern.compile("^( *)([A-Za-z0-9_.-]+):(\\s|$)");

    /** Every key of values.yaml as a dotted path, with the comment block right above it. */
    record Key(String path, int line, List<String> comment, boolean emptyByDefault) {
    }

    static List<Key> keys() throws IOException {
        List<String> lines = Files.readAllLines(HelmChart.chart().resolve("values.yaml"));
        List<Key> keys = new ArrayList<>();
        Deque<int[]> indents = new ArrayDeque<>(); // indentation of each open parent
        Deque<String> parents = new ArrayDeque<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = KEY.matcher(lines.get(i));
            if (!m.find()) {
                continue;
            }
            int indent = m.group(1).length();
            while (!indents.isEmpty() && indents.peek()[0] >= indent) {
                indents.pop();
                parents.pop();
            }
            List<String> comment = new ArrayList<>();
            for (int j = i - 1; j >= 0 && lines.get(j).strip().startsWith("#"); j--) {
                comment.add(0, lines.get(j).strip());
            }
            List<String> path = new ArrayList<>(parents);
            java.util.Collections.reverse(path);
            path.add(m.group(2));
            keys.add(new Key(String.join(".", path), i + 1, comment, lines.get(i).strip().matches(".*: *(\\{}|\\[])$")));
            indents.push(new int[] {indent});
            parents.push(m.group(2));
        }
        return keys;
    }

    @Test
    void everyValueIsDocumentedWithADashDashComment() throws IOException {
        List<Key> keys = keys();

        assertThat(keys).hasSizeGreaterThan(100);
        assertThat(keys).allSatisfy(k -> assertThat(k.comment())
                .as("values.yaml:%d %s needs a `# -- ...` comment right above it", k.line(), k.path())
                .isNotEmpty()
                .anySatisfy(c -> assertThat(c).startsWith("# -- ").hasSizeGreaterThan(8)));
    }

    @Test
    void theSchemaDescribesEveryValueAndNoOther() throws IOException {
        Map<String, Object> schema = Yaml.map(Files.readString(HelmChart.chart().resolve("values.schema.json")));
        List<String> inValues = new ArrayList<>();
        for (Key k : keys()) {
            Map<String, Object> node = schema;
            boolean checked = true;
            for (String part : k.path().split("\\.")) {
                if (!Boolean.FALSE.equals(node.get("additionalProperties"))) {
                    checked = false; // a free-form object (policy, resources…): its keys are not the chart's
                    break;
                }
                Map<String, Object> properties = Yaml.at(node, "properties");
                assertThat(properties).as("values.schema.json lacks %s (values.yaml:%d)", k.path(), k.line())
                        .containsKey(part);
                node = Yaml.convert(properties.get(part), Map.class);
            }
            if (checked) {
                inValues.add(k.path());
            }
        }
        List<String> inSchema = new ArrayList<>();
        collectStrict(schema, "", inSchema);
        // The schema may describe what goes into a value that is empty by default (issuerRef: {}).
        List<String> emptyByDefault = keys().stream().filter(Key::emptyByDefault).map(k -> k.path() + ".").toList();
        inSchema.removeIf(p -> emptyByDefault.stream().anyMatch(p::startsWith));
        assertThat(inValues).as("values in values.yaml").containsAll(inSchema);
    }

    /** The property paths under objects the schema closes (additionalProperties: false). */
    private static void collectStrict(Map<String, Object> node, String prefix, List<String> into) {
        if (!Boolean.FALSE.equals(node.get("additionalProperties"))) {
            return;
        }
        Map<String, Object> properties = Yaml.at(node, "properties");
        for (Map.Entry<String, Object> e : properties.entrySet()) {
            String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            into.add(path);
            collectStrict(Yaml.convert(e.getValue(), Map.class), path, into);
        }
    }

    @Test
    void theDefaultPolicyIsTheOneInDeployAndTheRealLoaderAcceptsIt() throws IOException {
        Rendered rendered = HelmChart.render();
        String policy = rendered.one("ConfigMap", "kubeai-policy").<Map<String, String>>at("data")
                .get("scheduling-policy.yaml");
        Map<String, Object> sample = Yaml.map(Files.readString(HelmChart.repository().resolve("deploy/scheduling-policy.yaml")));

        assertThat(Yaml.map(policy)).isEqualTo(sample);
        Path file = Files.createTempFile("scheduling-policy-", ".yaml");
        Files.writeString(file, policy);
        SchedulingPolicy loaded = PolicyFile.load(file);
        assertThat(loaded).isEqualTo(PolicyFile.load(HelmChart.repository().resolve("deploy/scheduling-policy.yaml")));
    }

    @Test
    void aPolicyGivenInValuesReachesTheProcessesAndRestartsThem() throws IOException {
        Rendered before = HelmChart.render();
        Rendered after = HelmChart.render("policy: {placement: {policy: FGD}}");

        String policy = after.one("ConfigMap", "kubeai-policy").<Map<String, String>>at("data").get("scheduling-policy.yaml");
        Path file = Files.createTempFile("scheduling-policy-", ".yaml");
        Files.writeString(file, policy);
        assertThat(PolicyFile.load(file).placementPolicy().toString()).isEqualTo("FGD");
        for (String deployment : List.of("kubeai-controller", "kubeai-webhook")) {
            String a = Workloads.deployment(before, deployment).getSpec().getTemplate().getMetadata().getAnnotations()
                    .get("checksum/policy");
            String b = Workloads.deployment(after, deployment).getSpec().getTemplate().getMetadata().getAnnotations()
                    .get("checksum/policy");
            assertThat(a).as(deployment).isNotBlank().isNotEqualTo(b);
        }
    }
}
