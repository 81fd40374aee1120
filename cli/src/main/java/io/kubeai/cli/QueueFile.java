package io.kubeai.cli;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubeai.core.config.ConfigValidationException;
import io.kubeai.core.config.ValidationError;
import io.kubeai.core.queue.QueueSpec;
import io.kubeai.core.queue.QueueTree;
import io.kubeai.kube.InvalidObjectException;
import io.kubeai.kube.crd.CrdConversions;
import io.kubeai.kube.crd.Queue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * A proposed set of queues: {@code Queue} objects ({@code scheduling.kubeai.io/v1alpha1}) as
 * {@code kubectl apply} takes them, one per YAML document or in a {@code List}. The file stands
 * for the whole tree: queues it leaves out are gone. Errors name the file and line for syntax,
 * and the document and field path for content, every error at once.
 */
final class QueueFile {
    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private QueueFile() {
    }

    static QueueTree load(Path file) {
        String what = "queue file " + file;
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigValidationException(what, List.of(new ValidationError(file.toString(),
                    "cannot be read: " + e.getMessage())));
        }
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(text)) {
            while (it.hasNextValue()) {
                JsonNode d = it.nextValue();
                if (d != null && !d.isNull() && !d.isMissingNode()) {
                    docs.add(d);
                }
            }
        } catch (JacksonException e) {
            TokenStreamLocation l = e.getLocation();
            throw new ConfigValidationException(what, List.of(new ValidationError(file + (l == null ? ""
                    : ":" + l.getLineNr() + ":" + l.getColumnNr()), "not valid YAML: " + e.getOriginalMessage())));
        }
        List<ValidationError> errors = new ArrayList<>();
        List<QueueSpec> specs = new ArrayList<>();
        int n = 0;
        for (JsonNode d : docs) {
            if ("List".equals(d.path("kind").asString(""))) {
                int i = 0;
                for (JsonNode item : d.path("items")) {
                    read(item, "documents[" + n + "].items[" + i++ + "]", specs, errors);
                }
            } else {
                read(d, "documents[" + n + "]", specs, errors);
            }
            n++;
        }
        if (errors.isEmpty() && specs.isEmpty()) {
            errors.add(new ValidationError(file.toString(), "holds no Queue"));
        }
        if (errors.isEmpty()) {
            try {
                return QueueTree.of(specs);
            } catch (ConfigValidationException e) {
                errors.addAll(e.errors());
            }
        }
        throw new ConfigValidationException(what, errors);
    }

    private static void read(JsonNode d, String at, List<QueueSpec> specs, List<ValidationError> errors) {
        if (!d.isObject()) {
            errors.add(new ValidationError(at, "is not an object"));
            return;
        }
        String apiVersion = d.path("apiVersion").asString("");
        String kind = d.path("kind").asString("");
        String expected = new Queue().getApiVersion();
        if (!"Queue".equals(kind) || !expected.equals(apiVersion)) {
            errors.add(new ValidationError(at, "is " + (kind.isEmpty() ? "no kind" : kind) + " "
                    + (apiVersion.isEmpty() ? "without apiVersion" : apiVersion) + "; expected Queue " + expected));
            return;
        }
        String name = d.path("metadata").path("name").asString("");
        if (name.isEmpty()) {
            errors.add(new ValidationError(at + ".metadata.name", "missing"));
            return;
        }
        Queue q;
        try {
            q = SERIALIZATION.convertValue(YAML.convertValue(d, Map.class), Queue.class);
        } catch (RuntimeException e) {
            errors.add(new ValidationError(at + " (queue " + name + ")", "does not read as a Queue: " + e.getMessage()));
            return;
        }
        try {
            specs.add(CrdConversions.queue(q));
        } catch (InvalidObjectException e) {
            errors.add(new ValidationError(at, e.getMessage()));
        }
    }
}
