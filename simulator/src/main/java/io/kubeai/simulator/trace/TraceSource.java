package io.kubeai.simulator.trace;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Where a trace comes from: a file, or a trace bundled in the jar. */
public interface TraceSource {

    /** How errors name it: a path, or {@code classpath:traces/…}. */
    String name();

    /** The file name without folders or extension ({@code openb_pod_list_default}). */
    default String baseName() {
        String n = name();
        n = n.substring(Math.max(n.lastIndexOf('/'), n.lastIndexOf(':')) + 1);
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    BufferedReader open() throws IOException;

    static TraceSource file(Path path) {
        return new TraceSource() {
            @Override
            public String name() {
                return path.toString();
            }

            @Override
            public BufferedReader open() throws IOException {
                try {
                    return Files.newBufferedReader(path, StandardCharsets.UTF_8);
                } catch (NoSuchFileException e) {
                    throw new TraceFormatException(path.toString(), 0, 0, "no such file");
                }
            }
        };
    }

    /** A trace bundled under {@code traces/} in the jar, e.g. {@code openb-v2023/openb_pod_list_default.csv}. */
    static TraceSource bundled(String relativePath) {
        String resource = "traces/" + relativePath;
        return new TraceSource() {
            @Override
            public String name() {
                return "classpath:" + resource;
            }

            @Override
            public BufferedReader open() {
                InputStream in = TraceSource.class.getClassLoader().getResourceAsStream(resource);
                if (in == null) {
                    throw new UncheckedIOException(new IOException("bundled trace missing from the jar: " + resource));
                }
                return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            }
        };
    }
}
