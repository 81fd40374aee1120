package io.kubeai.kube.telemetry;

import io.kubeai.core.KubeAiException;

/**
 * Text that is not in the Prometheus text exposition format, with where: the source (a URL or a
 * file), the line and the column (both from 1), and what was wrong there.
 */
public final class ExpositionFormatException extends KubeAiException {
    private static final long serialVersionUID = 1L;
    private final String source;
    private final int line;
    private final int column;
    private final String problem;

    public ExpositionFormatException(String source, int line, int column, String problem) {
        super(source + ":" + line + ":" + column + ": " + problem);
        this.source = source;
        this.line = line;
        this.column = column;
        this.problem = problem;
    }

    public String source() {
        return source;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    public String problem() {
        return problem;
    }
}
