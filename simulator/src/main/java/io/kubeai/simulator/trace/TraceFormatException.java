package io.kubeai.simulator.trace;

import io.kubeai.core.KubeAiException;

/** A trace file that cannot be read: names the file, the line and column, and what was expected. */
public final class TraceFormatException extends KubeAiException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;
    private final int column;
    private final String problem;

    public TraceFormatException(String file, int line, int column, String problem) {
        super(file + ":" + line + ":" + column + ": " + problem);
        this.file = file;
        this.line = line;
        this.column = column;
        this.problem = problem;
    }

    public String file() {
        return file;
    }

    /** 1-based line number; 0 when the problem is the file as a whole. */
    public int line() {
        return line;
    }

    /** 1-based column (field) number; 0 when the problem is the line as a whole. */
    public int column() {
        return column;
    }

    public String problem() {
        return problem;
    }
}
