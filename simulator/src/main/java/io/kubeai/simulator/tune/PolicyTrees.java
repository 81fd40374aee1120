package io.kubeai.simulator.tune;

import io.kubeai.core.config.ConfigValidationException;
import io.kubeai.core.config.SchedulingPolicy;
import io.kubeai.core.config.ValidationError;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/**
 * Policy documents as trees (maps, lists, scalars, as YAML parsers yield): reading a YAML file
 * with syntax errors at file:line:column, copying, setting a value at a dotted path, and writing
 * the tree back as YAML that {@link SchedulingPolicy#fromTree} (and so every process's policy
 * loader) reads unchanged.
 */
public final class PolicyTrees {
    private static final YAMLMapper READ = YAMLMapper.builder().build();
    private static final YAMLMapper WRITE = YAMLMapper.builder()
            .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
            .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
            .enable(YAMLWriteFeature.INDENT_ARRAYS_WITH_INDICATOR)
            .build();

    private PolicyTrees() {
    }

    /** The smallest valid policy document: every knob at its default. */
    public static Map<String, Object> defaults() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("apiVersion", SchedulingPolicy.API_VERSION);
        m.put("kind", SchedulingPolicy.KIND);
        return m;
    }

    /** Reads a YAML file as a tree; {@code what} names it in errors ("space file", "policy file"). */
    public static Object readYaml(Path file, String what) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigValidationException(what + " " + file,
                    List.of(new ValidationError(file.toString(), "cannot be read: " + e.getMessage())));
        }
        try {
            return READ.readValue(text, Object.class);
        } catch (JacksonException e) {
            TokenStreamLocation l = e.getLocation();
            String at = file + (l == null ? "" : ":" + l.getLineNr() + ":" + l.getColumnNr());
            throw new ConfigValidationException(what + " " + file,
                    List.of(new ValidationError(at, "not valid YAML: " + e.getOriginalMessage())));
        }
    }

    /** Reads a policy file: its tree, validated as a {@link SchedulingPolicy} with every error's path. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> readPolicy(Path file) {
        Object tree = readYaml(file, "policy file");
        try {
            SchedulingPolicy.fromTree(tree);
        } catch (ConfigValidationException e) {
            throw new ConfigValidationException("policy file " + file, e.errors());
        }
        return (Map<String, Object>) normalize(tree);
    }

    /**
     * A deep copy with numbers made uniform (whole numbers as {@code Long}, others as
     * {@code Double}), so that equal documents compare equal however they were read.
     */
    public static Object normalize(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), normalize(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object x : l) {
                out.add(normalize(x));
            }
            return out;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof BigInteger b) {
            return b.bitLength() < 64 ? (Object) b.longValue() : b.toString();
        }
        if (v instanceof Float f) {
            return f.doubleValue();
        }
        if (v instanceof BigDecimal d) {
            return d.doubleValue();
        }
        return v;
    }

    /** A copy of {@code tree} with {@code value} at the dotted {@code path}, creating mappings on the way. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> with(Map<String, Object> tree, String path, Object value) {
        Map<String, Object> root = (Map<String, Object>) normalize(tree);
        String[] keys = path.split("\\.");
        Map<String, Object> at = root;
        for (int i = 0; i < keys.length - 1; i++) {
            Object next = at.get(keys[i]);
            if (!(next instanceof Map)) {
                next = new LinkedHashMap<String, Object>();
                at.put(keys[i], next);
            }
            at = (Map<String, Object>) next;
        }
        at.put(keys[keys.length - 1], value);
        return root;
    }

    /** The tree as YAML, after {@code header} lines written as comments. */
    public static String toYaml(Map<String, Object> tree, List<String> header) {
        StringBuilder sb = new StringBuilder();
        for (String h : header) {
            sb.append(h.isEmpty() ? "#" : "# " + h).append('\n');
        }
        return sb.append(WRITE.writeValueAsString(tree)).toString();
    }
}
