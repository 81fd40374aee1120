package io.kubeai.simulator.jobs.trace;

import io.kubeai.core.config.ConfigValidationException;
import io.kubeai.core.config.SchedulingPolicy;
import io.kubeai.core.config.ValidationError;
import io.kubeai.core.queue.QueueSpec;
import io.kubeai.core.queue.QueueTree;
import io.kubeai.core.resource.ResourceList;
import io.kubeai.core.resource.ResourceLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads the queues of a job simulation from YAML, in either of two forms.
 *
 * <ul>
 *   <li>The policy file's queue list: a mapping with one key, {@code queues}, a list of
 *       {@code {name, parent, min, max, weight, borrowingLimit, lendingLimit, priority, queueing}}
 *       exactly as under {@code webhook.queues} of a {@code SchedulingPolicy};
 *   <li>Kubernetes {@code Queue} objects ({@code apiVersion: scheduling.kubeai.io/v1alpha1},
 *       {@code kind: Queue}, the name in {@code metadata.name}, the fields above in
 *       {@code spec}), one per YAML document or as the {@code items} of a {@code kind: List}, as
 *       {@code kubectl get queues.scheduling.kubeai.io -o yaml} prints them; {@code status} is
 *       ignored.
 * </ul>
 *
 * Quantities are Kubernetes quantities ({@code cpu: "64"}, {@code memory: 512Gi},
 * {@code nvidia.com/gpu: 8}). The file is read whole or refused with every error found: YAML
 * syntax errors as {@code file:line:column}, field errors with their path
 * ({@code queues[1].min.cpu}, {@code Queue team-cv: spec.weight}). The queues are validated as a
 * tree (parents exist, no cycles, min within max), exactly as the policy file's are.
 */
public final class QueuesFile {
    public static final String QUEUE_API_VERSION = "scheduling.kubeai.io/v1alpha1";
    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final Pattern INDEXED = Pattern.compile("^webhook\\.queues\\[(\\d+)]\\.?");
    private static final Pattern NAMED = Pattern.compile("^webhook\\.queues\\[([^\\]]+)]\\.?");

    private QueuesFile() {
    }

    public static List<QueueSpec> read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw invalid(file, List.of(new ValidationError(file.toString(), "cannot be read: " + e)));
        }
        return parse(file.toString(), text);
    }

    /** Reads {@code text}; {@code name} is how errors name the file. */
    public static List<QueueSpec> parse(String name, String text) {
        List<Object> documents = new ArrayList<>();
        try (MappingIterator<Object> it = YAML.readerFor(Object.class).readValues(text)) {
            while (it.hasNextValue()) {
                Object d = it.nextValue();
                if (d != null) {
                    documents.add(d);
                }
            }
        } catch (JacksonException e) {
            TokenStreamLocation l = e.getLocation();
            String at = name + (l == null ? "" : ":" + l.getLineNr() + ":" + l.getColumnNr());
            throw invalid(name, List.of(new ValidationError(at, "not valid YAML: " + e.getOriginalMessage())));
        }
        List<ValidationError> errors = new ArrayList<>();
        List<Object> entries = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        if (documents.isEmpty()) {
            errors.add(new ValidationError("(document)", "no queues; expected a mapping with a queues list, or Queue "
                    + "objects (" + QUEUE_API_VERSION + ")"));
        } else if (documents.size() == 1 && documents.get(0) instanceof Map<?, ?> m && !m.containsKey("kind")) {
            listForm(m, entries, labels, errors);
        } else {
            for (int i = 0; i < documents.size(); i++) {
                objectForm(documents.get(i), documents.size() == 1 ? "" : "documents[" + i + "]", entries, labels,
                        errors);
            }
        }
        if (!errors.isEmpty()) {
            throw invalid(name, errors);
        }
        if (entries.isEmpty()) {
            throw invalid(name, List.of(new ValidationError(labels.isEmpty() ? "queues" : labels.get(0),
                    "no queues; a simulation needs at least one")));
        }
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("apiVersion", SchedulingPolicy.API_VERSION);
        policy.put("kind", SchedulingPolicy.KIND);
        policy.put("webhook", Map.of("queues", entries));
        try {
            return List.copyOf(SchedulingPolicy.fromTree(policy).webhook().queues());
        } catch (ConfigValidationException e) {
            List<ValidationError> out = new ArrayList<>();
            for (ValidationError v : e.errors()) {
                out.add(new ValidationError(relabel(v.path(), labels, entries), v.message()));
            }
            throw invalid(name, out);
        }
    }

    /**
     * Queues for a trace that names queues but comes without them: one top-level queue per name,
     * each guaranteed an equal share of every resource of {@code capacity} (largest remainders
     * round, so the mins add up to the capacity), weight 1, no max, borrowing and lending freely.
     */
    public static List<QueueSpec> equalShares(List<String> names, ResourceList capacity) {
        int n = names.size();
        List<Map<String, Long>> mins = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            mins.add(new LinkedHashMap<>());
        }
        for (int r = 0; r < capacity.size(); r++) {
            long total = capacity.value(r);
            for (int i = 0; i < n; i++) {
                // Equal parts; the first (total mod n) queues take one unit more.
                mins.get(i).put(capacity.name(r), total / n + (i < total % n ? 1 : 0));
            }
        }
        List<QueueSpec> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(QueueSpec.named(names.get(i)).min(ResourceList.of(mins.get(i))).max(ResourceLimits.UNLIMITED)
                    .build());
        }
        QueueTree.of(out);
        return List.copyOf(out);
    }

    private static void listForm(Map<?, ?> m, List<Object> entries, List<String> labels, List<ValidationError> errors) {
        for (Object k : m.keySet()) {
            if (!"queues".equals(k)) {
                errors.add(new ValidationError(String.valueOf(k), "unknown field; expected queues (a list), or Queue "
                        + "objects with apiVersion and kind"));
            }
        }
        Object list = m.get("queues");
        if (!(list instanceof List<?> l)) {
            errors.add(new ValidationError("queues", list == null ? "missing" : "expected a list"));
            return;
        }
        for (int i = 0; i < l.size(); i++) {
            entries.add(l.get(i));
            labels.add("queues[" + i + "]");
        }
    }

    private static void objectForm(Object doc, String at, List<Object> entries, List<String> labels,
            List<ValidationError> errors) {
        String where = at.isEmpty() ? "(document)" : at;
        if (!(doc instanceof Map<?, ?> m)) {
            errors.add(new ValidationError(where, "expected a Queue object or a List of them"));
            return;
        }
        Object kind = m.get("kind");
        if ("List".equals(kind)) {
            Object items = m.get("items");
            if (!(items instanceof List<?> l)) {
                errors.add(new ValidationError(prefix(at, "items"), "expected a list of Queue objects"));
                return;
            }
            for (int i = 0; i < l.size(); i++) {
                objectForm(l.get(i), prefix(at, "items[" + i + "]"), entries, labels, errors);
            }
            return;
        }
        if (!"Queue".equals(kind)) {
            errors.add(new ValidationError(prefix(at, "kind"), (kind == null ? "missing" : "\"" + kind + "\" is not Queue")
                    + "; expected Queue or List"));
            return;
        }
        Object api = m.get("apiVersion");
        if (!QUEUE_API_VERSION.equals(api)) {
            errors.add(new ValidationError(prefix(at, "apiVersion"), (api == null ? "missing" : "\"" + api
                    + "\" is not supported") + "; expected " + QUEUE_API_VERSION));
        }
        for (Object k : m.keySet()) {
            if (!List.of("apiVersion", "kind", "metadata", "spec", "status").contains(String.valueOf(k))) {
                errors.add(new ValidationError(prefix(at, String.valueOf(k)), "unknown field; expected apiVersion, "
                        + "kind, metadata, spec, status"));
            }
        }
        Object name = m.get("metadata") instanceof Map<?, ?> md ? md.get("name") : null;
        if (!(name instanceof String s) || s.isBlank()) {
            errors.add(new ValidationError(prefix(at, "metadata.name"), "missing; a Queue needs a name"));
            return;
        }
        Object spec = m.get("spec");
        Map<String, Object> entry = new LinkedHashMap<>();
        if (spec instanceof Map<?, ?> sm) {
            for (Map.Entry<?, ?> e : sm.entrySet()) {
                entry.put(String.valueOf(e.getKey()), e.getValue());
            }
        } else if (spec != null) {
            errors.add(new ValidationError(prefix(at, "spec"), "expected a mapping"));
            return;
        }
        if (entry.containsKey("name")) {
            errors.add(new ValidationError(prefix(at, "spec.name"), "unknown field; the name is metadata.name"));
            return;
        }
        entry.put("name", name);
        entries.add(entry);
        labels.add("Queue " + name + (at.isEmpty() ? "" : " (" + at + ")") + ": spec");
    }

    private static String prefix(String at, String key) {
        return at.isEmpty() ? key : at + "." + key;
    }

    /** Turns the policy reader's path ({@code webhook.queues[1].min.cpu}) into one of this file's. */
    private static String relabel(String path, List<String> labels, List<Object> entries) {
        Matcher i = INDEXED.matcher(path);
        if (i.find()) {
            int k = Integer.parseInt(i.group(1));
            String rest = path.substring(i.end());
            String label = k < labels.size() ? labels.get(k) : "queues[" + k + "]";
            if (label.startsWith("Queue ") && rest.equals("name")) {
                return label.substring(0, label.length() - ": spec".length()) + ": metadata.name";
            }
            return rest.isEmpty() ? label : label + (label.endsWith("spec") ? "." : ".") + rest;
        }
        Matcher n = NAMED.matcher(path);
        if (n.find()) {
            String queue = n.group(1);
            String rest = path.substring(n.end());
            for (int k = 0; k < entries.size(); k++) {
                if (entries.get(k) instanceof Map<?, ?> e && queue.equals(e.get("name"))) {
                    String label = labels.get(k);
                    return rest.isEmpty() ? label : label + "." + rest;
                }
            }
            return "queues[" + queue + "]" + (rest.isEmpty() ? "" : "." + rest);
        }
        return path.startsWith("webhook.") ? path.substring("webhook.".length()) : path;
    }

    private static ConfigValidationException invalid(Object file, List<ValidationError> errors) {
        return new ConfigValidationException("queues file " + file, errors);
    }
}
