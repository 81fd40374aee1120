package io.kubeai.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One in-process run of the {@code kubeai} command: its exit code, standard output and standard error. */
record CliRun(int code, String out, String err) {

    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = KubeAi.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new CliRun(code, out.toString(), err.toString());
    }
}
