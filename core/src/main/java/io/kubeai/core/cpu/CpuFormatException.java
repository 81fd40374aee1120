package io.kubeai.core.cpu;

import io.kubeai.core.KubeAiException;

/**
 * A CPU list ({@code 0-3,8-11}) or a CPU topology description
 * ({@code sockets=2,numa=2,cores=4,threads=2}) that cannot be read: the text, the position
 * (0-based character offset) where reading failed, and what was wrong there.
 */
public final class CpuFormatException extends KubeAiException {
    private static final long serialVersionUID = 1L;

    private final String input;
    private final int position;
    private final String problem;

    public CpuFormatException(String input, int position, String problem) {
        super("\"" + input + "\" at " + position + ": " + problem);
        this.input = input;
        this.position = position;
        this.problem = problem;
    }

    public String input() {
        return input;
    }

    public int position() {
        return position;
    }

    public String problem() {
        return problem;
    }
}
