package io.kubeai.cli;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** {@code -o table|json|yaml}. */
enum OutputFormat {
    table, json, yaml;

    String render(Object value) {
        return switch (this) {
            case json -> JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build().writeValueAsString(value);
            case yaml -> YAMLMapper.builder().build().writeValueAsString(value);
            case table -> throw new IllegalStateException("tables are rendered by each command");
        };
    }
}
