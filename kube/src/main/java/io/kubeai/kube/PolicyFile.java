package io.kubeai.kube;

import io.kubeai.core.config.ConfigValidationException;
import io.kubeai.core.config.SchedulingPolicy;
import io.kubeai.core.config.ValidationError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** Reads a {@link SchedulingPolicy} YAML file; syntax errors name the file, line and column. */
public final class PolicyFile {
    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private PolicyFile() {
    }

    public static SchedulingPolicy load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigValidationException("policy file " + file,
                    List.of(new ValidationError(file.toString(), "cannot be read: " + e.getMessage())));
        }
        return parse(text, file.toString(), "policy file " + file);
    }

    /**
     * Reads a policy from {@code text}; errors name {@code where} (a file, or a ConfigMap's key),
     * with line and column for syntax errors, and are reported as in {@code what}.
     */
    public static SchedulingPolicy parse(String text, String where, String what) {
        Object tree;
        try {
            tree = YAML.readValue(text, Object.class);
        } catch (JacksonException e) {
            TokenStreamLocation l = e.getLocation();
            String at = where + (l == null ? "" : ":" + l.getLineNr() + ":" + l.getColumnNr());
            throw new ConfigValidationException(what,
                    List.of(new ValidationError(at, "not valid YAML: " + e.getOriginalMessage())));
        }
        try {
            return SchedulingPolicy.fromTree(tree);
        } catch (ConfigValidationException e) {
            throw new ConfigValidationException(what, e.errors());
        }
    }
}
